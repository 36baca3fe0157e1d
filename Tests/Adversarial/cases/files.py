"""Things that are not regular files (a FIFO, a character device, a directory, a unix
socket) wherever cruddur reads a file: the config (-f), an include, a dotenv file, a `sql:`
file, and a `\\i` inside a SQL file. Each must be refused at once with exit 2, naming the
kind; a FIFO must never be opened (that would block)."""

from adv.case import Case, Dir, Fifo, Socket, Symlink, yml

CLASS = "files"

# Opening a FIFO blocks forever; anything slower than this is a hang.
HANG = 6

KINDS = {
    "fifo": (Fifo(), "is a FIFO, not a file"),
    "chardev": (Symlink("/dev/zero"), "is a character device, not a file"),
    "directory": (Dir(), "is a directory, not a file"),
    "socket": (Socket(), "is a socket, not a file"),
}

# No task names a file that is missing (that is another class's subject).
TASKS_Q = "tasks:\n  q: { query: create table q(x int) }\n"
TASKS = TASKS_Q + "  load: { sql: load.sql }\n"


def where_config(special):
    return {"special.yml": special}, ["list", "-f", "special.yml"]


def where_include(special):
    files = {"cruddur.yml": yml("include: [tasks/special.yml]\n" + TASKS_Q), "tasks/special.yml": special}
    return files, ["q"]


def where_dotenv(special):
    files = {"cruddur.yml": yml("dotenv: [special.env]\n" + TASKS_Q), "special.env": special}
    return files, ["q"]


def where_sql(special):
    return {"cruddur.yml": yml(TASKS), "load.sql": special}, ["load"]


def where_include_in_sql(special):
    files = {
        "cruddur.yml": yml(TASKS),
        "load.sql": "create table t(x int);\n\\i special.sql\ninsert into t values (1);\n",
        "special.sql": special,
    }
    return files, ["load"]


WHERE = {
    "config-f": where_config,
    "include": where_include,
    "dotenv": where_dotenv,
    "sql-file": where_sql,
    "backslash-i": where_include_in_sql,
}

CASES = []
for where, build in WHERE.items():
    for kind, (special, message) in KINDS.items():
        files, argv = build(special)
        CASES.append(
            Case(name=f"{kind}-as-{where}", files=files, argv=argv, exit=2, stderr_has=[message],
                 db_unchanged=True, timeout=HANG)
        )

GLOB = {"cruddur.yml": yml("include: [tasks/*.yml]\n" + TASKS_Q), "tasks/real.yml": "tasks:\n  r: { query: select 1 }\n",
        "tasks/pipe.yml": Fifo()}
CASES += [
    Case(name="fifo-in-include-glob-list", files=GLOB, argv=["list"], exit=2, stderr_has=["is a FIFO, not a file"],
         timeout=HANG),
    Case(name="fifo-in-include-glob-validate", files=GLOB, argv=["validate"], exit=2,
         stderr_has=["is a FIFO, not a file"], timeout=HANG),
    Case(name="dev-null-as-sql-file", files={"cruddur.yml": yml("tasks:\n  load: { sql: /dev/null }\n")}, argv=["load"],
         exit=2, stderr_has=["is a character device, not a file"], db_unchanged=True, timeout=HANG),
    Case(name="dev-zero-as-config-validate", files={}, argv=["validate", "-f", "/dev/zero"], exit=2,
         stderr_has=["is a character device, not a file"], timeout=HANG),
    Case(name="fifo-as-plan-sql-file", files=where_sql(Fifo())[0], argv=["plan", "load"], exit=2,
         stderr_has=["is a FIFO, not a file"], timeout=HANG),
]
