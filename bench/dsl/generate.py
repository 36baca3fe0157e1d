#!/usr/bin/env python3
"""generate.py N OUTDIR [--chain]

Why: the DSL benchmark (bench/dsl/run.sh) needs the *same* task graph written
in three task-runner formats so that cruddur's parse/validate/plan cost can be
compared with go-task and just at growing sizes.

Writes:
  OUTDIR/cruddur.yml      (+ OUTDIR/tasks/gen.yml, pulled in by include: [tasks/*.yml])
  OUTDIR/Taskfile.yml     (go-task v3)
  OUTDIR/justfile         (just)

Graph (default): N tasks in namespaces of 50; task i is `ns<k>:task<i>` (k = i // 50;
`ns<k>-task<i>` in just, whose names cannot contain ':').  Within a namespace
task i depends on i-1 and on one other earlier task of the same namespace; the
first task of every namespace but ns0 depends on ns0:task0 (a cross-namespace
edge).  Depth is therefore at most ~52.  A final task `all` depends on every
50th task (the last task of each namespace, plus the very last task if N is not
a multiple of 50), so planning `all` walks the whole graph.

--chain: task i depends only on task i-1 (an N-deep chain); `all` depends on the
same tasks but listed deepest first, so the first dep walked is N deep.
"""
import argparse
import os

NS = 50


def deps_of(i, chain):
    if chain:
        return [i - 1] if i >= 1 else []
    k, l = divmod(i, NS)
    d = []
    if l >= 1:
        d.append(i - 1)
    if l >= 2:
        j = k * NS + (i * 7) % (l - 1)  # in [k*NS, i-2]: distinct from i-1
        d.append(j)
    if l == 0 and k >= 1:
        d.append(0)
    return d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--chain", action="store_true", help="task i depends on task i-1")
    a = ap.parse_args()
    n, out = a.n, a.outdir
    os.makedirs(os.path.join(out, "tasks"), exist_ok=True)

    cname = lambda i: f"ns{i // NS}:task{i}"
    jname = lambda i: f"ns{i // NS}-task{i}"
    tops = [i for i in range(NS - 1, n, NS)]
    if n and (n - 1) not in tops:
        tops.append(n - 1)
    if a.chain:
        # deepest first: a runner that walks deps in order must recurse the
        # full N-deep chain on the first dep (ascending order would only ever
        # recurse 50 deep because earlier tasks are already visited).
        tops.reverse()

    # ---- cruddur -----------------------------------------------------------
    with open(os.path.join(out, "cruddur.yml"), "w") as f:
        f.write(
            "version: 1\n"
            "environments:\n"
            "  local:\n"
            "    default: true\n"
            "    url: postgresql://postgres:password@127.0.0.1:5432/bench\n"
            "include: [tasks/*.yml]\n"
        )
    with open(os.path.join(out, "tasks", "gen.yml"), "w") as f:
        w = f.write
        w("tasks:\n")
        for i in range(n):
            w(f"  {cname(i)}:\n    description: Task {i}\n")
            d = deps_of(i, a.chain)
            if d:
                w(f"    deps: [{', '.join(cname(x) for x in d)}]\n")
            w(f"    shell: echo task {i}\n")
        w("  all:\n    description: Everything\n")
        w(f"    deps: [{', '.join(cname(x) for x in tops)}]\n")
        w("    shell: echo all\n")

    # ---- go-task v3 --------------------------------------------------------
    with open(os.path.join(out, "Taskfile.yml"), "w") as f:
        w = f.write
        # run: once = each task runs at most once per invocation (go-task's default
        # re-runs a dep every time it is referenced, which explodes on a DAG).
        w("version: '3'\n\nrun: once\n\ntasks:\n")
        for i in range(n):
            w(f"  {cname(i)}:\n    desc: Task {i}\n")
            d = deps_of(i, a.chain)
            if d:
                w(f"    deps: [{', '.join(cname(x) for x in d)}]\n")
            w(f"    cmds: [echo task {i}]\n")
        w("  all:\n    desc: Everything\n")
        w(f"    deps: [{', '.join(cname(x) for x in tops)}]\n")
        w("    cmds: [echo all]\n")

    # ---- just --------------------------------------------------------------
    with open(os.path.join(out, "justfile"), "w") as f:
        w = f.write
        for i in range(n):
            d = deps_of(i, a.chain)
            w(f"# Task {i}\n{jname(i)}:{''.join(' ' + jname(x) for x in d)}\n    echo task {i}\n\n")
        w(f"# Everything\nall:{''.join(' ' + jname(x) for x in tops)}\n    echo all\n")


if __name__ == "__main__":
    main()
