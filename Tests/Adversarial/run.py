#!/usr/bin/env python3
"""cruddur's adversarial suite: starts its own PostgreSQL 15, runs every case in
cases/*.py (each in its own database and project directory, in parallel), prints one line
per case and a summary, removes everything it created, and exits 1 if any case failed.

    python3 Tests/Adversarial/run.py --binary .build/debug/cruddur [--filter S] [--jobs N] [--list]
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import importlib
import os
import shutil
import signal
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from adv import procs  # noqa: E402
from adv.case import Case  # noqa: E402
from adv.cluster import Cluster, free_port  # noqa: E402
from adv.execute import run_case  # noqa: E402

CLASS_ORDER = ["parallel", "cli", "timeout", "signals", "files", "bytes", "transaction", "psql", "missing", "config"]


SLOW_FIRST = {"signals": 0, "timeout": 1, "files": 2, "parallel": 3}


def load_cases() -> list:
    cases = []
    folder = os.path.join(HERE, "cases")
    modules = sorted(n[:-3] for n in os.listdir(folder) if n.endswith(".py") and not n.startswith("_"))
    modules.sort(key=lambda m: CLASS_ORDER.index(m) if m in CLASS_ORDER else len(CLASS_ORDER))
    seen = set()
    for module_name in modules:
        module = importlib.import_module(f"cases.{module_name}")
        cls = getattr(module, "CLASS", module_name)
        for case in module.CASES:
            assert isinstance(case, Case), f"{module_name}: {case!r} is not a Case"
            case.cls = cls
            assert case.full_name not in seen, f"duplicate case {case.full_name}"
            seen.add(case.full_name)
            cases.append(case)
    return cases


class Runner:
    def __init__(self, binary: str, tmp: str, cluster: Cluster):
        self.binary = binary
        self.tmp = tmp
        self.cluster = cluster
        self.dead_port = free_port()
        self._live = set()
        self._lock = threading.Lock()
        self.stopping = False

    def track(self, pid: int) -> None:
        with self._lock:
            self._live.add(pid)

    def untrack(self, pid: int) -> None:
        with self._lock:
            self._live.discard(pid)

    def kill_all(self) -> None:
        with self._lock:
            live = list(self._live)
        for pid in live:
            procs.kill_session(pid)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/cruddur", help="the cruddur binary under test")
    parser.add_argument("--filter", action="append", default=[], help="run cases whose class/name contains this (repeatable)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 2, help="cases at a time (default: cores)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--verbose", "-v", action="store_true", help="print stdout/stderr of failing cases")
    args = parser.parse_args()

    cases = load_cases()
    if args.filter:
        cases = [c for c in cases if any(f in c.full_name for f in args.filter)]
    if args.list:
        for case in cases:
            print(case.full_name)
        print(f"{len(cases)} cases", file=sys.stderr)
        return 0
    if not cases:
        print("no case matches", file=sys.stderr)
        return 2
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print(f"no executable cruddur at {binary}", file=sys.stderr)
        return 2

    procs.become_subreaper()
    tmp = tempfile.mkdtemp(prefix="cruddur-adv-")
    os.chmod(tmp, 0o755)  # the postgres user must reach its data dir and socket inside

    def on_signal(number, frame):
        raise KeyboardInterrupt

    # Handled (not inherited-ignored) in the runner, so every child starts with the
    # default disposition even when the runner was started with SIGINT/SIGQUIT ignored
    # (e.g. in the background of a non-interactive shell).
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(number, on_signal)

    cluster = Cluster(tmp)
    runner = Runner(binary, tmp, cluster)
    results = []
    interrupted = False
    started = time.monotonic()
    try:
        cluster.start()
        print(f"PostgreSQL 15 on 127.0.0.1:{cluster.port}; {len(cases)} cases, {args.jobs} at a time; binary {binary}", flush=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            # Cases that may wait out their timeout against a faulty binary start first, so
            # the pool is not left with one long case at the end.
            order = sorted(range(len(cases)), key=lambda i: (SLOW_FIRST.get(cases[i].cls, 9), i))
            futures = {pool.submit(run_case, runner, cases[i], i): cases[i] for i in order}
            try:
                for future in concurrent.futures.as_completed(futures):
                    ctx = future.result()
                    results.append(ctx)
                    report(ctx, args.verbose)
            except KeyboardInterrupt:
                interrupted = True
                for future in futures:
                    future.cancel()
                runner.kill_all()
                raise
    except KeyboardInterrupt:
        interrupted = True
        print("\ninterrupted; cleaning up", file=sys.stderr)
    finally:
        runner.kill_all()
        try:
            cluster.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if os.path.exists(tmp):
                print(f"warning: could not remove {tmp}", file=sys.stderr)
    return summary(results, len(cases), time.monotonic() - started, interrupted)


def report(ctx, verbose: bool) -> None:
    case = ctx.case
    r = ctx.result
    status = "FAIL" if ctx.failures else "PASS"
    took = f"{r.elapsed:.1f}s" if r else "-"
    code = r.code if r else "-"
    lines = [f"{status} {case.cls:<11} {case.name}  (exit {code}, {took})"]
    if ctx.failures:
        for failure in ctx.failures:
            lines.append(f"     - {failure}")
        if r:
            for label, text in (("stdout", r.stdout), ("stderr", r.stderr)):
                text = text.strip()
                if not text:
                    continue
                shown = text if verbose else _tail(text)
                lines.append(f"     {label}: " + shown.replace("\n", "\n       | "))
    print("\n".join(lines), flush=True)


def _tail(text: str, count: int = 6) -> str:
    rows = text.splitlines()
    rows = [row[:240] for row in rows]
    return "\n".join(rows if len(rows) <= count else ["..."] + rows[-count:])


def summary(results: list, total: int, elapsed: float, interrupted: bool) -> int:
    by_class = collections.OrderedDict()
    for ctx in sorted(results, key=lambda c: CLASS_ORDER.index(c.case.cls) if c.case.cls in CLASS_ORDER else 99):
        counts = by_class.setdefault(ctx.case.cls, [0, 0])
        counts[0 if not ctx.failures else 1] += 1
    print()
    print(f"{'class':<12} {'pass':>5} {'fail':>5}")
    for cls, (passed, failed) in by_class.items():
        print(f"{cls:<12} {passed:>5} {failed:>5}")
    passed = sum(p for p, _ in by_class.values())
    failed = sum(f for _, f in by_class.values())
    print(f"{'total':<12} {passed:>5} {failed:>5}   ({len(results)} of {total} run, {elapsed:.0f} s)")
    if failed:
        print("\nfailing:")
        for ctx in results:
            if ctx.failures:
                print(f"  {ctx.case.full_name}: {ctx.failures[0]}")
    if interrupted or len(results) < total:
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
