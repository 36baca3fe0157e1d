"""Issue 17's hostile inputs outside the classifier: COPY in a `query:` (it once spun at
100 % CPU ignoring Ctrl-C) or an `unless`, paths that are not regular files (or are the
project's own) as `plan --out`, a shell command that leaves a background child holding its
output, a huge unknown word."""

from adv.case import Case, Dir, Fifo, Socket, Symlink, yml

CLASS = "failclosed"

TASKS = (
    "tasks:\n"
    "  q: { query: select 1 }\n"
    "  copyout: { query: \"copy (select 41 + 1) to stdout\" }\n"
    "  bg: { shell: \"sleep 60 & echo started\" }\n"
)

# Invalid on purpose: each alone, since validation refuses the whole project.
COPYIN = "tasks:\n  copyin: { query: \"copy t from stdin\" }\n"
COPYUNLESS = "tasks:\n  copyunless:\n    unless: { sql: \"COPY t FROM STDIN\" }\n    shell: echo hi\n"

CASES = [
    Case(name="copy-to-stdout-in-query", files={"cruddur.yml": yml(TASKS)}, argv=["copyout"], exit=0,
         stdout_has=["42"], timeout=20),
    Case(name="copy-from-stdin-in-query", files={"cruddur.yml": yml(COPYIN)}, argv=["copyin"], exit=2,
         stderr_has=["`COPY … FROM STDIN` in `query` has no data to read"], db_unchanged=True, timeout=20),
    Case(name="copy-from-stdin-in-unless", files={"cruddur.yml": yml(COPYUNLESS)}, argv=["copyunless"], exit=2,
         stderr_has=["`COPY … FROM STDIN` in `unless.sql` has no data to read"], db_unchanged=True, timeout=20),
    Case(name="background-child-holding-output", files={"cruddur.yml": yml(TASKS)}, argv=["bg"], exit=0,
         stdout_has=["started"], stderr_has=["ended with the step"], timeout=20),
    Case(name="huge-unknown-task", files={"cruddur.yml": yml(TASKS)}, argv=["x" * 120_000], exit=2,
         stderr_has=["unknown task"], stderr_lacks=["did you mean"], timeout=20),
]

OUTS = {
    "fifo": (Fifo(), "it is a FIFO"),
    "socket": (Socket(), "it is a socket"),
    "directory": (Dir(), "it is a directory"),
    "symlink": (Symlink("/dev/null"), "it is a symbolic link"),
}
for kind, (special, reason) in OUTS.items():
    CASES.append(
        Case(name=f"plan-out-{kind}", files={"cruddur.yml": yml(TASKS), "out.json": special},
             argv=["plan", "q", "--out", "out.json"], exit=2,
             stderr_has=[f"refusing to write `out.json`: {reason}"], timeout=20))
CASES.append(
    Case(name="plan-out-own-config", files={"cruddur.yml": yml(TASKS)}, argv=["plan", "q", "--out", "cruddur.yml"],
         exit=2, stderr_has=["refusing to write `cruddur.yml`: the project reads it"], timeout=20))
