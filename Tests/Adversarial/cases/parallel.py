"""Parallel `sql:`/`query:` steps on one database, as independent deps of one task.

Each loader task X loads a file into its own table X; one may fail at a chosen statement.
With --format json, every task reported `step_finished` must have its table with all its
rows, all written by one transaction (each row records txid_current(), so statements of
two files interleaved on one shared session show up even when every load succeeds), and
every failed or cancelled (or never started) one must have no table; exit 1 when any step
failed, else 0. Each file first stores its backend's pid in a sequence (setval is not
rolled back): two loads whose steps overlapped (both started before either ended, by the
event order) must have run on different backends; a load whose file has no error must
never report step_failed; and the server log must not show a BEGIN inside a transaction
or a COMMIT outside one on the case's database (one session shared by two loads).
"""

from adv.case import Case, yml

CLASS = "parallel"


def load_file(table: str, rows: int, fail_at: str | None = None) -> str:
    """create table + `rows` single-row inserts; fail_at: first|middle|last|None."""
    statements = [
        f"select setval('pid_{table}', pg_backend_pid());",
        f"create table {table}(x int not null, xid bigint default txid_current());",
    ]
    statements += [f"insert into {table} values ({i});" for i in range(rows)]
    if fail_at == "first":
        statements[1] = f"create table {table}(x no_such_type);"
    elif fail_at == "middle":
        statements.insert(len(statements) // 2, "select 1/0;")
    elif fail_at == "last":
        statements.append(f"insert into {table} values (null);")
    return "\n".join(statements) + "\n"


def check_outcomes(loaders: dict, must_fail: set, xid_tables: set):
    """loaders: {task: rows}; must_fail: tasks whose file is designed to fail; xid_tables:
    tables whose rows record their transaction."""

    def check(ctx):
        events = ctx.events
        outcome = {}
        for event in events:
            kind, task = event.get("event"), event.get("task")
            if kind in ("step_finished", "step_failed", "step_cancelled") and task in loaders:
                outcome[task] = kind
        failed = any(e.get("event") == "step_failed" for e in events)
        _check_backends(ctx, events, sorted(loaders))
        want_exit = 1 if failed else 0
        assert ctx.result.code == want_exit, f"exit {ctx.result.code} but a step failed={failed}"
        for task in must_fail:
            assert outcome.get(task) != "step_finished", f"{task} reported step_finished though its file fails"
        for task in set(loaders) - must_fail:
            errors = [e.get("errors") for e in events if e.get("event") == "step_failed" and e.get("task") == task]
            assert not errors, f"{task}'s SQL has no error, yet it failed: {errors[0]}"
        if must_fail:
            assert failed, "no step_failed event though a file fails"
        for task, rows in loaders.items():
            have = ctx.table_rows(task)
            if outcome.get(task) == "step_finished":
                assert have == rows, f"{task} reported step_finished but its table has {have} rows, not {rows}"
                if task in xid_tables:
                    count = ctx.psql(f"select count(distinct xid) from {task}").strip()
                    assert count == "1", f"{task}'s rows were written by {count} transactions, not one"
            else:
                assert have is None, f"{task} ended {outcome.get(task, 'without an event')} but its table exists ({have} rows)"

    return check


def _check_backends(ctx, events, loaders):
    started, ended = {}, {}
    for index, event in enumerate(events):
        task = event.get("task")
        if event.get("event") == "step_started":
            started.setdefault(task, index)
        elif event.get("event") in ("step_finished", "step_failed", "step_cancelled"):
            ended.setdefault(task, index)
    pids = {}
    for task in loaders:
        value, called = ctx.psql(f"select last_value, is_called from pid_{task}").strip().split("|")
        if called == "t":
            pids[task] = value
    for i, x in enumerate(loaders):
        for y in loaders[i + 1 :]:
            if x in pids and y in pids and x in started and y in started:
                overlap = started[x] < ended.get(y, len(events)) and started[y] < ended.get(x, len(events))
                assert not (overlap and pids[x] == pids[y]), (
                    f"{x} and {y} ran at the same time on one backend (pid {pids[x]})"
                )


def parallel_case(name, loaders, fail=None, warm=True, jobs=None, queries=None, extra_tasks=""):
    """loaders: {task: rows}; fail: {task: first|middle|last}; queries: {task: SQL} run
    alongside the loads (each creating table `task` with its rows counted in loaders, and
    setting sequence pid_<task> to its backend's pid)."""
    fail = fail or {}
    queries = queries or {}
    files = {}
    tasks = "tasks:\n"
    if warm:
        tasks += "  warm: { query: select 1 }\n"
    deps = ", ".join(loaders)
    for task, rows in loaders.items():
        dep = " deps: [warm]," if warm else ""
        if task in queries:
            tasks += f"  {task}: {{{dep} query: \"{queries[task]}\" }}\n"
        else:
            files[f"{task}.sql"] = load_file(task, rows, fail.get(task))
            tasks += f"  {task}: {{{dep} sql: {task}.sql }}\n"
    tasks += f"  load: {{ deps: [{deps}], query: select 2 }}\n" + extra_tasks
    files["cruddur.yml"] = yml(tasks)
    argv = ["load", "--format", "json"] + (["-j", str(jobs)] if jobs else [])
    sequences = "".join(f"create sequence pid_{t} minvalue 0;" for t in loaders)
    return Case(
        name=name, files=files, argv=argv, exit=1 if fail else 0, setup_sql=sequences,
        check=check_outcomes(loaders, set(fail), set(loaders) - set(queries)), timeout=60,
        server_log_lacks=["there is already a transaction in progress", "there is no transaction in progress"],
    )


N = 20_000
# A query step that loads table q and, like the files, records its backend.
QUERY = f"create table q as select x, setval('pid_q', pg_backend_pid()) as pid from generate_series(1, {N}) x"
CASES = [
    parallel_case("two-loads-both-succeed", {"a": N, "b": N}),
    parallel_case("b-fails-at-first-statement", {"a": N, "b": N}, fail={"b": "first"}),
    parallel_case("b-fails-in-the-middle", {"a": N, "b": N}, fail={"b": "middle"}),
    parallel_case("b-fails-at-last-statement", {"a": N, "b": N}, fail={"b": "last"}),
    parallel_case("a-fails-at-first-statement", {"a": N, "b": N}, fail={"a": "first"}),
    parallel_case("a-fails-at-last-statement", {"a": N, "b": N}, fail={"a": "last"}),
    parallel_case("both-fail-middle-and-last", {"a": N, "b": N}, fail={"a": "middle", "b": "last"}),
    parallel_case("small-load-beside-failing-big-one", {"a": 50, "b": N}, fail={"b": "last"}),
    parallel_case("big-load-beside-failing-small-one", {"a": N, "b": 50}, fail={"b": "middle"}),
    parallel_case("three-loads-one-fails", {"a": N, "b": N, "c": N}, fail={"c": "middle"}),
    parallel_case("three-loads-succeed-j8", {"a": N, "b": N, "c": N}, jobs=8),
    parallel_case("no-warm-query-b-fails-middle", {"a": N, "b": N}, fail={"b": "middle"}, warm=False),
    parallel_case("no-warm-query-both-succeed", {"a": N, "b": N}, warm=False),
    parallel_case(
        "query-step-beside-loads", {"a": N, "b": N, "q": N},
        queries={"q": QUERY},
    ),
    parallel_case(
        "query-step-beside-failing-load", {"a": N, "q": N}, fail={"a": "last"},
        queries={"q": QUERY},
    ),
    parallel_case("j2-b-fails-first", {"a": N, "b": N}, fail={"b": "first"}, jobs=2),
]
