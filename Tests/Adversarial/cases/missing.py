"""A `sql:` file that does not exist (yet): only `validate` and running that task may
complain; a file an earlier step writes must be read when its step runs."""

from adv.case import Case, yml

CLASS = "missing"

PROJECT = {
    "cruddur.yml": yml(
        "tasks:\n"
        "  gone: { sql: nope.sql }\n"
        "  ok: { query: create table ok(x int) }\n"
        "  inner: { sql: has-include.sql }\n"
    ),
    "has-include.sql": "create table h(x int);\n\\i nope-inner.sql\n",
}

# Only generated files here, so these cases do not depend on the ones above.
GENERATED = {
    "cruddur.yml": yml(
        "tasks:\n"
        "  write: { shell: 'printf \"create table g(x int);\\ninsert into g values (1);\\n\" > gen.sql' }\n"
        "  read: { sql: gen.sql }\n"
        "  generated: { steps: [write, read] }\n"
        "  read-after: { deps: [write], sql: gen.sql }\n"
    ),
}


def missing(name, argv, exit, project=PROJECT, **kw):
    return Case(name=name, files=dict(project), argv=argv, exit=exit, **kw)


CASES = [
    missing("list-ignores-it", ["list"], 0, stdout_has=["gone"]),
    missing("graph-ignores-it", ["graph"], 0),
    missing("envs-ignores-it", ["envs"], 0),
    missing("unrelated-task-runs", ["ok"], 0, tables={"ok": True}),
    missing("validate-reports-it", ["validate"], 2, stderr_has=["nope.sql"]),
    missing("running-it-names-the-file", ["gone"], (1, 2), stderr_has=["nope.sql"], db_unchanged=True),
    missing("missing-backslash-i-target", ["inner"], (1, 2), stderr_has=["nope-inner.sql"], db_unchanged=True),
    missing("file-written-by-earlier-step", ["generated"], 0, project=GENERATED, tables={"g": 1}),
    missing("file-written-by-dep", ["read-after"], 0, project=GENERATED, tables={"g": 1}),
    missing("list-with-not-yet-generated-file", ["list"], 0, project=GENERATED, stdout_has=["read-after"]),
]
