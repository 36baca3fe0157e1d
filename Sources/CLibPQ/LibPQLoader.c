// libpq is loaded with dlopen on first use instead of being linked: linking it pulls 28
// shared libraries (Kerberos, LDAP, GnuTLS...) into every start of cruddur, about 8 ms,
// which `list`, `validate` and `plan` never need. Each libpq function cruddur calls is
// defined here with libpq's own signature (the header checks them) and forwards to the
// real one. A call to a function missing here fails at link time.
//
// Loading never ends the process: `cruddur_libpq_load` opens libpq and resolves every
// forwarded symbol at once, reporting failure to the caller, and Swift calls it (through
// `LibPQ.load()`) before any libpq use, so main decides the message and exit status.
#include "CLibPQ.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FUNCTIONS 96

// Each forwarder registers its name and function-pointer slot before main runs, so the
// loader can resolve them all in one place.
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

int cruddur_libpq_load(char *message, int size) {
  if (__atomic_load_n(&loaded, __ATOMIC_ACQUIRE)) return 1;
  if (function_count > MAX_FUNCTIONS) {
    snprintf(message, (size_t)size, "internal: raise MAX_FUNCTIONS to %d in LibPQLoader.c", function_count);
    return 0;
  }
  // RTLD_LAZY, as when psql links libpq: RTLD_NOW bound every function of libpq and its 28
  // libraries up front, 1.8 M instructions of the load's 12.6 M (callgrind), for functions
  // a run never calls. The symbols cruddur calls are still all resolved below, with dlsym.
  void *handle = dlopen("libpq.so.5", RTLD_LAZY | RTLD_LOCAL);
  if (!handle) {
    snprintf(message, (size_t)size, "cannot load libpq (libpq.so.5): %s", dlerror());
    return 0;
  }
  for (int i = 0; i < function_count; i++) {
    void *symbol = dlsym(handle, functions[i].name);
    if (!symbol) {
      snprintf(message, (size_t)size, "the installed libpq has no %s (cruddur needs libpq 14 or newer)",
               functions[i].name);
      return 0;
    }
    __atomic_store_n(functions[i].slot, symbol, __ATOMIC_RELEASE);
  }
  __atomic_store_n(&loaded, 1, __ATOMIC_RELEASE);
  return 1;
}

// Reached only if Swift called libpq without `LibPQ.load()` first: a programming error,
// caught by every test that connects, so it traps rather than guessing a return value.
#define SLOT(name) cruddur_slot_##name
#define FORWARD(ret, name, params, args)                                                   \
  static ret(*SLOT(name)) params;                                                          \
  __attribute__((constructor)) static void cruddur_register_##name(void) {                 \
    register_function(#name, (void **)&SLOT(name));                                        \
  }                                                                                        \
  ret name params {                                                                        \
    ret(*f) params = __atomic_load_n(&SLOT(name), __ATOMIC_ACQUIRE);                       \
    if (!f) __builtin_trap();                                                              \
    return f args;                                                                         \
  }

#define FORWARD_VOID(name, params, args)                                                   \
  static void(*SLOT(name)) params;                                                         \
  __attribute__((constructor)) static void cruddur_register_##name(void) {                 \
    register_function(#name, (void **)&SLOT(name));                                        \
  }                                                                                        \
  void name params {                                                                       \
    void(*f) params = __atomic_load_n(&SLOT(name), __ATOMIC_ACQUIRE);                      \
    if (!f) __builtin_trap();                                                              \
    f args;                                                                                \
  }

FORWARD(PGconn *, PQconnectdbParams, (const char *const *keywords, const char *const *values, int expand_dbname), (keywords, values, expand_dbname))
FORWARD_VOID(PQfinish, (PGconn *conn), (conn))
FORWARD(PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg), (conninfo, errmsg))
FORWARD_VOID(PQconninfoFree, (PQconninfoOption *connOptions), (connOptions))
FORWARD(PGcancel *, PQgetCancel, (PGconn *conn), (conn))
FORWARD_VOID(PQfreeCancel, (PGcancel *cancel), (cancel))
FORWARD(int, PQcancel, (PGcancel *cancel, char *errbuf, int errbufsize), (cancel, errbuf, errbufsize))
FORWARD(ConnStatusType, PQstatus, (const PGconn *conn), (conn))
FORWARD(PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn))
FORWARD(char *, PQerrorMessage, (const PGconn *conn), (conn))
FORWARD(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn *conn, PQnoticeProcessor proc, void *arg), (conn, proc, arg))
FORWARD(PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
FORWARD(PGresult *, PQexecParams, (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat), (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
FORWARD(int, PQsendQuery, (PGconn *conn, const char *query), (conn, query))
FORWARD(int, PQsendQueryParams, (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat), (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
FORWARD(int, PQsetSingleRowMode, (PGconn *conn), (conn))
FORWARD(PGresult *, PQgetResult, (PGconn *conn), (conn))
FORWARD(int, PQputCopyData, (PGconn *conn, const char *buffer, int nbytes), (conn, buffer, nbytes))
FORWARD(int, PQputCopyEnd, (PGconn *conn, const char *errormsg), (conn, errormsg))
FORWARD(int, PQgetCopyData, (PGconn *conn, char **buffer, int async), (conn, buffer, async))
FORWARD(PGPing, PQpingParams, (const char *const *keywords, const char *const *values, int expand_dbname), (keywords, values, expand_dbname))
FORWARD(ExecStatusType, PQresultStatus, (const PGresult *res), (res))
FORWARD(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
FORWARD(int, PQntuples, (const PGresult *res), (res))
FORWARD(int, PQnfields, (const PGresult *res), (res))
FORWARD(char *, PQfname, (const PGresult *res, int field_num), (res, field_num))
FORWARD(Oid, PQftype, (const PGresult *res, int field_num), (res, field_num))
FORWARD(char *, PQcmdStatus, (PGresult *res), (res))
FORWARD(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD_VOID(PQclear, (PGresult *res), (res))
FORWARD_VOID(PQfreemem, (void *ptr), (ptr))
FORWARD(char *, PQescapeIdentifier, (PGconn *conn, const char *str, size_t len), (conn, str, len))
FORWARD(int, PQbinaryTuples, (const PGresult *res), (res))
// Connecting against a deadline, and waiting on the socket rather than in libpq.
FORWARD(PGconn *, PQconnectStartParams, (const char *const *keywords, const char *const *values, int expand_dbname), (keywords, values, expand_dbname))
FORWARD(PostgresPollingStatusType, PQconnectPoll, (PGconn *conn), (conn))
FORWARD(int, PQsocket, (const PGconn *conn), (conn))
FORWARD(int, PQconsumeInput, (PGconn *conn), (conn))
FORWARD(int, PQisBusy, (PGconn *conn), (conn))
