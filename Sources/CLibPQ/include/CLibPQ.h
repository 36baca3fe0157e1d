#ifndef CRUDDUR_CLIBPQ_H
#define CRUDDUR_CLIBPQ_H
#include <libpq-fe.h>

// PG_DIAG_* are character macros ('C', 'M', ...) that Swift does not import;
// re-export them as constants so error fields can be read by name.
static const int CRUDDUR_DIAG_SEVERITY = PG_DIAG_SEVERITY;
static const int CRUDDUR_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int CRUDDUR_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
static const int CRUDDUR_DIAG_MESSAGE_DETAIL = PG_DIAG_MESSAGE_DETAIL;
static const int CRUDDUR_DIAG_MESSAGE_HINT = PG_DIAG_MESSAGE_HINT;
static const int CRUDDUR_DIAG_STATEMENT_POSITION = PG_DIAG_STATEMENT_POSITION;
static const int CRUDDUR_DIAG_INTERNAL_POSITION = PG_DIAG_INTERNAL_POSITION;
static const int CRUDDUR_DIAG_INTERNAL_QUERY = PG_DIAG_INTERNAL_QUERY;
static const int CRUDDUR_DIAG_CONTEXT = PG_DIAG_CONTEXT;
static const int CRUDDUR_DIAG_SEVERITY_NONLOCALIZED = PG_DIAG_SEVERITY_NONLOCALIZED;
static const int CRUDDUR_DIAG_SCHEMA_NAME = PG_DIAG_SCHEMA_NAME;
static const int CRUDDUR_DIAG_TABLE_NAME = PG_DIAG_TABLE_NAME;
static const int CRUDDUR_DIAG_COLUMN_NAME = PG_DIAG_COLUMN_NAME;
static const int CRUDDUR_DIAG_DATATYPE_NAME = PG_DIAG_DATATYPE_NAME;
static const int CRUDDUR_DIAG_CONSTRAINT_NAME = PG_DIAG_CONSTRAINT_NAME;
static const int CRUDDUR_DIAG_SOURCE_FILE = PG_DIAG_SOURCE_FILE;
static const int CRUDDUR_DIAG_SOURCE_LINE = PG_DIAG_SOURCE_LINE;
static const int CRUDDUR_DIAG_SOURCE_FUNCTION = PG_DIAG_SOURCE_FUNCTION;

/// Loads libpq and resolves every function cruddur forwards to it; returns 0 and fills
/// `message` when it cannot. Must succeed before any other libpq call; calling it again
/// is cheap.
int cruddur_libpq_load(char *message, int size);
#endif
