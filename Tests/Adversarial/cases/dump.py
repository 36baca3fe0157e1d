"""`pg_dump: FILE` against hostile targets: a FILE that is a FIFO (which would block), a
symbolic link (which would write elsewhere), a device, a directory or a socket is refused
at once with exit 2, and the database is left alone; a dump that works writes a file the
password never appears in, and shows it nowhere."""

from adv.case import Case, Dir, Fifo, Socket, Symlink, yml

CLASS = "dump"

# Opening a FIFO blocks forever; anything slower than this is a hang.
HANG = 6

TASKS = "tasks:\n  backup: { pg_dump: backups/db.dump }\n"

KINDS = {
    "fifo": (Fifo(), "is a FIFO, not a file"),
    "symlink": (Symlink("../outside.dump"), "is a symbolic link, not a file"),
    "directory": (Dir(), "is a directory, not a file"),
    "socket": (Socket(), "is a socket, not a file"),
}


def _nothing_outside(ctx):
    import os
    assert not os.path.exists(os.path.join(ctx.dir, "outside.dump")), "written through the symbolic link"


def _dump_written(ctx):
    import os
    path = os.path.join(ctx.dir, "backups", "db.dump")
    with open(path, "rb") as f:
        data = f.read()
    assert data.startswith(b"PGDMP"), "not a pg_dump custom-format file"
    assert ctx.sub("@PW@").encode() not in data, "the password is in the dump"
    assert os.stat(path).st_mode & 0o777 == 0o600, oct(os.stat(path).st_mode)
    assert sorted(os.listdir(os.path.join(ctx.dir, "backups"))) == ["db.dump"], "a partial file was left behind"


CASES = []
for kind, (special, message) in KINDS.items():
    for argv in (["backup"], ["plan", "backup"], ["validate"]):
        CASES.append(Case(
            name=f"{kind}-as-dump-file-{argv[0]}", files={"cruddur.yml": yml(TASKS), "backups/db.dump": special},
            argv=argv, exit=2, stderr_has=[message], db_unchanged=True, timeout=HANG, check=_nothing_outside))

CASES += [
    Case(name="dev-null-as-dump-file", files={"cruddur.yml": yml("tasks:\n  backup: { pg_dump: /dev/null }\n")},
         argv=["backup"], exit=2, stderr_has=["is a character device, not a file"], db_unchanged=True, timeout=HANG),
    Case(name="dump-writes-a-custom-format-file", files={"cruddur.yml": yml(TASKS)},
         setup_sql="create table t(x int); insert into t values (1), (2);", argv=["backup"], exit=0,
         stdout_has=["wrote backups/db.dump ("], check=_dump_written, timeout=60),
]
