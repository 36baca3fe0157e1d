/* fleet-floor.c — the floor of any client that visits every database of a fleet: a
 * connection to each (a PostgreSQL backend is bound to one database, so one backend start
 * each is unavoidable) and one query, with THREADS at once, in C on libpq and nothing
 * else. bench/fleet.sh sets it beside cruddur's fleet run and the dbmate loop, so the
 * ratio it reports says how far from that floor each one is.
 * With SQL_FILE, that file's statements are sent instead, in one transaction: the floor
 * of applying the same migrations (no ledger, no lock, no checks).
 * Usage: fleet-floor THREADS CONNINFO_PREFIX [-f SQL_FILE] DBNAME...
 *   (CONNINFO_PREFIX as "host=127.0.0.1 port=5432 user=postgres") */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **names;
static int count, next_index;
static const char *prefix;
static const char *query = "select 1";
static int failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *visit(void *unused) {
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&lock);
        int i = next_index++;
        pthread_mutex_unlock(&lock);
        if (i >= count) return NULL;
        char conninfo[1024];
        snprintf(conninfo, sizeof conninfo, "%s dbname=%s", prefix, names[i]);
        PGconn *conn = PQconnectdb(conninfo);
        PGresult *result = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, query) : NULL;
        ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            pthread_mutex_lock(&lock);
            failures++;
            fprintf(stderr, "%s: %s", names[i], PQerrorMessage(conn));
            pthread_mutex_unlock(&lock);
        }
        PQclear(result);
        PQfinish(conn);
    }
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: fleet-floor THREADS CONNINFO_PREFIX [-f SQL_FILE] DBNAME...\n"); return 2; }
    int threads = atoi(argv[1]);
    prefix = argv[2];
    int first = 3;
    if (argc > 5 && strcmp(argv[3], "-f") == 0) {
        FILE *file = fopen(argv[4], "r");
        if (!file) { perror(argv[4]); return 2; }
        static char text[1 << 16];
        size_t n = fread(text, 1, sizeof text - 1, file);
        fclose(file);
        static char wrapped[(1 << 16) + 32];
        snprintf(wrapped, sizeof wrapped, "begin;\n%.*s\ncommit;", (int)n, text);
        query = wrapped;
        first = 5;
    }
    names = argv + first;
    count = argc - first;
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, visit, NULL);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    return failures ? 1 : 0;
}
