"""Parity with `psql -f`: meta-commands with a trailing semicolon, includes, a failing
`\\c`, notices, and what a failing `transaction: false` file reports."""

from adv.case import Case, yml

CLASS = "psql"

TASKS = yml(
    "tasks:\n  load: { sql: load.sql }\n  loose: { sql: load.sql, transaction: false }\n"
    "  hello: { query: \"do $$ begin raise notice 'hello from adv'; end $$\" }\n"
)


def project(sql, **more):
    files = {"cruddur.yml": TASKS, "load.sql": sql}
    files.update(more)
    return files


def notice_event(ctx):
    for event in ctx.events:
        if event.get("event") == "step_output" and event.get("stream") == "notice":
            assert "hello from adv" in event.get("line", ""), f"notice event without the text: {event}"
            return
    raise AssertionError("no step_output event with stream notice")


CASES = [
    Case(name="backslash-c-with-semicolon", files=project("create table here(x int);\n\\c @DB2@;\ncreate table there(x int);\n"),
         argv=["loose"], extra_db=True, exit=0, tables={"here": True, "there": False}, tables2={"there": True}),
    Case(name="backslash-connect-with-semicolon",
         files=project("\\connect @DB2@;\ncreate table there(x int);\ninsert into there values (1);\n"),
         argv=["loose"], extra_db=True, exit=0, tables={"there": False}, tables2={"there": 1}),
    Case(name="backslash-c-without-semicolon", files=project("\\c @DB2@\ncreate table there(x int);\n"),
         argv=["loose"], extra_db=True, exit=0, tables2={"there": True}),
    Case(name="backslash-c-to-a-db-the-file-creates",
         files=project("create database @DB2@;\n\\c @DB2@;\ncreate table there(x int);\n\\c @DB@\ndrop database @DB2@;\n"),
         argv=["loose"], exit=0, check=lambda ctx: _db_gone(ctx)),
    Case(name="backslash-i-with-semicolon",
         files=project("create table a(x int);\n\\i other.sql;\ninsert into a values (2);\n",
                       **{"other.sql": "insert into a values (1);\n"}),
         argv=["load"], exit=0, tables={"a": 2}),
    Case(name="backslash-c-nosuchdb-names-line",
         files=project("create table a(x int);\n-- now elsewhere\n\\c adv_no_such_db\ncreate table b(x int);\n"),
         argv=["loose"], exit=1, stderr_re=[r"load\.sql:3\b"], tables={"b": False}),
    Case(name="notice-on-stderr", files=project(""), argv=["hello"], exit=0, stderr_has=["NOTICE", "hello from adv"]),
    Case(name="notice-as-json-event", files=project(""), argv=["hello", "--format", "json"], exit=0, check=notice_event),
    Case(name="notice-from-sql-file",
         files=project("create table a(x int);\ndo $$ begin raise notice 'hello from adv'; end $$;\n"),
         argv=["load"], exit=0, stderr_has=["NOTICE", "hello from adv"], tables={"a": True}),
    Case(name="no-transaction-fails-at-4th-statement",
         files=project("create table a(x int);\ninsert into a values (1);\ninsert into a values (2);\nselect 1/0;\n"
                       "insert into a values (3);\n"),
         argv=["loose"], exit=1, stderr_has=["3 statements committed before the failure"], tables={"a": 2}),
    Case(name="one-transaction-fails-at-4th-statement",
         files=project("create table a(x int);\ninsert into a values (1);\ninsert into a values (2);\nselect 1/0;\n"),
         argv=["load"], exit=1, stderr_lacks=["committed before the failure"], tables={"a": False},
         stderr_re=[r"load\.sql:4\b"]),
]


def _db_gone(ctx):
    assert not ctx.cluster.database_exists(ctx.db2), "the file's own database was not dropped at its end"
