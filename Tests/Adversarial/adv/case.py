"""What a case is: a small project, one command, and what must hold afterwards.

Case modules under `cases/` build `Case` objects with the helpers here and list them in
`CASES`. The runner (`run.py`) gives each case its own database and project directory.

Placeholders, replaced in argv, env values, file contents and file names:

    @DB@        the case's database          @DB2@      a second database (extra_db=True)
    @URL@       URL of the case's database, with the password
    @URL2@      URL of the second database   @PORT@     the server's port
    @DEADPORT@  a loopback port nothing listens on
    @PW@        the environment's password   @DIR@      the project directory
"""

from __future__ import annotations

import dataclasses
import signal as _signal
from typing import Callable, Optional, Union

PASSWORD = "pw-S3cr3t-XyZ"
# Every case's output and written files are searched for this; cases with their own
# password shapes add theirs to `secrets`.
SECRET_MARK = "S3cr3t"

HEADER = """version: 1
environments:
  local:
    default: true
    url: ${CRUDDUR_TEST_URL}
"""


def yml(body: str = "", header: str = HEADER) -> str:
    """A cruddur.yml: the standard header (one `local` environment on the case's
    database, its URL from $CRUDDUR_TEST_URL) followed by `body`."""
    return header + body


# Special files a case can ask for instead of contents.
@dataclasses.dataclass(frozen=True)
class Fifo:
    pass


@dataclasses.dataclass(frozen=True)
class Socket:
    """A bound unix socket (the runner keeps it open for the case's duration)."""


@dataclasses.dataclass(frozen=True)
class Dir:
    pass


@dataclasses.dataclass(frozen=True)
class Symlink:
    target: str


@dataclasses.dataclass(frozen=True)
class Exec:
    """An executable file (mode 0755), e.g. a plugin."""

    text: str


FileSpec = Union[str, bytes, Fifo, Socket, Dir, Symlink, Exec]


@dataclasses.dataclass
class Wait:
    """What to wait for before sending a signal.

    kind "activity": a backend of the case's database whose query contains `text` is active;
    kind "line": a stdout line matches the regex `text`; its group 1, if any, is the shell
    step's process group.
    """

    kind: str
    text: str


@dataclasses.dataclass
class SignalPlan:
    sig: int
    wait: Wait
    # A second signal, sent after `second_wait` is seen (or at once when None).
    second: Optional[int] = None
    second_wait: Optional[Wait] = None


Check = Callable[["object"], None]  # raises AssertionError; gets a runner Context


@dataclasses.dataclass
class Case:
    name: str
    argv: list
    files: dict = dataclasses.field(default_factory=dict)
    exit: Union[int, tuple] = 0
    stdin: Optional[Union[str, bytes]] = None
    env: dict = dataclasses.field(default_factory=dict)
    stdout_has: list = dataclasses.field(default_factory=list)
    stderr_has: list = dataclasses.field(default_factory=list)
    output_has: list = dataclasses.field(default_factory=list)  # stdout or stderr
    stdout_lacks: list = dataclasses.field(default_factory=list)
    stderr_lacks: list = dataclasses.field(default_factory=list)
    stderr_re: list = dataclasses.field(default_factory=list)
    # Database: either unchanged, or per-table expectations
    # {"t": True (exists) | False (absent) | N (exists with N rows)}; "schema.t" allowed.
    db_unchanged: bool = False
    tables: dict = dataclasses.field(default_factory=dict)
    tables2: dict = dataclasses.field(default_factory=dict)  # the same, in @DB2@
    setup_sql: Optional[str] = None
    extra_db: bool = False
    # No backend of the server may still run a statement containing this text afterwards.
    no_backend: Optional[str] = None
    # Texts no server log line of the case's database may contain (e.g. the WARNING a
    # second BEGIN on one session gets).
    server_log_lacks: list = dataclasses.field(default_factory=list)
    signal: Optional[SignalPlan] = None
    # For signal cases waiting on a line: the shell step's process group must be gone.
    group_gone: bool = False
    check: Optional[Check] = None
    timeout: float = 60.0
    secrets: list = dataclasses.field(default_factory=list)
    cls: str = ""  # set by the loader from the module

    @property
    def full_name(self) -> str:
        return f"{self.cls}/{self.name}"


SIGNALS = {
    "INT": _signal.SIGINT,
    "TERM": _signal.SIGTERM,
    "HUP": _signal.SIGHUP,
    "QUIT": _signal.SIGQUIT,
}


def json_events(stdout: str) -> list:
    """The JSON objects of a `--format json` stdout, one per line; a non-JSON line fails."""
    import json

    events = []
    for number, line in enumerate(stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            events.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"stdout line {number} is not JSON: {line[:200]!r}")
    return events
