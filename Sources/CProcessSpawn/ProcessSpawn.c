// Before any header: glibc declares posix_spawn_file_actions_addchdir_np and pipe2 only
// with it.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CProcessSpawn.h"

int cruddur_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
  return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cruddur_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
  return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

int cruddur_pipe_cloexec(int fds[2]) {
  return pipe2(fds, O_CLOEXEC);
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int cruddur_pidfd_open(pid_t pid) {
  return (int)syscall(SYS_pidfd_open, pid, 0);
}

int cruddur_become_child_subreaper(void) {
  return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}
