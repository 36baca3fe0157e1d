/* floor.c — the "floor" for bench/sql/run.sh: the whole SQL file sent to the
 * server as ONE simple-query message (PQexec with a multi-statement string).
 * The server runs it as one implicit transaction (like psql -1) and there is
 * exactly one round trip, so no client can load the file faster over the
 * protocol; what remains is pure server time plus connection setup.
 * Why not `psql -c "$(cat file)"`: Linux caps one argv string at 128 KiB
 * (MAX_ARG_STRLEN), the 4 MB inserts.sql fails with "Argument list too long";
 * and `psql -f` splits the file into one message per statement.
 * Not usable for files with COPY ... FROM stdin (dump.sql): COPY data cannot
 * travel inside a Query message.
 * Build: gcc -O2 floor.c -I$(pg_config --includedir) -lpq -o floor
 * Usage: floor CONNINFO FILE   (exit 1 and the server's error on failure) */
#include <stdio.h>
#include <stdlib.h>
#include <libpq-fe.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s CONNINFO FILE\n", argv[0]); return 2; }
    FILE *f = fopen(argv[2], "rb");
    if (!f) { perror(argv[2]); return 2; }
    fseek(f, 0, SEEK_END); long n = ftell(f); rewind(f);
    char *sql = malloc(n + 1);
    if (!sql || fread(sql, 1, n, f) != (size_t)n) { perror("read"); return 2; }
    sql[n] = 0; fclose(f);
    PGconn *c = PQconnectdb(argv[1]);
    if (PQstatus(c) != CONNECTION_OK) { fprintf(stderr, "%s", PQerrorMessage(c)); return 1; }
    PGresult *r = PQexec(c, sql);   /* one 'Q' message; returns the last result */
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fprintf(stderr, "%s", PQerrorMessage(c)); return 1;
    }
    PQclear(r); PQfinish(c); free(sql);
    return 0;
}
