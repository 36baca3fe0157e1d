"""Bytes that are not valid UTF-8, and control characters in names and descriptions."""


from adv.case import HEADER, Case

CLASS = "bytes"

BAD = {
    "xff": b"\xff",
    "xfe": b"\xfe",
    "truncated-multibyte": b"\xe2\x82",  # the first two bytes of the euro sign
}

H = HEADER.encode()  # 5 lines


def invalid_in_config(name, bad):
    # Line 8 holds the bad byte (inside a description).
    text = H + b"tasks:\n  q:\n    description: caf" + bad + b" menu\n    query: select 1\n"
    return Case(name=f"{name}-in-cruddur-yml", files={"cruddur.yml": text}, argv=["q"], exit=2,
                stderr_has=["invalid UTF-8"], stderr_re=[r"cruddur\.yml:8\b"], db_unchanged=True, timeout=30)


def invalid_in_task_file(name, bad):
    text = b"tasks:\n  # a comment\n  q: { query: select 1, description: \"x" + bad + b"\" }\n"
    files = {"cruddur.yml": H + b"include: [tasks/*.yml]\n", "tasks/t.yml": text}
    return Case(name=f"{name}-in-task-file", files=files, argv=["list"], exit=2,
                stderr_has=["invalid UTF-8"], stderr_re=[r"tasks/t\.yml:3\b"], timeout=30)


def invalid_in_sql(name, bad):
    sql = b"create table t(x int);\ninsert into t values (1);\n-- caf" + bad + b"\ninsert into t values (2);\n"
    files = {"cruddur.yml": H + b"tasks:\n  load: { sql: load.sql }\n", "load.sql": sql}
    return Case(name=f"{name}-in-sql-file", files=files, argv=["load"], exit=2,
                stderr_has=["invalid UTF-8"], stderr_re=[r"load\.sql:3\b"], db_unchanged=True, timeout=30)


CASES = []
for name, bad in BAD.items():
    CASES += [invalid_in_config(name, bad), invalid_in_task_file(name, bad), invalid_in_sql(name, bad)]

CASES.append(
    Case(name="invalid-utf8-in-string-literal-of-sql", files={
        "cruddur.yml": H + b"tasks:\n  load: { sql: load.sql }\n",
        "load.sql": b"create table t(x text);\ninsert into t values ('\xc3\x28');\n"},
        argv=["load"], exit=2, stderr_has=["invalid UTF-8"], stderr_re=[r"load\.sql:2\b"], db_unchanged=True)
)

# Control characters in a task name, written as YAML escapes (and once raw).
CONTROL = {"esc": "\\e", "cr": "\\r", "bel": "\\a", "c1-csi": "\\x9b"}
for name, escape in CONTROL.items():
    text = HEADER + f'tasks:\n  "bad{escape}name": {{ query: select 1 }}\n  q: {{ query: create table q(x int) }}\n'
    CASES.append(
        Case(name=f"{name}-in-task-name", files={"cruddur.yml": text}, argv=["q"], exit=2,
             stderr_has=["control character"], stderr_lacks=["\x1b", "\x07", "\x9b", "\r"], db_unchanged=True)
    )
CASES.append(
    Case(name="raw-esc-in-task-name-list",
         files={"cruddur.yml": H + b"tasks:\n  \"bad\x1bname\": { query: select 1 }\n"},
         argv=["list"], exit=2, stderr_lacks=["\x1b"])
)


def clean_stdout(ctx):
    for index, char in enumerate(ctx.result.stdout):
        code = ord(char)
        if (code < 0x20 and char not in "\n\t") or code == 0x7F or 0x80 <= code <= 0x9F:
            around = ctx.result.stdout[max(0, index - 20) : index + 20]
            raise AssertionError(f"raw control character U+{code:04X} in stdout near {around!r}")


DESCRIPTIONS = {"esc": "\\e[31mred\\e[0m", "cr": "over\\rwrite", "bel": "ding\\a", "c1-csi": "\\x9b31m", "del-and-nul": "a\\x7fb\\0c"}
for name, escape in DESCRIPTIONS.items():
    text = HEADER + f'tasks:\n  shown: {{ query: select 1, description: "{escape} end" }}\n'
    CASES.append(Case(name=f"{name}-in-description-list", files={"cruddur.yml": text}, argv=["list"], exit=0,
                      stdout_has=["shown"], check=clean_stdout))
CASES.append(
    Case(name="esc-in-description-list-json",
         files={"cruddur.yml": HEADER + 'tasks:\n  shown: { query: select 1, description: "\\e[2J wipe" }\n'},
         argv=["list", "--format", "json"], exit=0, check=clean_stdout)
)

CASES += [
    Case(name="empty-task-name", files={"cruddur.yml": HEADER + 'tasks:\n  "": { query: select 1 }\n  q: { query: select 1 }\n'},
         argv=["validate"], exit=2),
    Case(name="empty-task-name-on-command-line",
         files={"cruddur.yml": HEADER + "tasks:\n  q: { query: create table q(x int) }\n"},
         argv=[""], exit=2, db_unchanged=True),
]
