#ifndef CRUDDUR_CPROCESSSPAWN_H
#define CRUDDUR_CPROCESSSPAWN_H
#include <spawn.h>

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+): the child changes directory before
/// exec. glibc declares it only under _GNU_SOURCE, which Swift's Glibc module is built
/// without, so it is reached through this C function rather than redeclared in Swift.
int cruddur_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
