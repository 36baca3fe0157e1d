#!/usr/bin/env python3
"""Runs a command on a real pseudo-terminal, waits for `expect` in its output, sends it
SIGNAL (a number), and prints everything it wrote, then the terminal's interrupt and
end-of-line keys as the command left them; exits with its status.
usage: signal_at_prompt.py EXPECT SIGNAL COMMAND [ARGS...]"""
import os
import sys
import termios
import time

from pty_session import run

expect, signal_number, command = sys.argv[1].encode(), int(sys.argv[2]), sys.argv[3:]


def send(pid, fd):
    # The prompt is written before the read starts: give the read a moment to begin.
    time.sleep(0.2)
    os.kill(pid, signal_number)


output, status, fd = run(expect, command, send)
# On Linux the master side reads the terminal's settings.
keys = termios.tcgetattr(fd)[6]
sys.stdout.write(output.decode(errors="replace"))
sys.stdout.write("\nintr=%d eol=%d\n" % (ord(keys[termios.VINTR]), ord(keys[termios.VEOL])))
code = os.waitstatus_to_exitcode(status)
# Ended by a signal: the shell's way, 128 + its number.
sys.exit(128 - code if code < 0 else code)
