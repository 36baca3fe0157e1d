"""Signals while a step runs: the runner waits for the server to show the case's statement
(pg_stat_activity) or for the shell step's readiness line, then signals cruddur.

Target: exit 130 (129 also accepted for SIGHUP), the running statement cancelled on the
server, its transaction's work absent, a shell step's process group gone.
"""

import signal

from adv.case import SIGNALS, Case, SignalPlan, Wait, yml

CLASS = "signals"

LOAD = "create table t(x int);\ninsert into t values (1);\nselect pg_sleep(60);\n"
# The readiness line carries the shell's process group (field 5 of /proc/$$/stat); the
# pattern cannot match the command line cruddur echoes before running it.
READY = 'echo "ready pgid=$(cut -d" " -f5 /proc/$$/stat)"'
PGID_RE = r"ready pgid=(\d+)"


def codes(name):
    return (130, 129) if name == "HUP" else (130,)


def sql_case(name, sig, task="  load: { sql: load.sql }\n", files=None, argv=("load",), **kw):
    project = {"cruddur.yml": yml("tasks:\n" + task), "load.sql": LOAD}
    project.update(files or {})
    return Case(
        name=name, files=project, argv=list(argv), exit=codes(sig),
        signal=SignalPlan(SIGNALS[sig], Wait("activity", "pg_sleep(60)")),
        tables=kw.pop("tables", {"t": False}), no_backend="pg_sleep(60)", timeout=15, **kw,
    )


def shell_case(name, sig, command=f"{READY}; sleep 60", second=None, second_wait=None, **kw):
    task = "tasks:\n  long: { shell: '" + command.replace("'", "''") + "' }\n"
    return Case(
        name=name, files={"cruddur.yml": yml(task)}, argv=["long"], exit=codes(sig),
        signal=SignalPlan(SIGNALS[sig], Wait("line", PGID_RE), second, second_wait),
        group_gone=True, timeout=15, **kw,
    )


CASES = []
for sig in ("INT", "TERM", "HUP", "QUIT"):
    CASES.append(sql_case(f"sig{sig.lower()}-during-sql-load", sig))
    CASES.append(shell_case(f"sig{sig.lower()}-during-shell-step", sig))

CASES += [
    sql_case("sigint-during-query", "INT", task="  load: { query: select pg_sleep(60) }\n", tables={}),
    sql_case("sigterm-during-query-in-steps", "TERM",
             task="  slow: { query: select pg_sleep(60) }\n  load: { steps: [slow] }\n", tables={}),
    sql_case("sigint-during-parallel-loads", "INT",
             task="  other: { shell: 'sleep 60' }\n  one: { sql: load.sql }\n  load: { deps: [one, other], query: select 1 }\n"),
    sql_case("sigint-during-sql-load-json", "INT", argv=("load", "--format", "json"),
             check=lambda ctx: _cancel_event(ctx)),
    # The group traps TERM/INT/HUP (printing a line) and keeps running, and the grace before
    # SIGKILL (600 s) is far longer than the case's limit (15 s), so only the second SIGINT
    # can end the run in time: cruddur must then kill the group and exit.
    shell_case("second-sigint-forces-exit", "INT",
               command=f"trap 'echo got-signal-$((6*7))' TERM INT HUP; {READY}; while :; do sleep 1; done",
               second=signal.SIGINT, second_wait=Wait("line", "got-signal-42"),
               env={"CRUDDUR_STOP_GRACE": "600"}),
]


def _cancel_event(ctx):
    kinds = [(e.get("event"), e.get("task")) for e in ctx.events]
    assert ("step_cancelled", "load") in kinds or ("step_failed", "load") in kinds, f"no step_cancelled for load: {kinds}"
    assert ("step_finished", "load") not in kinds, "load reported step_finished"
