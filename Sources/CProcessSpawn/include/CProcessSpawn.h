#ifndef CRUDDUR_CPROCESSSPAWN_H
#define CRUDDUR_CPROCESSSPAWN_H
#include <spawn.h>

// glibc declares these two only under _GNU_SOURCE, which Swift's Glibc module is built
// without; they are reached through C functions rather than redeclared in Swift.

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+): the child changes directory
/// before exec.
int cruddur_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// pipe2(fds, O_CLOEXEC): both ends close on exec from the moment they exist. pipe()
/// then fcntl() leaves a window in which a child spawned by another thread inherits them.
int cruddur_pipe_cloexec(int fds[2]);

#endif
