"""A `sql:` file runs in one transaction by default, so transaction control at statement
level must be refused before anything runs (exit 2, pointing at `transaction: false`);
the same words inside a function body, a string, a comment or an identifier are fine."""

from adv.case import Case, yml

CLASS = "transaction"

TASKS = yml("tasks:\n  load: { sql: load.sql }\n  loose: { sql: load.sql, transaction: false }\n")


def refused(name, sql):
    return Case(name=name, files={"cruddur.yml": TASKS, "load.sql": sql}, argv=["load"], exit=2,
                stderr_has=["transaction: false"], db_unchanged=True, tables={"a": False})


def accepted(name, sql, tables=None, argv=("load",)):
    return Case(name=name, files={"cruddur.yml": TASKS, "load.sql": sql}, argv=list(argv), exit=0,
                tables=tables or {"a": True})


CASES = [
    refused("commit-then-error", "create table a(x int);\ncommit;\nselect 1/0;\n"),
    refused("begin-at-start", "begin;\ncreate table a(x int);\ncommit;\n"),
    refused("rollback", "create table a(x int);\nrollback;\n"),
    refused("end", "create table a(x int);\nend;\n"),
    refused("start-transaction", "start transaction;\ncreate table a(x int);\n"),
    refused("uppercase-commit-work", "CREATE TABLE a(x int);\nCOMMIT WORK;\nSELECT 1/0;\n"),
    refused("commit-and-chain", "create table a(x int);\ncommit and chain;\nselect 1/0;\n"),
    refused("abort", "create table a(x int);\nabort;\n"),
    refused("commit-after-comment", "create table a(x int);\n/* done */ -- really\n  Commit ;\nselect 1/0;\n"),
    refused("begin-isolation-level", "begin isolation level serializable;\ncreate table a(x int);\n"),
    refused("commit-on-same-line", "create table a(x int); commit; select 1/0;\n"),
    refused("commit-at-very-end-no-semicolon", "create table a(x int);\ninsert into a values (1);\ncommit"),
    accepted("begin-end-in-function-body",
             "create table a(x int);\ncreate function f() returns int language plpgsql as $$\nbegin\n  return 1;\nend;\n$$;\n"
             "select f();\n"),
    accepted("commit-in-tagged-dollar-body",
             "create table a(x int);\ndo $body$ begin perform 'commit'; end $body$;\n"),
    accepted("words-in-strings-and-comments",
             "create table a(x text);\n-- commit;\n/* rollback; */\ninsert into a values ('begin; commit; end;');\n",
             tables={"a": 1}),
    accepted("words-as-identifiers",
             'create table a("commit" int, "begin" int, "end" int);\ninsert into a values (1, 2, 3);\n', tables={"a": 1}),
    accepted("commit-allowed-with-transaction-false", "create table a(x int);\ncommit;\n", argv=("loose",)),
]
