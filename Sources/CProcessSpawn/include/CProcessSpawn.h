#ifndef CRUDDUR_CPROCESSSPAWN_H
#define CRUDDUR_CPROCESSSPAWN_H
#include <spawn.h>

// glibc declares these two only under _GNU_SOURCE, which Swift's Glibc module is built
// without; they are reached through C functions rather than redeclared in Swift.

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+): the child changes directory
/// before exec.
int cruddur_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every
/// descriptor from `from` up before exec, so it inherits only stdin, stdout and stderr,
/// whatever another thread had open without O_CLOEXEC at that moment (a file being
/// written: an executable still open for writing in a child cannot be run, ETXTBSY).
int cruddur_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// pipe2(fds, O_CLOEXEC): both ends close on exec from the moment they exist. pipe()
/// then fcntl() leaves a window in which a child spawned by another thread inherits them.
int cruddur_pipe_cloexec(int fds[2]);

/// pidfd_open(pid, 0) (Linux 5.3+): a descriptor that poll(2) reports readable when the
/// process exits, so one thread can wait for the child and read its pipes together; -1
/// where the kernel lacks it.
int cruddur_pidfd_open(pid_t pid);

/// prctl(PR_SET_CHILD_SUBREAPER, 1): descendants orphaned by their parent (a daemon that
/// double-forked, a `setsid` child) become cruddur's children instead of init's, so the
/// end of a run can still find and end them.
int cruddur_become_child_subreaper(void);

#endif
