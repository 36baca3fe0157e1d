"""`timeout:` on every step kind, and values that are not a usable number of seconds."""

from adv.case import Case, Exec, yml

CLASS = "timeout"

# A step with `timeout: 1` that takes 30 s has failed to time out long before this.
HANG = 8


def timed(name, task, files=None, **kw):
    kw.setdefault("timeout", HANG)
    project = {"cruddur.yml": yml("tasks:\n" + task)}
    project.update(files or {})
    return Case(name=name, files=project, argv=kw.pop("argv", ["slow"]), **kw)


def bad_value(name, value):
    # The header is 5 lines; `tasks:` is line 6 and the task line 7.
    return timed(
        name, f"  slow: {{ query: select 1, timeout: {value} }}\n", exit=2,
        stderr_re=[rf"cruddur\.yml:7\b"], db_unchanged=True, timeout=30,
    )


PLUGIN = """#!/usr/bin/env python3
import json, sys, time
request = json.load(sys.stdin)
if request.get("request") == "describe":
    print(json.dumps({"summary": "sleep 30 s", "details": [], "destructive": False}), flush=True)
else:
    time.sleep(30)
    print(json.dumps({"ok": True, "note": "slept"}), flush=True)
"""

CASES = [
    timed("query-pg-sleep", "  slow: { query: select pg_sleep(30), timeout: 1 }\n", exit=1,
          stderr_has=["timed out after 1 s"], no_backend="pg_sleep(30)", db_unchanged=True),
    timed("sql-file-rolls-back", "  slow: { sql: slow.sql, timeout: 1 }\n",
          files={"slow.sql": "create table t(x int);\nselect pg_sleep(30);\n"}, exit=1,
          stderr_has=["timed out after 1 s"], tables={"t": False}, no_backend="pg_sleep(30)"),
    timed("sql-file-no-transaction", "  slow: { sql: slow.sql, timeout: 1, transaction: false }\n",
          files={"slow.sql": "create table t(x int);\nselect pg_sleep(30);\n"}, exit=1,
          stderr_has=["timed out after 1 s"], tables={"t": True}, no_backend="pg_sleep(30)"),
    timed("shell-sleep", "  slow: { shell: sleep 30, timeout: 1 }\n", exit=1, stderr_has=["timed out after 1 s"]),
    timed("shell-ignoring-term", "  slow: { shell: \"trap '' TERM INT; sleep 30\", timeout: 1 }\n", exit=1,
          stderr_has=["timed out after 1 s"]),
    timed("step-in-steps", "  slow: { query: select pg_sleep(30), timeout: 1 }\n  all: { steps: [slow] }\n",
          argv=["all"], exit=1, stderr_has=["timed out after 1 s"], no_backend="pg_sleep(30)"),
    timed("maintenance-query", "  slow: { query: select pg_sleep(30) as w_@DB@, on: maintenance, timeout: 1 }\n",
          exit=1, stderr_has=["timed out after 1 s"], no_backend="w_@DB@"),
    timed("plugin", "  slow: { uses: sleepy, with: {}, timeout: 1 }\nplugins: { sleepy: ./sleepy }\n",
          files={"sleepy": Exec(PLUGIN)}, exit=1, stderr_has=["timed out after 1 s"]),
    timed("seconds-suffix-runs", "  slow: { query: select pg_sleep(30), timeout: 1s }\n", exit=1,
          stderr_has=["timed out after 1 s"], no_backend="pg_sleep(30)"),
    bad_value("huge", "99999999999999999999"),
    bad_value("negative", "-1"),
    bad_value("zero", "0"),
    bad_value("nan", ".nan"),
    bad_value("word", "abc"),
    bad_value("infinity", ".inf"),
    timed("validate-2s-and-1m",
          "  a: { query: select 1, timeout: 2s }\n  b: { query: select 1, timeout: 1m }\n",
          argv=["validate"], exit=0, timeout=30),
]
