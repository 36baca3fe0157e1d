/* pipeline.c — measures the two ways to cut round trips that issue 4 asks to compare,
 * on a file of one statement per line (inserts.sql from generate.sh):
 *   batch:    multi-statement simple-query messages of N statements (what cruddur does)
 *   pipeline: libpq pipeline mode, one extended-protocol message per statement, one sync
 * Both run inside BEGIN/COMMIT so they do the same server work as `psql -1`.
 * Build: gcc -O2 pipeline.c -I$(pg_config --includedir) -lpq -o pipeline
 * Usage: pipeline batch|pipeline CONNINFO FILE [N=1000]; prints milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libpq-fe.h>

static double now_ms(void) {
  struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static void check(PGconn *c, PGresult *r) {
  ExecStatusType s = PQresultStatus(r);
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_PIPELINE_SYNC) {
    fprintf(stderr, "%s", PQerrorMessage(c)); exit(1);
  }
  PQclear(r);
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: %s batch|pipeline CONNINFO FILE [N]\n", argv[0]); return 2; }
  int per = argc > 4 ? atoi(argv[4]) : 1000;
  FILE *f = fopen(argv[3], "rb");
  if (!f) { perror(argv[3]); return 2; }
  size_t cap = 0; char *line = NULL; ssize_t len;
  char **stmts = NULL; size_t n = 0, scap = 0;
  while ((len = getline(&line, &cap, f)) > 0) {
    if (len <= 1) continue;
    if (n == scap) { scap = scap ? scap * 2 : 1024; stmts = realloc(stmts, scap * sizeof *stmts); }
    stmts[n++] = strdup(line);
  }
  fclose(f);
  PGconn *c = PQconnectdb(argv[2]);
  if (PQstatus(c) != CONNECTION_OK) { fprintf(stderr, "%s", PQerrorMessage(c)); return 1; }
  double t0 = now_ms();
  check(c, PQexec(c, "BEGIN"));
  if (strcmp(argv[1], "batch") == 0) {
    size_t bufcap = 1 << 20; char *buf = malloc(bufcap);
    for (size_t i = 0; i < n; i += per) {
      size_t used = 0;
      for (size_t j = i; j < n && j < i + per; j++) {
        size_t l = strlen(stmts[j]);
        if (used + l + 1 > bufcap) { bufcap = (used + l + 1) * 2; buf = realloc(buf, bufcap); }
        memcpy(buf + used, stmts[j], l); used += l;
      }
      buf[used] = 0;
      PQsendQuery(c, buf);
      PGresult *r;
      while ((r = PQgetResult(c))) check(c, r);
    }
  } else {
    PQenterPipelineMode(c);
    /* A sync every N statements, then their results: without reading, both sides' socket
     * buffers fill and the pipeline deadlocks; the same one round trip per N as batches. */
    for (size_t i = 0; i < n; i += per) {
      size_t end = i + per < n ? i + per : n;
      for (size_t j = i; j < end; j++) {
        char *s = stmts[j]; size_t l = strlen(s);
        while (l && (s[l - 1] == '\n' || s[l - 1] == ';')) s[--l] = 0;   /* one statement each */
        if (!PQsendQueryParams(c, s, 0, NULL, NULL, NULL, NULL, 0)) { fprintf(stderr, "%s", PQerrorMessage(c)); return 1; }
      }
      PQpipelineSync(c);
      for (size_t j = i; j < end; j++) {
        PGresult *r;
        while ((r = PQgetResult(c))) check(c, r);
      }
      check(c, PQgetResult(c));   /* the sync */
    }
    PQexitPipelineMode(c);
  }
  check(c, PQexec(c, "COMMIT"));
  printf("%.0f\n", now_ms() - t0);
  PQfinish(c);
  return 0;
}
