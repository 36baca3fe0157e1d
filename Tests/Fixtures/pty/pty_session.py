"""The pseudo-terminal session both fixtures drive: runs COMMAND on a real pty, reads all
it writes, calls `act(pid, fd)` once `expect` has appeared, and kills a command still
running after 60 s, so a test fails rather than hangs. Returns (output, wait status, fd)."""
import os
import pty
import select
import time


def run(expect, command, act):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    output, acted, deadline = b"", False, time.time() + 60
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            output += data
        if not acted and expect in output:
            act(pid, fd)
            acted = True
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
    return output, status, fd
