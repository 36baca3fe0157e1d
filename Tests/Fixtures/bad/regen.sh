#!/usr/bin/env bash
# Rewrites every case's `expected.txt` from the current binary. Read the diff before
# committing: these files are the specification of cruddur's error messages.
# Each case: cruddur.yml (+ files), optional `args` (one per line; default: validate),
# optional `env` (NAME=value lines).
set -euo pipefail
cd "$(dirname "$0")"
bin="${CRUDDUR_BIN:-$(cd ../../.. && pwd)/.build/debug/cruddur}"
for dir in */; do
  dir="${dir%/}"
  args=(validate)
  [ -f "$dir/args" ] && mapfile -t args <"$dir/args"
  envs=()
  [ -f "$dir/env" ] && mapfile -t envs <"$dir/env"
  set +e
  err=$(cd "$dir" && env -i PATH=/usr/bin:/bin HOME=/tmp "${envs[@]}" "$bin" "${args[@]}" 2>&1 >/dev/null)
  status=$?
  set -e
  printf 'exit %s\n%s\n' "$status" "$err" >"$dir/expected.txt"
done
