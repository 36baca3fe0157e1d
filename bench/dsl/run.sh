#!/usr/bin/env bash
# run.sh — DSL benchmark: how fast does cruddur load, validate and plan a task
# file compared with go-task and just, and how does it grow with the number of
# tasks (50, 1000, 10000, plus a 10,000-deep chain)?  Uses bench/dsl/generate.py
# to write the same graph in all three formats and hyperfine to time it.
#
# Env:  QUICK=1          smoke run: N=50 only, 3 runs (for CI)
#       CRUDDUR_BIN=...  cruddur binary (default: <repo>/.build/release/cruddur;
#                        cruddur rows say "not built" when absent)
#       JUST_BIN / TASK_BIN  override the real just/task binaries
#       SIZES="50 1000"  override the sizes; CHAIN=0 skips the chain variant
#       OUT=name         also write bench/results/<name>-dsl.md (+ JSON files)
# Prints a table of medians (ms) and ratios to stdout.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=$(cd "$HERE/.." && pwd)
source "$BENCH/lib.sh"

command -v hyperfine >/dev/null || { echo "hyperfine missing: run bench/setup.sh" >&2; exit 1; }
JUST=$(just_bin); TASK=$(task_bin); CR=$(cruddur_bin)
[ -x "$JUST" ] || { echo "just missing: run bench/setup.sh" >&2; exit 1; }
[ -x "$TASK" ] || { echo "task missing: run bench/setup.sh" >&2; exit 1; }
case "$JUST$TASK" in *shims*) echo "refusing to time pyenv shims ($JUST, $TASK)" >&2; exit 1;; esac

WORK=$(mktemp -d /tmp/cruddur-dsl.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
if [ -n "${OUT:-}" ]; then JSON="$BENCH/results/$OUT-dsl-json"; else JSON="$WORK/json"; fi
mkdir -p "$JSON"
TSV="$WORK/results.tsv"; : > "$TSV"

if [ "${QUICK:-0}" = 1 ]; then
  SIZES=${SIZES:-50}; CHAIN=${CHAIN:-0}
else
  SIZES=${SIZES:-50 1000 10000}; CHAIN=${CHAIN:-1}
fi
CASES=()
for n in $SIZES; do CASES+=("$n"); done
[ "$CHAIN" = 1 ] && CASES+=("chain10000")

echo "# cruddur DSL benchmark  ($(date -u +%FT%TZ), $(nproc) cores)"
echo "just: $JUST ($("$JUST" --version))"
echo "task: $TASK ($("$TASK" --version))"
echo "cruddur: ${CR:-not built}"
echo

# bench CASE LABEL DIR CMD...   (one hyperfine per command so one crash can't
# sink the rest; a single untimed pre-run decides ok / crashed / failed)
bench() {
  local case=$1 label=$2 dir=$3; shift 3
  local warm=3 runs=20
  if [ "${QUICK:-0}" = 1 ]; then warm=1; runs=3
  elif [[ $case == *10000 ]]; then warm=1; runs=5; fi
  local safe=${label//[^A-Za-z0-9]/_}
  # outer 2>/dev/null: hides bash's own "Segmentation fault" job report
  { (cd "$dir" && timeout 600 "$@" >/dev/null 2>"$WORK/err"); } 2>/dev/null
  local rc=$?
  if [ $rc -ne 0 ]; then
    local st="failed (rc=$rc)"
    [ $rc -eq 124 ] && st="timeout"
    [ $rc -gt 128 ] && [ $rc -ne 124 ] && st="crashed (signal $((rc-128)))"
    printf '%s\t%s\t%s\t\n' "$case" "$label" "$st" >> "$TSV"
    printf '  %-22s %s: %s\n' "$label" "$st" "$(tail -c 200 "$WORK/err" | tr '\n' ' ')"
    return
  fi
  local js="$JSON/$case-$safe.json"
  if (cd "$dir" && hyperfine -N --style none --warmup $warm --runs $runs \
        --export-json "$js" --command-name "$label" -- "$(printf '%q ' "$@")" >/dev/null 2>"$WORK/err"); then
    printf '%s\t%s\tok\t%s\n' "$case" "$label" "$js" >> "$TSV"
    printf '  %-22s %8.2f ms\n' "$label" "$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["results"][0]["median"]*1000)' "$js")"
  else
    printf '%s\t%s\t%s\t\n' "$case" "$label" "failed (hyperfine)" >> "$TSV"
    printf '  %-22s failed in hyperfine: %s\n' "$label" "$(tail -c 200 "$WORK/err" | tr '\n' ' ')"
  fi
}

for c in "${CASES[@]}"; do
  d="$WORK/$c"
  if [ "$c" = chain10000 ]; then python3 "$HERE/generate.py" 10000 "$d" --chain
  else python3 "$HERE/generate.py" "$c" "$d"; fi
  echo "== N=$c"
  if [ -n "$CR" ]; then
    bench "$c" "cruddur list"     "$d" "$CR" list -f "$d/cruddur.yml"
    bench "$c" "cruddur validate" "$d" "$CR" validate -f "$d/cruddur.yml"
    bench "$c" "cruddur plan all" "$d" "$CR" plan all -f "$d/cruddur.yml"
  else
    for l in "cruddur list" "cruddur validate" "cruddur plan all"; do
      printf '%s\t%s\tnot built\t\n' "$c" "$l" >> "$TSV"
    done
    echo "  cruddur: not built"
  fi
  bench "$c" "task --list"      "$d" "$TASK" --list
  bench "$c" "task --dry all"   "$d" "$TASK" --dry all
  bench "$c" "just --list"      "$d" "$JUST" --list
  bench "$c" "just --dry-run all" "$d" "$JUST" --dry-run all
done

echo
python3 - "$TSV" "${CASES[@]}" <<'PY' | tee "$WORK/table.md"
import json, sys
tsv, cases = sys.argv[1], sys.argv[2:]
res = {}
for line in open(tsv):
    c, label, st, js = line.rstrip("\n").split("\t")
    res[(c, label)] = json.load(open(js))["results"][0]["median"] * 1000 if st == "ok" else st
labels = ["cruddur list", "cruddur validate", "cruddur plan all", "task --list",
          "task --dry all", "just --list", "just --dry-run all"]
def fmt(v): return f"{v:.2f}" if isinstance(v, float) else v
def ratio(a, b):
    a, b = res.get(a), res.get(b)
    return f"{a/b:.2f}x" if isinstance(a, float) and isinstance(b, float) else "-"
print("## Median wall time (ms)\n")
print("| command | " + " | ".join(f"N={c}" for c in cases) + " |")
print("|---|" + "---:|" * len(cases))
for l in labels:
    print(f"| {l} | " + " | ".join(fmt(res.get((c, l), "-")) for c in cases) + " |")
print("\n## Ratios (cruddur / other; <1 means cruddur is faster)\n")
print("| ratio | " + " | ".join(f"N={c}" for c in cases) + " |")
print("|---|" + "---:|" * len(cases))
for name, a, b in [("list / just --list", "cruddur list", "just --list"),
                   ("list / task --list", "cruddur list", "task --list"),
                   ("validate / just --list", "cruddur validate", "just --list"),
                   ("plan / just --dry-run", "cruddur plan all", "just --dry-run all"),
                   ("plan / task --dry", "cruddur plan all", "task --dry all")]:
    print(f"| {name} | " + " | ".join(ratio((c, a), (c, b)) for c in cases) + " |")
if "50" in cases and "10000" in cases:
    print("\n## Growth N=10000 / N=50 (linear would be 200x)\n")
    print("| command | growth |\n|---|---:|")
    for l in ["cruddur plan all", "task --dry all", "just --dry-run all", "cruddur list", "just --list", "task --list"]:
        print(f"| {l} | {ratio(('10000', l), ('50', l))} |")
PY

if [ -n "${OUT:-}" ]; then
  mkdir -p "$BENCH/results"
  { echo "# DSL benchmark $(date -u +%FT%TZ)"; echo; cat "$WORK/table.md"; } > "$BENCH/results/$OUT-dsl.md"
  echo; echo "wrote bench/results/$OUT-dsl.md and $JSON/"
fi
