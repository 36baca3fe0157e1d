"""Processes: the runner is a child subreaper (PID 1 here does not reap orphans, so a dead
shell step's grandchild would otherwise stay a zombie and keep its process group
"alive"), finds a case's leftovers by session id, and kills them."""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _stat(pid: int):
    """(state, ppid, pgrp, session) of a process, or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode(errors="replace")
    except OSError:
        return None
    rest = data[data.rfind(")") + 2 :].split()
    try:
        return rest[0], int(rest[1]), int(rest[2]), int(rest[3])
    except (IndexError, ValueError):
        return None


def _pids():
    for name in os.listdir("/proc"):
        if name.isdigit():
            yield int(name)


def reap_orphans() -> None:
    """Reaps zombies re-parented to the runner: those in a session that is neither the
    runner's (its psql children) nor led by themselves (a cruddur process the runner waits
    for)."""
    me, my_session = os.getpid(), os.getsid(0)
    for pid in _pids():
        st = _stat(pid)
        if st and st[0] == "Z" and st[1] == me and st[3] not in (my_session, pid):
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def session_members(session: int) -> list:
    """Live (non-zombie) processes of a session."""
    members = []
    for pid in _pids():
        st = _stat(pid)
        if st and st[3] == session and st[0] != "Z":
            members.append(pid)
    return members


def kill_session(session: int) -> list:
    """SIGKILLs every process of the session (cruddur and whatever it left); returns them."""
    members = session_members(session)
    for pid in members:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return members


def group_alive(pgid: int) -> bool:
    reap_orphans()
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
