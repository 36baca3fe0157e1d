// libpg_query is loaded with dlopen on first use instead of being linked, as libpq is
// (see LibPQLoader.c): only a plan or run on a protected environment reads statements
// with PostgreSQL's grammar, so `list`, `graph` and every unprotected run never map its
// 2.7 MB. Each function cruddur calls is defined here with the library's own signature
// (the header checks them) and forwards to the real one.
//
// Loading never ends the process: `cruddur_pg_query_load` opens the library and resolves
// every forwarded symbol at once, reporting failure to the caller, so Swift turns it into
// a value (a statement that cannot be read is "unknown", never "safe").
#include "CPgQuery.h"
#include <dlfcn.h>
#include <stdio.h>

#define MAX_FUNCTIONS 16

static struct {
  const char *name;
  void **slot;
} functions[MAX_FUNCTIONS];
static int function_count;
static int loaded;

static void register_function(const char *name, void **slot) {
  if (function_count < MAX_FUNCTIONS) {
    functions[function_count].name = name;
    functions[function_count].slot = slot;
  }
  function_count++;
}

// Debian's libpg-query-dev names the library after its release (15-4.0): the soname
// pins the PostgreSQL 15 grammar whose node names the classifier reads.
int cruddur_pg_query_load(char *message, int size) {
  if (__atomic_load_n(&loaded, __ATOMIC_ACQUIRE)) return 1;
  if (function_count > MAX_FUNCTIONS) {
    snprintf(message, (size_t)size, "internal: raise MAX_FUNCTIONS to %d in PgQueryLoader.c", function_count);
    return 0;
  }
  void *handle = dlopen("libpg_query.so.1504.0", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    snprintf(message, (size_t)size, "cannot load libpg_query (libpg_query.so.1504.0): %s", dlerror());
    return 0;
  }
  for (int i = 0; i < function_count; i++) {
    void *symbol = dlsym(handle, functions[i].name);
    if (!symbol) {
      snprintf(message, (size_t)size, "the installed libpg_query has no %s", functions[i].name);
      return 0;
    }
    __atomic_store_n(functions[i].slot, symbol, __ATOMIC_RELEASE);
  }
  __atomic_store_n(&loaded, 1, __ATOMIC_RELEASE);
  return 1;
}

// Reached only if Swift called the parser without loading it first: a programming error,
// caught by every test that parses, so it traps rather than guessing a result.
#define SLOT(name) cruddur_pg_query_slot_##name
#define FORWARD(ret, name, params, args)                                                   \
  static ret(*SLOT(name)) params;                                                          \
  __attribute__((constructor)) static void cruddur_pg_query_register_##name(void) {        \
    register_function(#name, (void **)&SLOT(name));                                        \
  }                                                                                        \
  ret name params {                                                                        \
    ret(*f) params = __atomic_load_n(&SLOT(name), __ATOMIC_ACQUIRE);                       \
    if (!f) __builtin_trap();                                                              \
    return f args;                                                                         \
  }

#define FORWARD_VOID(name, params, args)                                                   \
  static void(*SLOT(name)) params;                                                         \
  __attribute__((constructor)) static void cruddur_pg_query_register_##name(void) {        \
    register_function(#name, (void **)&SLOT(name));                                        \
  }                                                                                        \
  void name params {                                                                       \
    void(*f) params = __atomic_load_n(&SLOT(name), __ATOMIC_ACQUIRE);                      \
    if (!f) __builtin_trap();                                                              \
    f args;                                                                                \
  }

FORWARD(PgQueryParseResult, pg_query_parse, (const char *input), (input))
FORWARD_VOID(pg_query_free_parse_result, (PgQueryParseResult result), (result))
FORWARD(PgQueryPlpgsqlParseResult, pg_query_parse_plpgsql, (const char *input), (input))
FORWARD_VOID(pg_query_free_plpgsql_parse_result, (PgQueryPlpgsqlParseResult result), (result))
FORWARD(PgQuerySplitResult, pg_query_split_with_parser, (const char *input), (input))
FORWARD_VOID(pg_query_free_split_result, (PgQuerySplitResult result), (result))
