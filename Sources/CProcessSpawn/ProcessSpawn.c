// Before any header: glibc's <spawn.h> declares the _np file actions only with it.
#define _GNU_SOURCE
#include "CProcessSpawn.h"

int cruddur_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
  return posix_spawn_file_actions_addchdir_np(actions, path);
}
