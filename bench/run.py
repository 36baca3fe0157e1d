#!/usr/bin/env python3
"""bench/run.py — the driver behind bench/run (which installs the tools, builds the floor
client, generates the SQL files and starts a throw-away server, then calls this).

Why a driver of our own and not hyperfine: hyperfine runs every repeat of one command
before the next command, so whatever the machine or the server does meanwhile (another
agent's build, a checkpoint after a dropped database) lands on one tool. Here each round
runs every tool once, in an order rotated by one each round, and a ratio is taken per round
(paired), so slow phases hit both sides of a ratio. Each run gives the
wall time, the exit status and the peak RSS (ru_maxrss) of the very process, measured by
bench/measure.c (fork, exec, wait4), as /usr/bin/time would.

Reports medians, the median of the per-round ratios with its range, the load average
around each group, and writes BENCHMARKS.md and an SVG chart of the ratios.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys

PGBIN = "/usr/lib/postgresql/15/bin"
PSQL = PGBIN + "/psql"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

A = None  # command-line arguments
RESULTS = {"groups": []}


def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def busy_processes():
    """What else used the CPU when a group started: the names of the top processes."""
    out = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"],
                         capture_output=True, text=True).stdout.splitlines()
    top = []
    for line in out[:6]:
        pcpu, _, comm = line.strip().partition(" ")
        if float(pcpu) >= 20 and comm.strip() not in ("ps", "python3"):
            top.append(f"{comm.strip()} {pcpu}%")
    return ", ".join(top) or "none above 20%"


def spawn(argv, cwd, env, stdout="/dev/null", stdin="/dev/null"):
    """One run through bench/measure.c: (seconds, exit status or -signal, peak RSS in KiB,
    stderr tail). The clock and wait4 are in the small C parent, so neither Python's start
    of a process nor its memory is in the numbers."""
    err = os.path.join(A.work, "stderr.txt")
    r = subprocess.run([A.measure, stdin, stdout, err, *argv], cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"measure failed: {r.stderr}")
    ns, status, rss, cpu = (int(x) for x in r.stdout.split())
    with open(err, errors="replace") as f:
        tail = f.read()[-300:]
    A.last_cpu_ms = cpu / 1000
    return ns / 1e9, status, rss, tail


def psql_at(db, *args):
    """Untimed helper queries (prepare and verify steps), over TCP like the tools."""
    return subprocess.run([PSQL, "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(A.port), "-U", "postgres",
                           "-d", db, "-v", "ON_ERROR_STOP=1", *args], capture_output=True, text=True)


class Cmd:
    def __init__(self, label, argv, cwd, env=None, prep=None, verify=None, stdin="/dev/null"):
        self.label, self.argv, self.cwd = label, argv, cwd
        self.env = env or base_env()
        self.prep, self.verify, self.stdin = prep, verify, stdin
        self.times, self.rss, self.cpu, self.status = [], [], [], "ok"


def base_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "CRUDDUR_"))}
    env["PATH"] = PGBIN + ":" + env.get("PATH", "/usr/bin:/bin")  # the real psql, not the Perl wrapper
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def describe_failure(rc, err):
    what = f"crashed (signal {-rc})" if rc < 0 else f"failed (rc={rc})"
    return what, err.strip().replace("\n", " ")[-200:]


def group(name, title, cmds, rounds, note=""):
    """Runs every command once untimed (exit status, output check), then `rounds` rounds of
    all commands in a rotated order."""
    if A.only and name.split(":")[0] not in A.only:
        return
    rounds = A.rounds or rounds
    entry = {"name": name, "title": title, "note": note, "load_before": loadavg(),
             "busy": busy_processes(), "rounds": rounds, "cmds": []}
    print(f"== {title}  (load {entry['load_before']}; busy: {entry['busy']})", flush=True)
    for c in cmds:
        if c.prep: c.prep()
        out = os.path.join(A.work, "out.txt")
        secs, rc, rss, err = spawn(c.argv, c.cwd, c.env, stdout=out, stdin=c.stdin)
        if rc != 0:
            c.status, detail = describe_failure(rc, err)
            print(f"  {c.label:34} {c.status}: {detail}", flush=True)
            if "cruddur" in c.label: A.failures.append(f"{title}: {c.label}: {c.status}: {detail}")
            continue
        problem = c.verify(out) if c.verify else None
        if problem:
            c.status = "wrong result"
            print(f"  {c.label:34} wrong result: {problem}", flush=True)
            A.failures.append(f"{title}: {c.label}: {problem}")
        c.rss.append(rss)
    live = [c for c in cmds if c.status == "ok"]
    for r in range(rounds):
        k = r % len(live) if live else 0
        for c in live[k:] + live[:k]:
            if c.status != "ok": continue
            if c.prep: c.prep()
            secs, rc, rss, err = spawn(c.argv, c.cwd, c.env, stdin=c.stdin)
            if rc != 0:
                c.status, detail = describe_failure(rc, err)
                print(f"  {c.label:34} {c.status} in round {r + 1}: {detail}", flush=True)
                if "cruddur" in c.label: A.failures.append(f"{title}: {c.label}: {c.status}: {detail}")
                continue
            c.times.append(secs)
            c.rss.append(rss)
            c.cpu.append(A.last_cpu_ms)
    for c in cmds:
        median = statistics.median(c.times) * 1000 if c.times and c.status == "ok" else None
        if median is not None:
            print(f"  {c.label:34} {median:10.2f} ms   CPU {statistics.median(c.cpu):9.2f} ms   "
                  f"peak RSS {max(c.rss) / 1024:7.1f} MiB", flush=True)
        entry["cmds"].append({"label": c.label, "status": c.status, "times_ms": [t * 1000 for t in c.times],
                              "median_ms": median, "peak_rss_kib": max(c.rss) if c.rss else None,
                              "cpu_ms": statistics.median(c.cpu) if c.cpu else None})
    entry["load_after"] = loadavg()
    RESULTS["groups"].append(entry)


# --- inputs -------------------------------------------------------------------------------

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def url(db):
    return f"postgresql://postgres:password@127.0.0.1:{A.port}/{db}"


def dsl_groups():
    sizes = [50, 100] if A.quick else [50, 100, 1000, 10000]
    cases = [(str(n), n, False) for n in sizes] + ([] if A.quick else [("chain10000", 10000, True)])
    for case, n, chain in cases:
        d = os.path.join(A.work, "dsl", case)
        subprocess.run([sys.executable, os.path.join(HERE, "dsl", "generate.py"), str(n), d]
                       + (["--chain"] if chain else []), check=True, stdout=subprocess.DEVNULL)
        yml = os.path.join(d, "cruddur.yml")
        cmds = [
            Cmd("cruddur list", [A.cruddur, "list", "-f", yml], d),
            Cmd("cruddur plan all", [A.cruddur, "plan", "all", "-f", yml], d),
            Cmd("cruddur validate", [A.cruddur, "validate", "-f", yml], d),
            Cmd("just --list", [A.just, "--list"], d),
            Cmd("just --dry-run all", [A.just, "--dry-run", "all"], d),
            Cmd("task --list", [A.task, "--list"], d),
            Cmd("task --dry all", [A.task, "--dry", "all"], d),
        ]
        rounds = 2 if A.quick else (5 if n >= 10000 else 15)
        label = f"{n}-deep chain" if chain else f"{n} tasks"
        group(f"dsl:{case}", f"task file, {label}", cmds, rounds)


def recreate(db):
    def prep():
        r = psql_at("postgres", "-c", "set client_min_messages = warning",
                    "-c", f"drop database if exists {db} with (force)", "-c", f"create database {db}",
                    "-c", "checkpoint")
        if r.returncode != 0: raise SystemExit(f"prepare failed: {r.stderr}")
    return prep


def sql_groups():
    data = os.path.join(A.work, "sql")
    n_inserts = sum(1 for line in open(os.path.join(data, "inserts.sql")) if line.startswith("insert into t "))
    n_dump, copying = 0, False
    for line in open(os.path.join(data, "dump.sql")):
        if line.startswith("COPY "): copying = True
        elif line.rstrip("\n") == "\\.": copying = False
        elif copying: n_dump += 1
    checks = {
        "inserts": f"select count(*) = {n_inserts} from t",
        "ddl": "select count(*) > 0 from pg_proc where proname like 'd%_add'",
        "dump": "select (select count(*) from customers)+(select count(*) from products)"
                f"+(select count(*) from orders)+(select count(*) from order_items) = {n_dump}",
    }
    for which in ("inserts", "ddl", "dump"):
        f = os.path.join(data, f"{which}.sql")
        proj = os.path.join(A.work, f"load-{which}")
        write(os.path.join(proj, "cruddur.yml"),
              f"version: 1\nenvironments:\n  bench:\n    url: {url('bench')}\n"
              f"tasks:\n  load:\n    description: Load {which}.sql\n    sql: {f}\n")

        def verify(_out, q=checks[which]):
            r = psql_at("bench", "-c", q)
            return None if r.stdout.strip() == "t" else f"check failed: {q} -> {r.stdout.strip()} {r.stderr.strip()}"
        prep = recreate("bench")
        cmds = [Cmd("cruddur load", [A.cruddur, "load", "-e", "bench", "-f", os.path.join(proj, "cruddur.yml")],
                    proj, prep=prep, verify=verify),
                Cmd("psql -1 -f", [PSQL, "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                                   str(A.port), "-U", "postgres", "-d", "bench", "-f", f], proj, prep=prep, verify=verify)]
        if which != "dump":  # COPY data cannot travel inside one Query message
            cmds.append(Cmd("floor (1 message)", [A.floor, f"host=127.0.0.1 port={A.port} user=postgres dbname=bench", f],
                            proj, prep=prep, verify=verify))
        size = os.path.getsize(f) / 1e6
        desc = {"inserts": f"{n_inserts:,} one-row INSERTs", "ddl": "DDL statements",
                "dump": f"pg_dump of {n_dump:,} rows (COPY)"}[which]
        group(f"sql:{which}", f"SQL load: {which}.sql, {desc}, {size:.1f} MB", cmds, 1 if A.quick else 5)


def app_project():
    """cruddur's own project (cruddur.yml, tasks/, db/) pointed at the temp server, plus a
    task with the 1M-row query."""
    proj = os.path.join(A.work, "app")
    if not os.path.isdir(proj):
        shutil.copytree(os.path.join(ROOT, "tasks"), os.path.join(proj, "tasks"))
        shutil.copytree(os.path.join(ROOT, "db"), os.path.join(proj, "db"))
        shutil.copy(os.path.join(ROOT, "cruddur.yml"), proj)
        write(os.path.join(proj, "tasks", "bench.yml"),
              f"tasks:\n  rows:\n    description: {A.rows:,} rows\n    query: {rows_query()}\n")
    return proj


def rows_query():
    return (f"select g as id, 'name ' || g as name, g % 1000 as bucket, md5(g::text) as hash "
            f"from generate_series(1, {A.rows}) g")


def setup_group():
    proj = app_project()
    legacy = os.path.join(HERE, "legacy")
    env = base_env(CONNECTION_URL=url("cruddur"), MAINTENANCE_URL=url("postgres"))

    def verify(_out):
        r = psql_at("cruddur", "-c", "select (select count(*) from users) || ',' || (select count(*) from activities)")
        return None if r.stdout.strip() == "2,1" else f"users,activities = {r.stdout.strip()} {r.stderr.strip()}"
    # The old db-drop fails when the database is missing; every tool starts from an existing one.
    psql_at("postgres", "-c", "create database cruddur")
    cmds = [
        Cmd("cruddur db:setup", [A.cruddur, "db:setup"], proj, env=env, verify=verify),
        Cmd("bash scripts (bin/db-setup)", ["/usr/bin/bash", "bin/db-setup"], legacy, env=env, verify=verify),
        Cmd("just db-setup", [A.just, "db-setup"], legacy, env=env, verify=verify),
        Cmd("task db-setup", [A.task, "-t", "go-task.taskfile", "db-setup"], legacy, env=env, verify=verify),
        Cmd("floor (2 psql sessions)", ["/bin/sh", "floor.sh"], legacy, env=env, verify=verify),
    ]
    group("setup", "db:setup end to end (drop, create, schema, seed)", cmds, 2 if A.quick else 15)


def startup_group():
    proj = app_project()
    env = base_env(CONNECTION_URL=url("cruddur"))
    query = open(os.path.join(ROOT, "tasks", "db.yml")).read()
    # The db:sessions query as tasks/db.yml declares it, for psql and the libpq floor.
    start = query.index("query: |") + len("query: |")
    end = query.index("on: maintenance")
    sql = "\n".join(line.strip() for line in query[start:end].strip().splitlines())
    qfile = os.path.join(A.work, "sessions.sql")
    write(qfile, sql + "\n")
    psql_at("postgres", "-c", "create database cruddur")
    cmds = [
        Cmd("cruddur db:sessions", [A.cruddur, "db:sessions"], proj, env=env),
        Cmd("psql -X -c (same query)", [PSQL, "-X", url("postgres"), "-c", sql], proj, env=env),
        Cmd("libpq floor (same query)", [A.floor, f"host=127.0.0.1 port={A.port} user=postgres dbname=postgres", qfile],
            proj, env=env),
        Cmd("cruddur plan db:sessions", [A.cruddur, "plan", "db:sessions"], proj, env=env),
        Cmd("cruddur list (app)", [A.cruddur, "list"], proj, env=env),
        Cmd("cruddur --version", [A.cruddur, "--version"], proj, env=env),
    ]
    group("startup", "start-up: one query (db:sessions)", cmds, 3 if A.quick else 30)


def rows_group():
    proj = app_project()
    env = base_env(CONNECTION_URL=url("cruddur"))
    n = A.rows
    psql_at("postgres", "-c", "create database cruddur")

    def lines_at_least(count):
        def check(out):
            got = sum(1 for _ in open(out, "rb"))
            return None if got >= count else f"{got} lines, expected at least {count}"
        return check

    def json_rows(out):
        with open(out, "rb") as f:
            got = f.read().count(b'"hash":')
        return None if got == n else f"{got} rows in the JSON output, expected {n}"
    q = rows_query()
    cmds = [
        Cmd("cruddur rows --format csv", [A.cruddur, "rows", "--format", "csv"], proj, env=env, verify=lines_at_least(n + 1)),
        Cmd("cruddur rows --format json", [A.cruddur, "rows", "--format", "json"], proj, env=env, verify=json_rows),
        Cmd("cruddur rows (table)", [A.cruddur, "rows", "-q"], proj, env=env, verify=lines_at_least(n + 3)),
        Cmd("psql --csv -c", [PSQL, "-X", "--csv", url("cruddur"), "-c", q], proj, env=env, verify=lines_at_least(n + 1)),
        Cmd("psql -c (aligned)", [PSQL, "-X", url("cruddur"), "-c", q], proj, env=env, verify=lines_at_least(n + 3)),
    ]
    group("rows", f"query of {n:,} rows, output to /dev/null", cmds, 1 if A.quick else 3)


# --- report -------------------------------------------------------------------------------

def find(group_name, label):
    for g in RESULTS["groups"]:
        if g["name"] == group_name:
            for c in g["cmds"]:
                if c["label"] == label: return g, c
    return None, None


def paired(group_name, a, b):
    """Median and range of the per-round ratios a/b (rounds where both ran)."""
    _, ca = find(group_name, a)
    _, cb = find(group_name, b)
    if not ca or not cb or ca["median_ms"] is None or cb["median_ms"] is None:
        return None
    pairs = [x / y for x, y in zip(ca["times_ms"], cb["times_ms"])]
    cpu = ca["cpu_ms"] / cb["cpu_ms"] if ca.get("cpu_ms") and cb.get("cpu_ms") else None
    return {"a": ca["median_ms"], "b": cb["median_ms"], "ratio": statistics.median(pairs),
            "lo": min(pairs), "hi": max(pairs), "n": len(pairs), "cpu": cpu}


# (group, cruddur command, other command, short name, target or None)
COMPARISONS = [
    ("dsl:50", "cruddur list", "just --list", "list, 50 tasks / just --list", 1.0),
    ("dsl:50", "cruddur list", "task --list", "list, 50 tasks / task --list", None),
    ("dsl:100", "cruddur plan all", "just --dry-run all", "plan, 100 tasks / just --dry-run", 1.0),
    ("dsl:100", "cruddur plan all", "task --dry all", "plan, 100 tasks / task --dry", None),
    ("dsl:1000", "cruddur list", "just --list", "list, 1,000 tasks / just --list", None),
    ("dsl:1000", "cruddur plan all", "just --dry-run all", "plan, 1,000 tasks / just --dry-run", None),
    ("dsl:10000", "cruddur list", "just --list", "list, 10,000 tasks / just --list", None),
    ("dsl:10000", "cruddur plan all", "just --dry-run all", "plan, 10,000 tasks / just --dry-run", None),
    ("dsl:10000", "cruddur plan all", "task --dry all", "plan, 10,000 tasks / task --dry", None),
    ("dsl:chain10000", "cruddur plan all", "task --dry all", "plan, 10,000-deep chain / task --dry", None),
    ("sql:inserts", "cruddur load", "floor (1 message)", "50k INSERTs / floor", 1.25),
    ("sql:inserts", "cruddur load", "psql -1 -f", "50k INSERTs / psql -1 -f", None),
    ("sql:ddl", "cruddur load", "floor (1 message)", "3k DDL / floor", None),
    ("sql:ddl", "cruddur load", "psql -1 -f", "3k DDL / psql -1 -f", None),
    ("sql:dump", "cruddur load", "psql -1 -f", "500k-row pg_dump / psql -1 -f", 1.0),
    ("setup", "cruddur db:setup", "floor (2 psql sessions)", "db:setup / 2-session floor", 1.0),
    ("setup", "cruddur db:setup", "bash scripts (bin/db-setup)", "db:setup / bash scripts", 1.0),
    ("setup", "cruddur db:setup", "just db-setup", "db:setup / just", 1.0),
    ("setup", "cruddur db:setup", "task db-setup", "db:setup / go-task", 1.0),
    ("startup", "cruddur db:sessions", "psql -X -c (same query)", "one query / psql -X -c", 1.15),
    ("startup", "cruddur db:sessions", "libpq floor (same query)", "one query / libpq floor", None),
    ("rows", "cruddur rows --format csv", "psql --csv -c", "1M rows csv / psql --csv", 1.5),
    ("rows", "cruddur rows --format json", "psql --csv -c", "1M rows json / psql --csv", 1.5),
    ("rows", "cruddur rows (table)", "psql -c (aligned)", "1M rows table / psql aligned", None),
]

# Peak RSS limits in MiB: loads <= 24, a query's rows in any format <= 48.
RSS_LIMITS = [("sql:inserts", "cruddur load", "load inserts.sql", 24), ("sql:ddl", "cruddur load", "load ddl.sql", 24),
              ("sql:dump", "cruddur load", "load dump.sql", 24),
              ("rows", "cruddur rows --format csv", "query rows, csv", 48),
              ("rows", "cruddur rows --format json", "query rows, json", 48),
              ("rows", "cruddur rows (table)", "query rows, table", 48),
              ("startup", "cruddur --version", "process floor: cruddur --version", None)]


def fmt_ms(v):
    return "-" if v is None else (f"{v:.1f}" if v >= 100 else f"{v:.2f}")


def chart(path, rows):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = [r for r in rows if r[1]]
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(rows) + 1.4))
    names = [r[0] for r in rows][::-1]
    ratios = [r[1]["ratio"] for r in rows][::-1]
    targets = [r[2] for r in rows][::-1]
    colours = ["#999999" if t is None else ("#2e8b57" if v <= t else "#c0392b") for v, t in zip(ratios, targets)]
    ax.barh(names, ratios, color=colours)
    errs = [[r[1]["ratio"] - r[1]["lo"] for r in rows][::-1], [r[1]["hi"] - r[1]["ratio"] for r in rows][::-1]]
    ax.errorbar(ratios, names, xerr=errs, fmt="none", ecolor="#333333", elinewidth=0.8, capsize=2)
    for i, t in enumerate(targets):
        if t is not None: ax.plot([t, t], [i - 0.4, i + 0.4], color="black", linewidth=1.5)
    ax.axvline(1.0, color="#555555", linestyle="--", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("cruddur / alternative, median of paired rounds (log; < 1 = faster)\n"
                  "black tick: target (green met, red missed; grey: no target); whisker: range of the rounds")
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    fig.savefig(path, format="svg")


def report():
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = RESULTS.get("commit") or "?"
    versions = {
        "cruddur": f"{A.cruddur} ({commit})",
        "just": subprocess.run([A.just, "--version"], capture_output=True, text=True).stdout.strip(),
        "go-task": subprocess.run([A.task, "--version"], capture_output=True, text=True).stdout.strip(),
        "psql": subprocess.run([PSQL, "--version"], capture_output=True, text=True).stdout.strip(),
    }
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
    out = [f"# Benchmarks", "",
           f"Generated by `bash bench/run` on {when}{' (QUICK smoke run: small inputs, numbers mean nothing)' if A.quick else ''}.",
           f"Machine: {os.cpu_count()} cores, {int(mem) // 1024 // 1024} GiB, {platform.platform()}; "
           f"load average at start {RESULTS['load_start']}, at end {RESULTS.setdefault('load_end', loadavg())}.",
           "Tools: " + "; ".join(f"{k}: `{v}`" for k, v in versions.items()) + ".", "",
           "Every group runs each tool once untimed (exit status and a check of what it produced), then "
           "rounds in which every tool runs once, in an order rotated each round. A ratio is the median of "
           "the per-round ratios cruddur/other (paired: a slow moment hits both sides), with its range. "
           "The server is a throw-away PostgreSQL 15 on 127.0.0.1 with fsync off (clients are measured, "
           "not the disk). The machine is shared with other agents' builds: see each group's load. The client "
           "CPU ratio (user + system time of the process and the children it waited for, medians) is what the load "
           "moves least; it leaves out the server's work.", "",
           "## Summary", "",
           "| comparison | cruddur (ms) | other (ms) | ratio (range) | target | | client CPU ratio |",
           "|---|---:|---:|---:|---:|---|---:|"]
    rows = []
    for g, a, b, name, target in COMPARISONS:
        p = paired(g, a, b)
        rows.append((name, p, target))
        if p is None:
            _, cb = find(g, b)
            why = cb["status"] if cb and cb["status"] != "ok" else "not run"
            out.append(f"| {name} | - | - | {why} | {'≤ %.2fx' % target if target else ''} | | |")
            continue
        verdict = "" if target is None else ("met" if p["ratio"] <= target else "**missed**")
        cpu = f"{p['cpu']:.2f}x" if p["cpu"] else "-"
        out.append(f"| {name} | {fmt_ms(p['a'])} | {fmt_ms(p['b'])} | {p['ratio']:.2f}x ({p['lo']:.2f}–{p['hi']:.2f}) "
                   f"| {'≤ %.2fx' % target if target else ''} | {verdict} | {cpu} |")
    out += ["", "| peak RSS | cruddur (MiB) | psql (MiB) | limit | |", "|---|---:|---:|---:|---|"]
    for g, a, name, limit in RSS_LIMITS:
        grp, c = find(g, a)
        if not c or c["peak_rss_kib"] is None: continue
        other = next((x for x in grp["cmds"] if x["label"].startswith("psql")), None)
        mib = c["peak_rss_kib"] / 1024
        o = f"{other['peak_rss_kib'] / 1024:.1f}" if other and other["peak_rss_kib"] else "-"
        verdict = "" if limit is None else ("met" if mib <= limit else "**missed**")
        out.append(f"| {name} | {mib:.1f} | {o} | {'≤ %d' % limit if limit else ''} | {verdict} |")
    svg = os.path.join(A.out, "bench", "results", "ratios.svg") if A.out == ROOT else os.path.join(A.out, "ratios.svg")
    os.makedirs(os.path.dirname(svg), exist_ok=True)
    chart(svg, rows)
    out += ["", f"![cruddur / alternative, paired medians]({os.path.relpath(svg, A.out)})", "", "## Every group", ""]
    for g in RESULTS["groups"]:
        out += [f"### {g['title']}", "",
                f"{g['rounds']} rounds; load average {g['load_before']} before, {g['load_after']} after; "
                f"busy at start: {g['busy']}.", "",
                "| command | median (ms) | min | max | CPU, median (ms) | peak RSS (MiB) |", "|---|---:|---:|---:|---:|---:|"]
        for c in g["cmds"]:
            if c["median_ms"] is None:
                out.append(f"| {c['label']} | {c['status']} | | | | |")
            else:
                out.append(f"| {c['label']} | {fmt_ms(c['median_ms'])} | {fmt_ms(min(c['times_ms']))} | "
                           f"{fmt_ms(max(c['times_ms']))} | {fmt_ms(c['cpu_ms'])} | {c['peak_rss_kib'] / 1024:.1f} |")
        out.append("")
    notes = os.path.join(HERE, "notes.md")
    if os.path.exists(notes):
        out += ["## Notes on the targets (written by hand from these measurements)", "", open(notes).read().strip(), ""]
    if A.out == ROOT:
        update_readme(out[out.index("## Summary") + 2:out.index("## Every group") - 2], when)
    path = os.path.join(A.out, "BENCHMARKS.md")
    write(path, "\n".join(out) + "\n")
    raw = os.path.join(A.out, "bench", "results", "benchmarks.json") if A.out == ROOT else os.path.join(A.out, "benchmarks.json")
    with open(raw, "w") as f:
        json.dump(RESULTS, f, indent=1)
    print("\n".join(out[out.index("## Summary"):out.index("## Every group")]))
    print(f"\nwrote {path} and {svg}")


def update_readme(table, when):
    """The README's benchmark section is the summary of the latest BENCHMARKS.md."""
    path = os.path.join(ROOT, "README.md")
    text = open(path).read()
    start, end = "<!-- bench/run summary: start -->", "<!-- bench/run summary: end -->"
    if start not in text or end not in text:
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    body = [f"Measured by `bash bench/run` on {when}; details, load and chart in [BENCHMARKS.md](BENCHMARKS.md).", ""]
    with open(path, "w") as f:
        f.write(head + start + "\n" + "\n".join(body + table) + "\n" + end + tail)


def main():
    global A
    p = argparse.ArgumentParser()
    for name in ("work", "out", "cruddur", "just", "task", "floor", "measure"):
        p.add_argument("--" + name, required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--quick", type=int, default=0)
    A = p.parse_args()
    A.quick = A.quick == 1
    A.rounds = int(os.environ.get("ROUNDS", "0"))
    A.only = os.environ.get("ONLY", "").split()
    A.rows = int(os.environ.get("ROWS_N", "20000" if A.quick else "1000000"))
    A.failures = []
    if os.environ.get("REPORT_FROM"):
        # Rewrites BENCHMARKS.md from a run's saved measurements (after editing notes.md,
        # say), without measuring again.
        RESULTS.update(json.load(open(os.environ["REPORT_FROM"])))
        RESULTS.setdefault("commit", os.environ.get("COMMIT", "?"))
        report()
        return 0
    RESULTS["load_start"] = loadavg()
    RESULTS["commit"] = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                                       capture_output=True, text=True).stdout.strip()
    dsl_groups()
    sql_groups()
    setup_group()
    startup_group()
    rows_group()
    report()
    if A.failures:
        print("\ncruddur failed or produced the wrong result:\n  " + "\n  ".join(A.failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
