// libpq is loaded with dlopen on first use instead of being linked: linking it pulls 28
// shared libraries (Kerberos, LDAP, GnuTLS...) into every start of cruddur, about 8 ms,
// which `list`, `validate` and `plan` never need. Each libpq function cruddur calls is
// defined here with libpq's own signature (the header checks them) and forwards to the
// real one, resolved once. A call to a function missing here fails at link time.
#include "CLibPQ.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *cruddur_libpq_handle(void) {
  static void *handle;
  void *h = __atomic_load_n(&handle, __ATOMIC_ACQUIRE);
  if (h) return h;
  h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "error: cannot load libpq (libpq.so.5): %s\n  = help: install it (apt-get install libpq5)\n",
            dlerror());
    exit(1);
  }
  __atomic_store_n(&handle, h, __ATOMIC_RELEASE);
  return h;
}

int cruddur_libpq_load(char *message, int size) {
  void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    snprintf(message, (size_t)size, "%s", dlerror());
    return 0;
  }
  return 1;
}

static void *cruddur_libpq_symbol(const char *name) {
  void *symbol = dlsym(cruddur_libpq_handle(), name);
  if (!symbol) {
    fprintf(stderr, "error: the installed libpq has no %s (cruddur needs libpq 14 or newer)\n", name);
    exit(1);
  }
  return symbol;
}

#define FORWARD(ret, name, params, args)                                  \
  ret name params {                                                       \
    static ret(*fn) params;                                               \
    ret(*f) params = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);              \
    if (!f) {                                                             \
      f = (ret(*) params)cruddur_libpq_symbol(#name);                     \
      __atomic_store_n(&fn, f, __ATOMIC_RELEASE);                         \
    }                                                                     \
    return f args;                                                        \
  }

#define FORWARD_VOID(name, params, args)                                  \
  void name params {                                                      \
    static void(*fn) params;                                              \
    void(*f) params = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);             \
    if (!f) {                                                             \
      f = (void(*) params)cruddur_libpq_symbol(#name);                    \
      __atomic_store_n(&fn, f, __ATOMIC_RELEASE);                         \
    }                                                                     \
    f args;                                                               \
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
FORWARD(const char *, PQparameterStatus, (const PGconn *conn, const char *paramName), (conn, paramName))
FORWARD(int, PQserverVersion, (const PGconn *conn), (conn))
FORWARD(char *, PQerrorMessage, (const PGconn *conn), (conn))
FORWARD(int, PQsocket, (const PGconn *conn), (conn))
FORWARD(int, PQbackendPID, (const PGconn *conn), (conn))
FORWARD(PGpipelineStatus, PQpipelineStatus, (const PGconn *conn), (conn))
FORWARD(int, PQclientEncoding, (const PGconn *conn), (conn))
FORWARD(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn *conn, PQnoticeProcessor proc, void *arg), (conn, proc, arg))
FORWARD(PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
FORWARD(PGresult *, PQexecParams, (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat), (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
FORWARD(int, PQsendQuery, (PGconn *conn, const char *query), (conn, query))
FORWARD(int, PQsendQueryParams, (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat), (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
FORWARD(int, PQsetSingleRowMode, (PGconn *conn), (conn))
FORWARD(PGresult *, PQgetResult, (PGconn *conn), (conn))
FORWARD(int, PQisBusy, (PGconn *conn), (conn))
FORWARD(int, PQconsumeInput, (PGconn *conn), (conn))
FORWARD(int, PQenterPipelineMode, (PGconn *conn), (conn))
FORWARD(int, PQexitPipelineMode, (PGconn *conn), (conn))
FORWARD(int, PQpipelineSync, (PGconn *conn), (conn))
FORWARD(int, PQsendFlushRequest, (PGconn *conn), (conn))
FORWARD(int, PQputCopyData, (PGconn *conn, const char *buffer, int nbytes), (conn, buffer, nbytes))
FORWARD(int, PQputCopyEnd, (PGconn *conn, const char *errormsg), (conn, errormsg))
FORWARD(int, PQgetCopyData, (PGconn *conn, char **buffer, int async), (conn, buffer, async))
FORWARD(int, PQsetnonblocking, (PGconn *conn, int arg), (conn, arg))
FORWARD(PGPing, PQpingParams, (const char *const *keywords, const char *const *values, int expand_dbname), (keywords, values, expand_dbname))
FORWARD(int, PQflush, (PGconn *conn), (conn))
FORWARD(ExecStatusType, PQresultStatus, (const PGresult *res), (res))
FORWARD(char *, PQresultErrorMessage, (const PGresult *res), (res))
FORWARD(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
FORWARD(int, PQntuples, (const PGresult *res), (res))
FORWARD(int, PQnfields, (const PGresult *res), (res))
FORWARD(char *, PQfname, (const PGresult *res, int field_num), (res, field_num))
FORWARD(Oid, PQftype, (const PGresult *res, int field_num), (res, field_num))
FORWARD(char *, PQcmdStatus, (PGresult *res), (res))
FORWARD(char *, PQcmdTuples, (PGresult *res), (res))
FORWARD(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD(int, PQgetlength, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD_VOID(PQclear, (PGresult *res), (res))
FORWARD_VOID(PQfreemem, (void *ptr), (ptr))
FORWARD(char *, PQescapeLiteral, (PGconn *conn, const char *str, size_t len), (conn, str, len))
FORWARD(char *, PQescapeIdentifier, (PGconn *conn, const char *str, size_t len), (conn, str, len))
FORWARD(int, PQlibVersion, (void), ())
