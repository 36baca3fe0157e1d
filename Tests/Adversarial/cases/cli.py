"""The command line: unknown options, surplus words, several tasks, parameters, `--`,
dry runs, and bad -j / -e values."""

import os

from adv.case import Case, yml

CLASS = "cli"

PROJECT = {
    "cruddur.yml": yml(
        """tasks:
  q: { query: select 1 as one }
  a: { query: create table a(x int) }
  b: { query: create table b(x int) }
  other: { query: create table other(x int) }
  users:add:
    params: [display_name, handle, email, cognito_user_id]
    query: insert into users values ($1, $2, $3, $4)
  p1: { params: [v], query: "insert into one_param values ('p1', $1)" }
  p2: { params: [v], query: "insert into one_param values ('p2', $1)" }
  t: { params: [x], shell: 'printf "%s\\n" "$x" > out.txt' }
  drop: { database: drop }
  create: { database: create }
  schema: { sql: schema.sql }
  setup: { steps: [drop, create, schema] }
"""
    ),
    "schema.sql": "drop table if exists keep;\ncreate table keep(x int);\n",
}

SETUP = (
    "create table users(display_name text, handle text, email text, cognito_user_id text);"
    "create table one_param(task text, v text);"
    "create table keep(x int); insert into keep values (1), (2);"
)


def cli(name, argv, **kw):
    kw.setdefault("setup_sql", SETUP)
    return Case(name=name, files=dict(PROJECT), argv=argv, **kw)


def out_txt(expected):
    def check(ctx):
        path = os.path.join(ctx.dir, "out.txt")
        assert os.path.exists(path), "out.txt was not written"
        with open(path, encoding="utf-8", errors="replace") as f:
            got = f.read()
        assert got == expected, f"out.txt is {got!r}, expected {expected!r}"

    return check


def same_as_plan(plan_argv):
    def check(ctx):
        plan = ctx.cruddur(plan_argv)
        assert plan.code == 0, f"`cruddur {' '.join(plan_argv)}` exited {plan.code}: {plan.stderr[-300:]}"
        assert plan.stdout.strip(), "the plan printed nothing"
        assert ctx.result.stdout == plan.stdout, (
            f"stdout differs from `cruddur {' '.join(plan_argv)}`:\n--- dry run\n{ctx.result.stdout[:600]}\n--- plan\n{plan.stdout[:600]}"
        )

    return check


def no_pwned(ctx):
    assert not os.path.exists(os.path.join(ctx.dir, "pwned")), "a parameter value ran as code"


CASES = [
    cli("unknown-option-did-you-mean", ["q", "--frmat", "csv"], exit=2,
        stderr_has=["unknown option", "did you mean `--format`"], db_unchanged=True),
    cli("plan-unknown-option", ["plan", "q", "--frmat", "csv"], exit=2,
        stderr_has=["unknown option", "did you mean `--format`"], db_unchanged=True),
    cli("list-unknown-option", ["list", "--frmat", "json"], exit=2,
        stderr_has=["unknown option", "did you mean `--format`"]),
    cli("unknown-option-no-suggestion", ["q", "--zzzzzz"], exit=2, stderr_has=["unknown option"], db_unchanged=True),
    cli("surplus-word-is-unknown-task", ["a", "zzz"], exit=2, stderr_has=["unknown task `zzz`"],
        db_unchanged=True, tables={"a": False}),
    cli("two-tasks-both-run", ["a", "b"], exit=0, tables={"a": True, "b": True}),
    cli("params-then-task-grouped-by-count", ["users:add", "x", "y", "z", "w", "other"], exit=0,
        tables={"users": 1, "other": True}),
    cli("two-one-param-tasks", ["p1", "first", "p2", "second"], exit=0, tables={"one_param": 2}),
    cli("missing-parameter", ["users:add", "x", "y"], exit=2, stderr_has=["needs parameter"],
        db_unchanged=True),
    cli("double-dash-ends-options", ["t", "--", "--x"], exit=0, check=out_txt("--x\n")),
    cli("param-reaches-shell-as-env", ["t", "hello world"], exit=0, check=out_txt("hello world\n")),
    cli("param-with-shell-syntax-is-data", ["t", "$(touch pwned); `touch pwned` \"'"], exit=0,
        check=lambda ctx: (out_txt("$(touch pwned); `touch pwned` \"'\n")(ctx), no_pwned(ctx))),
    cli("dry-run-equals-plan", ["setup", "--dry-run"], exit=0, db_unchanged=True,
        check=same_as_plan(["plan", "setup"])),
    cli("n-equals-plan", ["setup", "-n"], exit=0, db_unchanged=True, check=same_as_plan(["plan", "setup"])),
    cli("dry-run-two-tasks-equals-plan", ["a", "b", "--dry-run"], exit=0, db_unchanged=True,
        check=same_as_plan(["plan", "a", "b"])),
    cli("j-zero", ["q", "-j", "0"], exit=2, db_unchanged=True),
    cli("j-not-a-number", ["q", "-j", "abc"], exit=2, db_unchanged=True),
    cli("j-negative", ["a", "-j", "-1"], exit=2, db_unchanged=True, tables={"a": False}),
    cli("unknown-environment", ["a", "-e", "nosuchenv"], exit=2, stderr_has=["unknown environment `nosuchenv`"],
        db_unchanged=True),
    cli("plan-unknown-environment", ["plan", "a", "-e", "nosuchenv"], exit=2,
        stderr_has=["unknown environment `nosuchenv`"]),
    cli("unknown-format", ["q", "--format", "yaml"], exit=2, db_unchanged=True),
    cli("set-without-equals", ["a", "--set", "novalue"], exit=2, db_unchanged=True, tables={"a": False}),
]
