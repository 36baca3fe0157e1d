#!/usr/bin/env bash
# bench/prepared.sh — what planning once and running the prepared step saves (issue 18,
# item 1): client instructions (valgrind callgrind, every thread, on `strip -g` copies; stable
# on a busy machine, unlike times) of two cruddur binaries, BASE (before) and NEW (after):
#   migrate-noop  `cruddur db:migrate` with all 100 migrations applied (bench/migrate-noop.sh's)
#   load          `cruddur load` of the 50k one-row INSERT file (bench/fail-closed.sh's), and
#                 the libpq floor client sending it as one message (bench/sql/floor.c)
# Prints each count and the ratios NEW/BASE and load/floor.
#   bench/prepared.sh BASE NEW     (e.g. /work/main/.build/release/cruddur .build/release/cruddur)
# Env: INSERTS (default 50000). Starts and stops its own server on a free port.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=$(realpath "$1")
NEW=$(realpath "$2")
INSERTS=${INSERTS:-50000}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
WORK=$(mktemp -d /tmp/cruddur-prepared.XXXXXX)
chmod 755 "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$WORK/pg" && { [ "$(id -u)" -ne 0 ] || chown postgres "$WORK/pg"; }
run_pg "$PGBIN/initdb" -D "$WORK/pg/data" -A trust -U postgres >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK/pg -c fsync=off" start >/dev/null
trap 'run_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
psql_() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }

cp "$BASE" "$WORK/base" && cp "$NEW" "$WORK/new" && strip -g "$WORK/base" "$WORK/new"
gcc -O2 "$ROOT/bench/sql/floor.c" -I"$("$PGBIN/pg_config" --includedir)" -lpq -o "$WORK/floor"

# The project: 100 migrations (as bench/migrate-noop.sh) and the 50k INSERTs (as bench/fail-closed.sh).
mkdir -p "$WORK/project/db/migrations"
python3 - "$WORK/project" "$INSERTS" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(100):
    v = 20260101000000 + i * 100
    with open(f"{root}/db/migrations/{v}_m{i}.sql", "w") as f:
        f.write(f"-- migrate:up\ncreate table t{i} (id serial primary key, name text not null);\n"
                f"create index t{i}_name on t{i} (name);\n-- migrate:down\ndrop table t{i};\n")
with open(f"{root}/inserts.sql", "w") as f:
    f.write("create table t (id int primary key, name text, n numeric, at timestamptz);\n")
    for i in range(1, n + 1):
        name = f"it''s row {i}; with a semicolon" if i % 100 == 0 else f"row {i}"
        s, m, h = i % 60, (i // 60) % 60, (i // 3600) % 24
        f.write(f"insert into t (id, name, n, at) values ({i}, '{name}', {i * 1.25:.2f}, "
                f"'2024-01-{1 + i % 28:02d} {h:02d}:{m:02d}:{s:02d}+00');\n")
PY
cat > "$WORK/project/cruddur.yml" <<EOF
version: 1
environments:
  local: { default: true, url: "postgresql://postgres@127.0.0.1:$PORT/migrations" }
  bench: { url: "postgresql://postgres@127.0.0.1:$PORT/bench" }
tasks:
  db:migrate: { migrate: db/migrations, dump: false }
  load: { sql: inserts.sql }
EOF
psql_ -d postgres -c "create database migrations"
(cd "$WORK/project" && "$WORK/base" db:migrate >/dev/null)

count() {  # instructions of one run (every thread), from callgrind's summary
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
recreate() { psql_ -d postgres -c "drop database if exists bench" -c "create database bench"; }
cd "$WORK/project"
noop_base=$(count "$WORK/base" db:migrate)
noop_new=$(count "$WORK/new" db:migrate)
recreate; load_base=$(count "$WORK/base" load -q -e bench)
recreate; load_new=$(count "$WORK/new" load -q -e bench)
recreate; floor=$(count "$WORK/floor" "host=127.0.0.1 port=$PORT user=postgres dbname=bench" "$WORK/project/inserts.sql")
python3 - "$noop_base" "$noop_new" "$load_base" "$load_new" "$floor" <<'PY'
import sys
nb, nn, lb, ln, fl = map(int, sys.argv[1:])
print(f"no-op db:migrate (100 applied)  base {nb/1e6:8.1f} M  new {nn/1e6:8.1f} M  new/base {nn/nb:.2f}")
print(f"load of 50k INSERTs             base {lb/1e6:8.1f} M  new {ln/1e6:8.1f} M  new/base {ln/lb:.2f}")
print(f"libpq floor (one message)       {fl/1e6:8.1f} M   base/floor {lb/fl:.2f}  new/floor {ln/fl:.2f}")
PY
