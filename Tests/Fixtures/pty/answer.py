#!/usr/bin/env python3
"""Runs a command on a real pseudo-terminal, waits for `expect` in its output, types
`answer` and Enter, and prints everything the command wrote; exits with its status.
usage: answer.py EXPECT ANSWER COMMAND [ARGS...]"""
import os
import pty
import select
import sys
import time

expect, answer, command = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
output, answered, deadline = b"", False, time.time() + 60
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
    if not answered and expect in output:
        os.write(fd, answer + b"\r")
        answered = True
# A program still running at the deadline is killed, so a test fails rather than hangs.
done, status = os.waitpid(pid, os.WNOHANG)
if done == 0:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
