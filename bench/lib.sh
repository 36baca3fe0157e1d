# lib.sh — shared helpers sourced by the bench scripts: locate the real
# binaries (never the slow pyenv shims) and the cruddur binary.

PGBIN=/usr/lib/postgresql/15/bin

# real binary behind a pip-installed console script; avoids pyenv shims
_real_bin() {
  local name=$1 p=""
  if command -v pyenv >/dev/null 2>&1; then p=$(pyenv which "$name" 2>/dev/null || true); fi
  if [ -z "$p" ]; then
    local d; d=$(python3 -c 'import sysconfig;print(sysconfig.get_path("scripts"))' 2>/dev/null || true)
    [ -n "$d" ] && [ -x "$d/$name" ] && p="$d/$name"
  fi
  if [ -z "$p" ]; then p=$(command -v "$name" 2>/dev/null || true); fi
  echo "$p"
}
just_bin() { echo "${JUST_BIN:-$(_real_bin just)}"; }
task_bin() { echo "${TASK_BIN:-$(_real_bin task)}"; }

# cruddur: $CRUDDUR_BIN, else the release build in the repo; empty if absent
cruddur_bin() {
  local root; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [ -n "${CRUDDUR_BIN:-}" ] && [ -x "$CRUDDUR_BIN" ]; then echo "$CRUDDUR_BIN"
  elif [ -x "$root/.build/release/cruddur" ]; then echo "$root/.build/release/cruddur"
  fi
}

# free TCP port on 127.0.0.1 (tiny race window between close and use; fine here)
free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'
}

# pg_temp_start: throw-away PostgreSQL 15 server (initdb/pg_ctl refuse root, so
# they run as postgres).  TCP on 127.0.0.1 only, unix socket inside the temp dir,
# trust auth (the password in URLs is ignored).  Durability is off (fsync,
# synchronous_commit, full_page_writes) so that disk flushes don't drown the
# client-side costs we want to compare; max_wal_size is large so no checkpoint
# lands in the middle of a load.  Sets PGTMP and PGPORT.  Stop with pg_temp_stop.
pg_temp_start() {
  PGTMP=$(mktemp -d /tmp/cruddur-pg.XXXXXX)
  chown postgres: "$PGTMP"; chmod 700 "$PGTMP"
  PGPORT=$(free_port)
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 \
      --locale=C --no-sync >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log" >&2; return 1; }
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -c unix_socket_directories=$PGTMP \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
          -c max_wal_size=4GB -c checkpoint_timeout=1h" start >/dev/null \
    || { cat "$PGTMP/server.log" >&2; return 1; }
  export PGTMP PGPORT
}
pg_temp_stop() {
  [ -n "${PGTMP:-}" ] && [ -d "$PGTMP/data" ] || return 0
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"; PGTMP=
}
# psql against the temp server over TCP, never the slow Perl wrapper on PATH
pg_psql() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }
