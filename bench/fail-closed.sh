#!/usr/bin/env bash
# bench/fail-closed.sh — what judging statements with PostgreSQL's grammar costs (issue 17).
# Runs alone; the lead wires it into bench/run. On a throw-away server it times, over
# ROUNDS rounds interleaved (median of each):
#   floor      the 50k one-row INSERT file sent as one message (bench/sql/floor.c)
#   load       `cruddur load` of that file on an unprotected environment (no parse: the
#              run must stay within 1.25x the floor; libpg_query must not even be mapped,
#              checked with LD_DEBUG)
#   plan-prot  `cruddur plan load -e prod` on a protected environment (every statement
#              parsed and judged; must stay within 1.5 s)
#   plan-open  the same plan on the unprotected environment (no parse)
# and reports the ratios and the per-statement cost of judging: (plan-prot - plan-open) / N.
#
# Env: CRUDDUR_BIN (default .build/release/cruddur), ROUNDS (default 5), INSERTS (50000).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CRUDDUR=${CRUDDUR_BIN:-$ROOT/.build/release/cruddur}
ROUNDS=${ROUNDS:-5}
INSERTS=${INSERTS:-50000}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$CRUDDUR" ] || { echo "no cruddur at $CRUDDUR (swift build -c release --product cruddur)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/cruddur-fail-closed.XXXXXX)
chmod 755 "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$WORK/pg" && { [ "$(id -u)" -ne 0 ] || chown postgres "$WORK/pg"; }
run_pg "$PGBIN/initdb" -D "$WORK/pg/data" -A trust -U postgres >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK/pg -c fsync=off" start >/dev/null
trap 'run_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

python3 - "$WORK/inserts.sql" "$INSERTS" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
with open(out, "w") as f:
    f.write("create table t (id int primary key, name text, n numeric, at timestamptz);\n")
    for i in range(1, n + 1):
        name = f"it''s row {i}; with a semicolon" if i % 100 == 0 else f"row {i}"
        s, m, h = i % 60, (i // 60) % 60, (i // 3600) % 24
        f.write(f"insert into t (id, name, n, at) values ({i}, '{name}', {i * 1.25:.2f}, "
                f"'2024-01-{1 + i % 28:02d} {h:02d}:{m:02d}:{s:02d}+00');\n")
PY
gcc -O2 "$ROOT/bench/sql/floor.c" -I"$("$PGBIN/pg_config" --includedir)" -lpq -o "$WORK/floor"
URL="postgresql://postgres@127.0.0.1:$PORT/bench"
cat > "$WORK/cruddur.yml" <<EOF
version: 1
environments:
  bench: { default: true, url: "$URL" }
  prod: { protected: true, url: "$URL" }
tasks:
  load: { sql: inserts.sql }
EOF
psql_() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
recreate() { psql_ -d postgres -c "drop database if exists bench" -c "create database bench"; }
now() { date +%s.%N; }
timed() { local start; start=$(now); "$@" >/dev/null; python3 -c "print($(now) - $start)"; }

recreate
if LD_DEBUG=libs "$CRUDDUR" load -f "$WORK/cruddur.yml" 2>&1 >/dev/null | grep -q libpg_query; then
  echo "FAIL: an unprotected run mapped libpg_query" >&2; exit 1
fi
echo "unprotected run: libpg_query not loaded (LD_DEBUG=libs)"

declare -a floor load prot open_
for ((r = 0; r < ROUNDS; r++)); do
  recreate; floor+=("$(timed "$WORK/floor" "host=127.0.0.1 port=$PORT user=postgres dbname=bench" "$WORK/inserts.sql")")
  recreate; load+=("$(timed "$CRUDDUR" load -q -f "$WORK/cruddur.yml")")
  prot+=("$(timed "$CRUDDUR" plan load -e prod -f "$WORK/cruddur.yml")")
  open_+=("$(timed "$CRUDDUR" plan load -f "$WORK/cruddur.yml")")
done
python3 - "$INSERTS" "${floor[*]}" "${load[*]}" "${prot[*]}" "${open_[*]}" <<'PY'
import statistics as st, sys
n = int(sys.argv[1])
floor, load, prot, open_ = (st.median(map(float, a.split())) for a in sys.argv[2:6])
print(f"{n} one-row INSERTs, medians of {len(sys.argv[2].split())} rounds")
print(f"  floor (1 message)           {floor:7.3f} s")
print(f"  cruddur load (unprotected)  {load:7.3f} s   {load / floor:5.2f}x floor   (limit 1.25x)")
print(f"  plan on protected env       {prot:7.3f} s                    (limit 1.5 s)")
print(f"  plan on unprotected env     {open_:7.3f} s")
print(f"  judging: {(prot - open_) / n * 1e6:.1f} µs per statement (parse + decode + classify)")
PY
