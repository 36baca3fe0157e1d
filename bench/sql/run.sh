#!/usr/bin/env bash
# run.sh — SQL load benchmark: how long does `cruddur` take to load a SQL file
# compared with psql (-1 -f, one message per statement) and with the floor
# (the whole file as one simple-query message, bench/sql/floor.c), on
#   (a) 50,000 single-row INSERTs, (b) ~3,000 DDL statements, (c) a 500k-row
#   pg_dump with COPY blocks  (files from bench/sql/generate.sh),
# then (a) again through delay_proxy.py (+1 ms each way) where per-statement
# round trips dominate.  Also records cruddur's (and psql's) peak RSS.
# Starts its own PostgreSQL 15 server and stops it on exit, even on failure.
#
# Env:  QUICK=1          smoke run: 1,000 inserts / ~100 DDL / 5,000-row dump, 1 run each
#       RUNS=5           runs per measurement (QUICK: 1)
#       CRUDDUR_BIN=...  cruddur binary (default <repo>/.build/release/cruddur)
#       DATA=dir         reuse files from an earlier `generate.sh dir` (else generated)
#       PROXY=0          skip the delay-proxy part;  DELAY_MS=1  proxy delay each way
#       OUT=name         also write bench/results/<name>-sql.md (+ JSON files)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=$(cd "$HERE/.." && pwd)
source "$BENCH/lib.sh"

command -v hyperfine >/dev/null || { echo "hyperfine missing: run bench/setup.sh" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: run bench/setup.sh" >&2; exit 1; }
CR=$(cruddur_bin)
PSQL="$PGBIN/psql"
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then RUNS=${RUNS:-1}; else RUNS=${RUNS:-5}; fi
PROXY=${PROXY:-1}; DELAY_MS=${DELAY_MS:-1}

WORK=$(mktemp -d /tmp/cruddur-sqlbench.XXXXXX)
PROXY_PID=
cleanup() {
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
  pg_temp_stop
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -n "${OUT:-}" ]; then JSON="$BENCH/results/$OUT-sql-json"; else JSON="$WORK/json"; fi
mkdir -p "$JSON"
TSV="$WORK/results.tsv"; : > "$TSV"

echo "# cruddur SQL load benchmark  ($(date -u +%FT%TZ), $(nproc) cores, runs=$RUNS)"
echo "cruddur: ${CR:-not built}"
echo "psql:    $PSQL ($("$PSQL" --version))"

# --- data ---------------------------------------------------------------
if [ -n "${DATA:-}" ]; then DATA=$(cd "$DATA" && pwd)
else DATA="$WORK/data"; echo "generating SQL files..."; QUICK=$QUICK bash "$HERE/generate.sh" "$DATA" || exit 1; fi
# expected row counts, to check every loader really loaded the file
N_INSERTS=$(( $(grep -c '^insert into t ' "$DATA/inserts.sql") ))
N_DUMP=$(awk '/^COPY /{c=1;next} /^\\\.$/{c=0} c{n++} END{print n+0}' "$DATA/dump.sql")

# --- floor client ---------------------------------------------------------
FLOOR="$WORK/floor"
if ! gcc -O2 "$HERE/floor.c" -I"$("$PGBIN/pg_config" --includedir)" -lpq -o "$FLOOR" 2>"$WORK/gcc.err"; then
  echo "floor: cannot build floor.c (need gcc + libpq-dev: bench/setup.sh): $(head -c 200 "$WORK/gcc.err")"
  FLOOR=
fi

# --- server --------------------------------------------------------------
pg_temp_start || exit 1
echo "server:  127.0.0.1:$PGPORT (temp, fsync=off)"
echo

# prepare script: recreate database bench (hyperfine --prepare runs it before each run)
cat > "$WORK/prep.sh" <<EOF
#!/bin/sh
exec "$PSQL" -X -q -h 127.0.0.1 -p $PGPORT -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c 'set client_min_messages = warning' -c 'drop database if exists bench with (force)' -c 'create database bench'
EOF
chmod +x "$WORK/prep.sh"

# cruddur project: bench env -> port; one per (file, port)
cruddur_yml() {  # FILE PORT -> path of yml
  local f=$1 port=$2 d="$WORK/proj-$(basename "$1" .sql)-$2"
  mkdir -p "$d"
  cat > "$d/cruddur.yml" <<EOF
version: 1
environments:
  bench:
    url: postgresql://postgres:password@127.0.0.1:$port/bench
tasks:
  load:
    description: Load $(basename "$f")
    sql: $f
EOF
  echo "$d/cruddur.yml"
}

verify() {  # WHICH -> prints problem or nothing
  local q
  case $1 in
    inserts) q="select count(*) = $N_INSERTS from t" ;;
    ddl)     q="select count(*) > 0 from pg_proc where proname like 'd%_add'" ;;
    dump)    q="select (select count(*) from customers)+(select count(*) from products)+(select count(*) from orders)+(select count(*) from order_items) = $N_DUMP" ;;
  esac
  local r; r=$(pg_psql -d bench -At -c "$q" 2>&1)
  [ "$r" = t ] || echo "verification failed ($q -> $r)"
}

# bench CASE LOADER RUNS PRECHECK CMD...
#   PRECHECK=1: one untimed run under /usr/bin/time -v first (peak RSS, exit
#   status, row-count check); then hyperfine with --prepare recreating the db.
bench() {
  local case=$1 loader=$2 runs=$3 pre=$4; shift 4
  local which=${case%%+*} safe="${case//[^A-Za-z0-9]/_}-${loader//[^A-Za-z0-9]/_}"
  local rss=""
  if [ "$pre" = 1 ]; then
    "$WORK/prep.sh" || { echo "prepare failed" >&2; return; }
    { /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/out" 2>"$WORK/err"; } 2>/dev/null
    local rc=$?
    rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$WORK/time.txt")
    local sig; sig=$(grep -o 'terminated by signal [0-9]*' "$WORK/time.txt")
    if [ $rc -ne 0 ] || [ -n "$sig" ]; then
      local st="failed (rc=$rc)"; [ -n "$sig" ] && st="crashed (${sig#terminated by })"
      printf '%s\t%s\t%s\t\t%s\n' "$case" "$loader" "$st" "$rss" >> "$TSV"
      printf '  %-14s %-8s %s: %s\n' "$case" "$loader" "$st" "$(tail -c 300 "$WORK/err" | tr '\n' ' ')"
      return
    fi
    local bad; bad=$(verify "$which")
    if [ -n "$bad" ]; then
      printf '%s\t%s\t%s\t\t%s\n' "$case" "$loader" "wrong result" "$rss" >> "$TSV"
      printf '  %-14s %-8s %s\n' "$case" "$loader" "$bad"; return
    fi
  fi
  local js="$JSON/$safe.json"
  if hyperfine -N --style none --runs "$runs" --prepare "$WORK/prep.sh" \
       --export-json "$js" --command-name "$loader" -- "$(printf '%q ' "$@")" >/dev/null 2>"$WORK/err"; then
    local bad=""; [ "$pre" = 1 ] || bad=$(verify "$which")
    if [ -n "$bad" ]; then
      printf '%s\t%s\t%s\t\t%s\n' "$case" "$loader" "wrong result" "$rss" >> "$TSV"
      printf '  %-14s %-8s %s\n' "$case" "$loader" "$bad"; return
    fi
    printf '%s\t%s\tok\t%s\t%s\n' "$case" "$loader" "$js" "$rss" >> "$TSV"
    printf '  %-14s %-8s %10.1f ms  (n=%s%s)\n' "$case" "$loader" \
      "$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["results"][0]["median"]*1000)' "$js")" \
      "$runs" "${rss:+, peak RSS ${rss} KB}"
  else
    printf '%s\t%s\t%s\t\t%s\n' "$case" "$loader" "failed (hyperfine)" "$rss" >> "$TSV"
    printf '  %-14s %-8s failed: %s\n' "$case" "$loader" "$(tail -c 300 "$WORK/err" | tr '\n' ' ')"
  fi
}

CONN="host=127.0.0.1 port=$PGPORT user=postgres dbname=bench"
for which in inserts ddl dump; do
  f="$DATA/$which.sql"
  echo "== $which.sql ($(stat -c %s "$f") bytes)"
  if [ -n "$CR" ]; then
    bench "$which" cruddur "$RUNS" 1 "$CR" load -e bench -f "$(cruddur_yml "$f" "$PGPORT")"
  else
    printf '%s\tcruddur\tnot built\t\t\n' "$which" >> "$TSV"; echo "  cruddur: not built"
  fi
  bench "$which" psql "$RUNS" 1 "$PSQL" -X -q -1 -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d bench -f "$f"
  if [ "$which" != dump ] && [ -n "$FLOOR" ]; then
    bench "$which" floor "$RUNS" 1 "$FLOOR" "$CONN" "$f"
  fi
done

if [ "$PROXY" = 1 ]; then
  PPORT=$(free_port)
  python3 "$HERE/delay_proxy.py" --listen "$PPORT" --target "127.0.0.1:$PGPORT" --delay-ms "$DELAY_MS" >/dev/null &
  PROXY_PID=$!
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PPORT) 2>/dev/null && break; sleep 0.1; done
  echo
  echo "== inserts.sql through delay_proxy.py (+$DELAY_MS ms each way)"
  PGPORT=$PGPORT bash "$HERE/proxy_check.sh" "$DELAY_MS" | sed 's/^/  /' | tee "$WORK/proxy_check.txt"
  f="$DATA/inserts.sql"
  PR=$(( RUNS < 3 ? RUNS : 3 ))
  if [ -n "$CR" ]; then
    bench "inserts+proxy" cruddur "$PR" 0 "$CR" load -e bench -f "$(cruddur_yml "$f" "$PPORT")"
  else
    printf '%s\tcruddur\tnot built\t\t\n' "inserts+proxy" >> "$TSV"; echo "  cruddur: not built"
  fi
  # psql pays one proxied round trip per statement (~2.7 ms x 50k = minutes): 1 run only
  bench "inserts+proxy" psql 1 0 "$PSQL" -X -q -1 -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PPORT" -U postgres -d bench -f "$f"
  [ -n "$FLOOR" ] && bench "inserts+proxy" floor "$PR" 0 "$FLOOR" "host=127.0.0.1 port=$PPORT user=postgres dbname=bench" "$f"
fi

echo
python3 - "$TSV" <<'PY' | tee "$WORK/table.md"
import json, sys
rows = {}
order = []
for line in open(sys.argv[1]):
    case, loader, st, js, rss = line.rstrip("\n").split("\t")
    if case not in order: order.append(case)
    j = json.load(open(js))["results"][0] if st == "ok" else None
    rows[(case, loader)] = (j["median"] * 1000 if j else st, len(j["times"]) if j else 0, rss)
def fmt(v): return f"{v:.1f}" if isinstance(v, float) else v
def ratio(c, a, b):
    x, y = rows.get((c, a), (None,))[0], rows.get((c, b), (None,))[0]
    return f"{x/y:.2f}x" if isinstance(x, float) and isinstance(y, float) else "-"
print("## SQL load: median wall time (ms)\n")
print("| file | cruddur | psql -1 -f | floor (1 msg) | cruddur/psql | cruddur/floor | psql/floor | cruddur peak RSS (KB) | psql peak RSS (KB) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in order:
    cells = []
    for l in ("cruddur", "psql", "floor"):
        v, n, _ = rows.get((c, l), ("-", 0, ""))
        cells.append(fmt(v) + (f" (n={n})" if n and n < 3 else ""))
    print(f"| {c} | " + " | ".join(cells) + f" | {ratio(c,'cruddur','psql')} | {ratio(c,'cruddur','floor')}"
          f" | {ratio(c,'psql','floor')} | {rows.get((c,'cruddur'),('', 0, ''))[2] or '-'}"
          f" | {rows.get((c,'psql'),('', 0, ''))[2] or '-'} |")
print("\nfloor = whole file as one simple-query message (bench/sql/floor.c); none for dump.sql (COPY).")
PY
[ -f "$WORK/proxy_check.txt" ] && { echo; echo "proxy calibration:"; cat "$WORK/proxy_check.txt"; } | tee -a "$WORK/table.md"

if [ -n "${OUT:-}" ]; then
  mkdir -p "$BENCH/results"
  { echo "# SQL load benchmark $(date -u +%FT%TZ)"; echo; cat "$WORK/table.md"; } > "$BENCH/results/$OUT-sql.md"
  echo; echo "wrote bench/results/$OUT-sql.md and $JSON/"
fi
