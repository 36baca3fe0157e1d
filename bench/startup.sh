#!/usr/bin/env bash
# bench/startup.sh — start-up cost, runnable alone (issue 18, item 8): hyperfine runs each
# pair in one invocation (interleaved by hyperfine's own warm-up and runs; the ratio is of
# the means it prints), then valgrind callgrind counts instructions on a `strip -g` copy of
# the release binary, which a busy machine does not disturb.
#
#   list, 50 tasks          cruddur list          vs  just --list             (target <= 1.0x)
#   plan, 100 tasks         cruddur plan all      vs  just --dry-run all      (target <= 1.0x)
#   one-query task          cruddur q             vs  psql -X -c 'select 1'   (target <= 1.15x)
#
# It also prints the binary's relocations (what the dynamic loader does before main) and the
# libraries it loads: ld.so's share is a floor no code change moves.
#
# Times $CRUDDUR_BIN, else .build/release/cruddur (build it as scripts/install does:
# swift build -c release --product cruddur -Xswiftc -static-stdlib). Env: RUNS (default 60).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
source "$BENCH/lib.sh"
bash "$BENCH/setup.sh" >/dev/null
command -v valgrind >/dev/null 2>&1 || { apt-get install -y -qq valgrind >/dev/null; }
RUNS=${RUNS:-60}

CR=$(cruddur_bin)
[ -n "$CR" ] || { echo "bench/startup.sh: cruddur not built" >&2; exit 1; }
JUST=$(just_bin)
case "$JUST" in *shims*) echo "bench/startup.sh: refusing to time a pyenv shim ($JUST)" >&2; exit 1;; esac

WORK=$(mktemp -d /tmp/cruddur-startup.XXXXXX)
cleanup() { pg_temp_stop; rm -rf "$WORK"; }
trap cleanup EXIT
pg_temp_start

python3 "$BENCH/dsl/generate.py" 50 "$WORK/dsl50" >/dev/null
python3 "$BENCH/dsl/generate.py" 100 "$WORK/dsl100" >/dev/null
mkdir -p "$WORK/q"
cat >"$WORK/q/cruddur.yml" <<YML
version: 1
environments:
  local: { default: true, url: "postgresql://postgres@127.0.0.1:$PGPORT/postgres" }
tasks:
  q: { query: select 1 }
YML
PSQL="$PGBIN/psql"
STRIPPED="$WORK/cruddur-stripped"
cp "$CR" "$STRIPPED"; strip -g "$STRIPPED"

echo "== hyperfine ($RUNS runs each, warm-up 5), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N -w 5 -r "$RUNS" --export-json "$WORK/list.json" \
  -n "cruddur list (50 tasks)" "$CR list -f $WORK/dsl50/cruddur.yml" \
  -n "just --list (50 tasks)" "$JUST --list --justfile $WORK/dsl50/justfile" >/dev/null
hyperfine -N -w 5 -r "$RUNS" --export-json "$WORK/plan.json" \
  -n "cruddur plan all (100 tasks)" "$CR plan all -f $WORK/dsl100/cruddur.yml" \
  -n "just --dry-run all (100)" "$JUST --justfile $WORK/dsl100/justfile --dry-run all" >/dev/null
hyperfine -N -w 5 -r "$RUNS" --export-json "$WORK/query.json" \
  -n "cruddur q (select 1)" "$CR q -q -f $WORK/q/cruddur.yml" \
  -n "psql -X -c 'select 1'" "$PSQL -X -h 127.0.0.1 -p $PGPORT -U postgres -d postgres -c 'select 1'" >/dev/null
python3 - "$WORK/list.json" "$WORK/plan.json" "$WORK/query.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    a, b = json.load(open(path))["results"]
    def ms(r): return f'{r["mean"]*1000:.2f} ms ± {r["stddev"]*1000:.2f} (median {r["median"]*1000:.2f})'
    print(f'{a["command"]:28} {ms(a)}')
    print(f'{b["command"]:28} {ms(b)}')
    print(f'  ratio (means)   {a["mean"]/b["mean"]:.2f}x   (medians) {a["median"]/b["median"]:.2f}x')
    # CPU (user + system) moves least with the machine's load; hyperfine records it per run.
    def cpu(r): return (r["user"] + r["system"]) * 1000  # hyperfine's mean user and system seconds
    print(f'  CPU per run     {cpu(a):.2f} / {cpu(b):.2f} ms = {cpu(a)/cpu(b):.2f}x')
PY

count() {  # instructions of one run (every thread), from callgrind's summary
  (cd "$1" && shift && valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null) \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
echo "== callgrind instructions (strip -g copy)"
printf '%-28s %s\n' "cruddur list (50 tasks)" "$(count "$WORK/dsl50" "$STRIPPED" list -f "$WORK/dsl50/cruddur.yml")"
printf '%-28s %s\n' "cruddur list (starter)" "$(count "$ROOT" "$STRIPPED" list)"
printf '%-28s %s\n' "cruddur --version" "$(count "$WORK" "$STRIPPED" --version)"
printf '%-28s %s\n' "cruddur q (select 1)" "$(count "$WORK/q" "$STRIPPED" q -q -f "$WORK/q/cruddur.yml")"
printf '%-28s %s\n' "cruddur plan all (100)" "$(count "$WORK/dsl100" "$STRIPPED" plan all -f "$WORK/dsl100/cruddur.yml")"
printf '%-28s %s\n' "just --list (50 tasks)" "$(count "$WORK/dsl50" "$JUST" --list --justfile "$WORK/dsl50/justfile")"
printf '%-28s %s\n' "just --dry-run all (100)" "$(count "$WORK/dsl100" "$JUST" --justfile "$WORK/dsl100/justfile" --dry-run all)"
printf '%-28s %s\n' "psql -X -c 'select 1'" "$(count "$WORK" "$PSQL" -X -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c 'select 1')"

echo "== what the dynamic loader does before main ($CR)"
# Relocations by type; with RELR (lld's -z pack-relative-relocs) the relative ones are a
# bitmap in .relr.dyn, which readelf reports as "N offsets".
readelf -rW "$CR" | awk '
  /^Relocation section/ { section = $3 }
  / offsets$/ { printf "  %-26s %d (RELR, in %s)\n", "R_X86_64_RELATIVE", $1, section }
  $3 ~ /^R_X86_64_/ { n[$3]++ }
  END { for (t in n) printf "  %-26s %d\n", t, n[t] }'
readelf -dW "$CR" | awk '/NEEDED/ { gsub(/[][]/, "", $5); printf "  needs %s\n", $5 }'
readelf -hW "$CR" | awk '/Type:/ { sub(/^ *Type: */, "  type "); print }'
( cd "$WORK/dsl50" && LD_DEBUG=statistics "$CR" list -f "$WORK/dsl50/cruddur.yml" 2>&1 >/dev/null ) \
  | awk '/number of relocations:/ && !seen++ { print "  ld.so, symbol relocations at start: " $NF }'
