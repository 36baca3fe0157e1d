"""Runs one case: its database and project, the command (with a signal plan, if any), the
global assertions (no crash, no password, no hang) and the case's own assertions."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time

from . import procs
from .case import PASSWORD, SECRET_MARK, Case, Dir, Exec, Fifo, Socket, Symlink, json_events

# "Program crashed" is what the Swift runtime's backtracer prints (e.g. on SIGQUIT).
CRASH_MARKERS = ["Fatal error", "Stack dump", "Segmentation fault", "Illegal instruction", "💣", "Program crashed"]
CRASH_CODES = {132, 134, 139}
CRASH_SIGNALS = {4, 6, 7, 8, 11}  # died of SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGSEGV


class Result:
    def __init__(self, code, stdout: bytes, stderr: bytes, elapsed: float, timed_out=False):
        self.code = code
        self.stdout_bytes = stdout
        self.stderr_bytes = stderr
        self.stdout = stdout.decode("utf-8", errors="replace")
        self.stderr = stderr.decode("utf-8", errors="replace")
        self.elapsed = elapsed
        self.timed_out = timed_out

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Context:
    """What a case's `check` function gets."""

    def __init__(self, runner, case: Case, index: int, root: str):
        self.runner = runner
        self.cluster = runner.cluster
        self.case = case
        self.db = f"adv_{index:03d}"
        self.db2 = self.db + "_2"
        self.dir = os.path.join(root, "proj")
        self.home = os.path.join(root, "home")
        self.tmp = os.path.join(root, "tmp")
        self.result: Result | None = None
        self.before: dict = {}
        self.after: dict = {}
        self.written: dict = {}  # path -> bytes the runner wrote
        self.sockets: list = []
        self.failures: list = []
        self.notes: list = []
        self.sessions: list = []
        self.after2: dict = {}
        self.group = None

    # -- helpers for checks --------------------------------------------------
    def sub(self, text):
        values = {
            "@DB2@": self.db2,
            "@DB@": self.db,
            "@URL2@": self.cluster.url(self.db2),
            "@URL@": self.cluster.url(self.db),
            "@DEADPORT@": str(self.runner.dead_port),
            "@PORT@": str(self.cluster.port),
            "@PW@": PASSWORD,
            "@DIR@": self.dir,
        }
        if isinstance(text, bytes):
            for key, value in values.items():
                text = text.replace(key.encode(), value.encode())
            return text
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    @property
    def events(self) -> list:
        return json_events(self.result.stdout)

    def psql(self, sql: str, database: str | None = None) -> str:
        return self.cluster.psql(sql, database or self.db)

    def cruddur(self, argv: list, stdin=None, timeout: float = 60.0) -> Result:
        """Runs the binary again in the same project (for comparisons such as plan vs -n)."""
        return run_process(self, [self.runner.binary] + [self.sub(a) for a in argv], stdin, timeout)[0]

    def table_rows(self, table: str, digest: dict | None = None):
        """Row count of a table in the after-digest (None when absent)."""
        digest = self.after if digest is None else digest
        name = table if "." in table else "public." + table
        line = digest.get("rel " + name)
        if line is None:
            return None
        match = re.search(r" rows=(\d+) ", line)
        return int(match.group(1)) if match else -1

    def fail(self, message: str) -> None:
        self.failures.append(message)


def environment(ctx: Context, extra: dict) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": ctx.home,
        "TMPDIR": ctx.tmp,
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        "CRUDDUR_TEST_URL": ctx.cluster.url(ctx.db),
        "CRUDDUR_TEST_URL2": ctx.cluster.url(ctx.db2),
    }
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = ctx.sub(value)
    return env


def make_project(ctx: Context) -> None:
    for path in (ctx.dir, ctx.home, ctx.tmp):
        os.makedirs(path, exist_ok=True)
    for name, spec in ctx.case.files.items():
        path = os.path.join(ctx.dir, ctx.sub(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(spec, Fifo):
            os.mkfifo(path)
        elif isinstance(spec, Dir):
            os.makedirs(path, exist_ok=True)
        elif isinstance(spec, Socket):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.bind(path)
            sock.listen(1)
            ctx.sockets.append(sock)
        elif isinstance(spec, Symlink):
            os.symlink(ctx.sub(spec.target), path)
        else:
            data = spec.text if isinstance(spec, Exec) else spec
            data = ctx.sub(data.encode() if isinstance(data, str) else data)
            with open(path, "wb") as f:
                f.write(data)
            if isinstance(spec, Exec):
                os.chmod(path, 0o755)
            ctx.written[path] = data


def _reader(stream, sink: list, lines_seen: list, event: threading.Event):
    """Collects a pipe; each complete line is appended to lines_seen and sets the event."""
    pending = b""
    while True:
        chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
        if not chunk:
            break
        sink.append(chunk)
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            lines_seen.append(line.decode("utf-8", errors="replace"))
            event.set()
    if pending:
        lines_seen.append(pending.decode("utf-8", errors="replace"))
    event.set()


def run_process(ctx: Context, argv: list, stdin, timeout: float, plan=None):
    """Runs argv in its own session; follows the signal plan; returns (Result, pgid|None)."""
    env = environment(ctx, ctx.case.env)
    started = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=ctx.dir, env=env, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    ctx.runner.track(proc.pid)
    out, err, out_lines, err_lines = [], [], [], []
    line_event = threading.Event()
    readers = [
        threading.Thread(target=_reader, args=(proc.stdout, out, out_lines, line_event), daemon=True),
        threading.Thread(target=_reader, args=(proc.stderr, err, err_lines, threading.Event()), daemon=True),
    ]
    for thread in readers:
        thread.start()
    if stdin is not None:
        try:
            proc.stdin.write(stdin.encode() if isinstance(stdin, str) else stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    deadline = started + timeout
    timed_out = False
    pgid = None
    try:
        if plan is not None:
            pgid = _follow_plan(ctx, proc, plan, out_lines, line_event, deadline)
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = True
            ctx.fail(f"timed out after {timeout:.0f} s (hang); killed its session")
            procs.kill_session(proc.pid)
            proc.wait()
        # Readers end at EOF, which leftovers holding the pipes would delay.
        for thread in readers:
            thread.join(timeout=3)
        if any(thread.is_alive() for thread in readers):
            left = procs.session_members(proc.pid)
            ctx.fail(f"processes left behind still hold cruddur's output open: pids {left}")
    finally:
        ctx.runner.untrack(proc.pid)
        ctx.sessions.append(proc.pid)
    return Result(proc.returncode, b"".join(out), b"".join(err), time.monotonic() - started, timed_out), pgid


def _wait_line(lines: list, event: threading.Event, pattern: str, deadline: float, start: int = 0):
    """(index, match) of the first line at or after `start` matching `pattern`, or None."""
    regex = re.compile(pattern)
    index = start
    while True:
        while index < len(lines):
            match = regex.search(lines[index])
            if match:
                return index, match
            index += 1
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        event.wait(min(remaining, 0.5))
        event.clear()


def _wait_activity(ctx: Context, proc, text: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ctx.cluster.active_backends(text, [ctx.db, ctx.db2]):
            return True
        time.sleep(0.02)  # polling the server's state, not a synchronisation sleep
    return False


def _await(ctx: Context, proc, wait, lines, event, deadline, start=0):
    if wait.kind == "activity":
        ok = _wait_activity(ctx, proc, ctx.sub(wait.text), deadline)
        return ok, None, start
    found = _wait_line(lines, event, ctx.sub(wait.text), deadline, start)
    if found is None:
        return False, None, start
    index, match = found
    pgid = int(match.group(1)) if match.re.groups else None
    return True, pgid, index + 1


def _follow_plan(ctx: Context, proc, plan, lines, event, deadline):
    wait_deadline = min(deadline, time.monotonic() + 30)
    ok, pgid, next_line = _await(ctx, proc, plan.wait, lines, event, wait_deadline)
    if not ok:
        ctx.fail(f"never reached the state to signal ({plan.wait.kind}: {plan.wait.text!r}); exit {proc.poll()}")
        return pgid
    ctx.group = pgid
    proc.send_signal(plan.sig)
    if plan.second is not None:
        if plan.second_wait is not None:
            ok, _, _ = _await(ctx, proc, plan.second_wait, lines, event, min(deadline, time.monotonic() + 20), next_line)
            if not ok:
                ctx.fail(f"after the first signal, never saw {plan.second_wait.text!r}")
        if proc.poll() is None:
            proc.send_signal(plan.second)
    return pgid


def _secrets(ctx: Context) -> list:
    return [SECRET_MARK, PASSWORD] + list(ctx.case.secrets)


def global_checks(ctx: Context) -> None:
    r = ctx.result
    for marker in CRASH_MARKERS:
        if marker in r.output:
            ctx.fail(f"crash marker {marker!r} in output")
    if r.code in CRASH_CODES or (r.code is not None and -r.code in CRASH_SIGNALS):
        ctx.fail(f"crashed: exit status {r.code}")
    for secret in _secrets(ctx):
        if secret in r.stdout:
            ctx.fail(f"the password ({secret!r}) appears in stdout")
        if secret in r.stderr:
            ctx.fail(f"the password ({secret!r}) appears in stderr")
    # Files cruddur wrote (anything the runner did not write, or changed) under the case dir.
    base = os.path.dirname(ctx.dir)
    for folder, _, names in os.walk(base):
        for name in names:
            path = os.path.join(folder, name)
            try:
                if not os.path.isfile(path) or os.path.islink(path):
                    continue
                with open(path, "rb") as f:
                    data = f.read(50_000_000)
            except OSError:
                continue
            if ctx.written.get(path) == data:
                continue
            for secret in _secrets(ctx):
                if secret.encode() in data:
                    ctx.fail(f"the password ({secret!r}) is in a file cruddur wrote: {os.path.relpath(path, base)}")


def case_checks(ctx: Context) -> None:
    case, r = ctx.case, ctx.result
    expected = case.exit if isinstance(case.exit, tuple) else (case.exit,)
    if r.code not in expected:
        ctx.fail(f"exit {r.code}, expected {' or '.join(map(str, expected))}")
    for text in case.stdout_has:
        if ctx.sub(text) not in r.stdout:
            ctx.fail(f"stdout lacks {text!r}")
    for text in case.stderr_has:
        if ctx.sub(text) not in r.stderr:
            ctx.fail(f"stderr lacks {text!r}")
    for text in case.output_has:
        if ctx.sub(text) not in r.output:
            ctx.fail(f"output lacks {text!r}")
    for text in case.stdout_lacks:
        if ctx.sub(text) in r.stdout:
            ctx.fail(f"stdout has {text!r}")
    for text in case.stderr_lacks:
        if ctx.sub(text) in r.stderr:
            ctx.fail(f"stderr has {text!r}")
    for pattern in case.stderr_re:
        if not re.search(ctx.sub(pattern), r.stderr):
            ctx.fail(f"stderr does not match /{pattern}/")
    if case.db_unchanged and ctx.before != ctx.after:
        changed = sorted(set(ctx.before.items()) ^ set(ctx.after.items()))
        ctx.fail("database changed: " + "; ".join(f"{k}: {v[:120]}" for k, v in changed[:6]))
    for digest_name, tables in (("after", case.tables), ("after2", case.tables2)):
        digest = getattr(ctx, digest_name, {})
        for table, want in tables.items():
            rows = ctx.table_rows(table, digest)
            where = f"{table}" + (" (in @DB2@)" if digest_name == "after2" else "")
            if want is False and rows is not None:
                ctx.fail(f"table {where} exists ({rows} rows), expected absent")
            elif want is True and rows is None:
                ctx.fail(f"table {where} is absent, expected present")
            elif isinstance(want, int) and not isinstance(want, bool) and rows != want:
                ctx.fail(f"table {where} has {'no table' if rows is None else rows} rows, expected {want}")
    if case.server_log_lacks:
        for line in ctx.cluster.log_lines(ctx.db):
            for text in case.server_log_lacks:
                if text in line:
                    ctx.fail(f"server log: {line[:200]}")
                    break
    if case.no_backend:
        # A statement naming the case's database (e.g. an alias) is unique to the case, so
        # it is looked for on every database; any other text only on the case's own.
        databases = [ctx.db, ctx.db2] + (["postgres"] if "@DB@" in case.no_backend else [])
        deadline = time.monotonic() + 3
        while True:
            left = ctx.cluster.active_backends(ctx.sub(case.no_backend), databases)
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.02)  # polling the server's state
        if left:
            ctx.fail(f"a backend still runs {case.no_backend!r}: {left[0]}")
    if case.group_gone:
        group = ctx.group
        if group is None:
            ctx.fail("no process group id was read from the readiness line")
        else:
            deadline = time.monotonic() + 3
            while procs.group_alive(group) and time.monotonic() < deadline:
                time.sleep(0.02)  # polling process state
            if procs.group_alive(group):
                ctx.fail(f"the shell step's process group {group} is still alive")
    if case.check:
        try:
            case.check(ctx)
        except AssertionError as error:
            ctx.fail(str(error) or "check failed")


def run_case(runner, case: Case, index: int) -> Context:
    root = os.path.join(runner.tmp, f"c{index:03d}")
    os.makedirs(root)
    ctx = Context(runner, case, index, root)
    cluster = runner.cluster
    try:
        cluster.create_databases(ctx.db, *([ctx.db2] if case.extra_db else []))
        if case.setup_sql:
            cluster.psql(ctx.sub(case.setup_sql), ctx.db)
        make_project(ctx)
        ctx.before = cluster.digest(ctx.db)
        argv = [runner.binary] + [ctx.sub(a) for a in case.argv]
        ctx.result, _ = run_process(ctx, argv, case.stdin, case.timeout, case.signal)
        ctx.after = cluster.digest(ctx.db)
        if case.extra_db:
            ctx.after2 = cluster.digest(ctx.db2)
        global_checks(ctx)
        case_checks(ctx)
    except Exception as error:  # a harness problem is a failure of the case, with its reason
        ctx.fail(f"harness error: {type(error).__name__}: {error}")
    finally:
        for session in ctx.sessions:
            procs.kill_session(session)
        procs.reap_orphans()
        for sock in ctx.sockets:
            sock.close()
        cluster.drop_databases(ctx.db, ctx.db2)
        shutil.rmtree(root, ignore_errors=True)
    return ctx
