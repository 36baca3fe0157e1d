#!/usr/bin/env python3
"""Runs a command on a real pseudo-terminal, waits for `expect` in its output, types
`answer` and Enter, and prints everything the command wrote; exits with its status.
usage: answer.py EXPECT ANSWER COMMAND [ARGS...]"""
import os
import sys

from pty_session import run

expect, answer, command = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
output, status, _ = run(expect, command, lambda pid, fd: os.write(fd, answer + b"\r"))
sys.stdout.write(output.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
