#ifndef CRUDDUR_CPGQUERY_H
#define CRUDDUR_CPGQUERY_H
#include <pg_query.h>

/// Loads libpg_query (PostgreSQL 15's grammar as a library) and resolves every function
/// cruddur forwards to it; returns 0 and fills `message` when it cannot. Must succeed
/// before any other pg_query call; calling it again is cheap.
int cruddur_pg_query_load(char *message, int size);
#endif
