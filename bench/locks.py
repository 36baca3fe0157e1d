#!/usr/bin/env python3
"""Lock analysis measurements (docs/locks.md), runnable alone.

  bench/locks.py cost BASE NEW [DDL_SQL]   `cruddur plan` on the 3,000-statement DDL file:
                                           BASE is a cruddur built without the lock analysis
                                           (the commit before it), NEW the current one; the
                                           file is generated as bench/sql/generate.sh does.
  bench/locks.py squawk CRUDDUR            cruddur's plan beside squawk's findings, one
                                           statement of bench/locks/corpus.sql at a time;
                                           prints a Markdown table.
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = 'version: 1\nenvironments:\n  local: { default: true, url: "postgresql://u:p@127.0.0.1:1/x" }\n'


def ddl_file(directory):
    """ddl.sql exactly as bench/sql/generate.sh writes it (its Python part, DDL only)."""
    script = open(os.path.join(HERE, "sql", "generate.sh")).read()
    python = script[script.index("<<'PY'\n") + 7 : script.index("\nPY\n")]
    subprocess.run([sys.executable, "-", directory, "0", "3000"], input=python, text=True, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(directory, "ddl.sql")


def cost(base, new, ddl=None, runs=15):
    base, new = os.path.abspath(base), os.path.abspath(new)
    with tempfile.TemporaryDirectory() as directory:
        if ddl is None:
            ddl_file(directory)
        else:
            shutil.copy(ddl, os.path.join(directory, "ddl.sql"))
        open(os.path.join(directory, "cruddur.yml"), "w").write(CONFIG + "tasks:\n  ddl: { sql: ddl.sql }\n")
        times = {base: [], new: []}
        for _ in range(runs):  # interleaved, so a busy moment hits both
            for binary in (base, new):
                started = time.perf_counter()
                subprocess.run([binary, "plan", "ddl"], cwd=directory, stdout=subprocess.DEVNULL, check=True)
                times[binary].append(time.perf_counter() - started)
        b, n = statistics.median(times[base]), statistics.median(times[new])
        print(f"plan ddl.sql (3,001 statements), median of {runs}: without lock analysis {b*1000:.0f} ms, "
              f"with {n*1000:.0f} ms, ratio {n/b:.2f}, cost {(n-b)*1000:.0f} ms")


# squawk's rules about style or robustness, not locks: left out of the comparison.
NOT_LOCKS = {"prefer-robust-stmts", "prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity",
             "prefer-text-field", "prefer-timestamptz", "require-lock-timeout", "require-statement-timeout"}


def squawk_rules(statement):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(statement + ";\n")
    out = subprocess.run(["squawk", "--reporter", "json", f.name], capture_output=True, text=True).stdout
    os.unlink(f.name)
    try:
        found = json.loads(out or "[]")
    except json.JSONDecodeError:
        return ["(squawk: " + out.strip()[:40] + ")"]
    return sorted({v["rule_name"] for v in found if v["rule_name"] not in NOT_LOCKS})


def cruddur_claims(binary, statements):
    with tempfile.TemporaryDirectory() as directory:
        os.makedirs(os.path.join(directory, "m"))
        for i, statement in enumerate(statements):
            open(os.path.join(directory, "m", f"{20260101000000 + i}_s.sql"), "w").write(
                "-- migrate:up transaction:false\n" + statement + ";\n")
        open(os.path.join(directory, "cruddur.yml"), "w").write(
            CONFIG + "tasks:\n  m: { migrate: m, dump: false }\n")
        out = subprocess.run([binary, "plan", "m"], cwd=directory, capture_output=True, text=True, check=True).stdout
    claims = {i: [] for i in range(len(statements))}
    current = None
    for line in out.splitlines():
        match = re.match(r"\s+(\d{14})_s\.sql", line)
        if match:
            current = int(match.group(1)) - 20260101000000
        elif current is not None and re.match(r"\s{7}\S", line) and "locks:" not in line:
            text = line.strip()
            text = re.sub(r" \((blocks[^)]*)\)", "", text)
            text = text.split("; safer:")[0]
            claims[current].append(text.replace("scans the table under the lock", "scans").replace(
                "rewrites the table unless the type change is binary-coercible", "rewrites unless binary-coercible")
                .replace("rewrites the table", "rewrites"))
        elif current is not None and "destructive:" in line:
            claims[current].append("destructive (consent)")
    return claims


def compare(binary):
    binary = os.path.abspath(binary)
    statements = [l.rstrip(";\n") for l in open(os.path.join(HERE, "locks", "corpus.sql")) if not l.startswith("--")]
    claims = cruddur_claims(binary, statements)
    print("| statement | cruddur plan | squawk |")
    print("|---|---|---|")
    both = only_cruddur = only_squawk = 0
    for i, statement in enumerate(statements):
        rules = squawk_rules(statement)
        mine = claims[i]
        # A lock that stops writes or reads (SHARE and stronger), held while reading or
        # rewriting the whole table.
        heavy = any(("rewrites" in c or "scans" in c)
                    and re.match(r"\S+ (ACCESS EXCLUSIVE|EXCLUSIVE|SHARE ROW EXCLUSIVE|SHARE)(,|$)", c.split(";")[0])
                    for c in mine)
        if heavy and rules: both += 1
        elif heavy: only_cruddur += 1
        elif rules: only_squawk += 1
        print(f"| `{statement}` | {'; '.join(mine) or '(no lock shown)'} | {', '.join(rules) or '—'} |")
    print(f"\n{len(statements)} statements; a blocking rewrite or scan shown by cruddur and flagged by squawk: "
          f"{both}; shown by cruddur only: {only_cruddur}; flagged by squawk only: {only_squawk}")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "cost":
        cost(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    elif len(sys.argv) == 3 and sys.argv[1] == "squawk":
        compare(sys.argv[2])
    else:
        sys.exit(__doc__)
