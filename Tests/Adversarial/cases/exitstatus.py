"""main's one ending, through the real binary: each row of `CommandEnding`'s table (usage,
a command's own check, a config error, a refusal, a CruddurError without a kind) and a
status a command returns (a failed step, `local status`'s 4), in text and in JSON. In
text the error is on stderr and stdout says nothing of it; in JSON it is one object on
stdout and stderr is empty; a failed step's events say it all, and nothing is added."""

import json

from adv.case import Case, yml

CLASS = "exitstatus"

TASKS = """tasks:
  t: { shell: 'echo ran > ran.txt' }
  fails: { shell: 'exit 7' }
  zap: { destructive: true, shell: 'echo zapped > zapped.txt' }
"""

PROTECTED = """version: 1
environments:
  local:
    default: true
    protected: true
    url: ${CRUDDUR_TEST_URL}
"""

EMBEDDED = """version: 1
environments:
  local:
    embedded: true
    url: postgresql://postgres:pw@localhost:@DEADPORT@/app
tasks:
  t: { shell: 'true' }
"""


def status(name, argv, exit, body=TASKS, header=None, **kw):
    text = yml(body) if header is None else yml(body, header=header)
    return Case(name=name, files={"cruddur.yml": text}, argv=argv, exit=exit, **kw)


def text_error(first_line, *more):
    """stderr starts with `first_line` and holds `more`; stdout is empty; nothing ran."""

    def check(ctx):
        r = ctx.result
        assert r.stdout == "", f"stdout is {r.stdout!r}, expected nothing"
        assert r.stderr.startswith(first_line), f"stderr starts {r.stderr[:200]!r}"
        for text in more:
            assert text in r.stderr, f"stderr lacks {text!r}"
        assert not _ran(ctx), "the task ran"

    return check


def json_error(kind, code):
    """One JSON object on stdout, naming `kind` and `code`; stderr is empty; nothing ran."""

    def check(ctx):
        r = ctx.result
        assert r.stderr == "", f"stderr is {r.stderr!r}, expected nothing"
        lines = r.stdout.splitlines()
        assert len(lines) == 1, f"stdout has {len(lines)} lines: {r.stdout[:300]!r}"
        obj = json.loads(lines[0])
        assert obj.get("event") == "error", obj
        assert obj.get("error_kind") == kind, f"error_kind {obj.get('error_kind')!r}, expected {kind!r}"
        assert obj.get("exit_code") == code, f"exit_code {obj.get('exit_code')!r}, expected {code}"
        assert not _ran(ctx), "the task ran"

    return check


def _ran(ctx):
    import os

    return any(os.path.exists(os.path.join(ctx.dir, f)) for f in ("ran.txt", "zapped.txt"))


def failed_step_json(ctx):
    """The run's own events, ending in run_finished failed; no error object is added."""
    r = ctx.result
    events = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert events, f"no events on stdout: {r.stdout[:300]!r}"
    assert events[-1].get("event") == "run_finished", events[-1]
    assert events[-1].get("outcome") == "failed", events[-1]
    assert not any(e.get("event") == "error" for e in events), "an error object was added"


CASES = [
    # Row 4: usage.
    status("usage-text", ["t", "--bogus"], 2,
           check=text_error("error: unknown option `--bogus`", "Usage: cruddur run")),
    status("usage-json", ["t", "--bogus", "--format", "json"], 2, check=json_error("usage", 2)),
    status("own-check-text", ["t", "-j", "0"], 2,
           check=text_error("error: -j must be at least 1\n", "Usage: cruddur run")),
    status("own-check-json", ["t", "-j", "0", "--format", "json"], 2, check=json_error("usage", 2)),
    # Row 2: a project's config error, with its line.
    status("config-text", ["t"], 2, body="tasks:\n  t: { shel: 'echo ran > ran.txt' }\n",
           check=text_error("error: unknown key `shel` in task `t`", "cruddur.yml:7:8")),
    status("config-json", ["t", "--format", "json"], 2,
           body="tasks:\n  t: { shel: 'echo ran > ran.txt' }\n", check=json_error("unknownKey", 2)),
    # Row 3: a refusal (no terminal to ask on), and a CruddurError without a kind.
    status("refused-text", ["zap"], 3, header=PROTECTED, stdin="",
           check=text_error("error: ", "local")),
    status("refused-json", ["zap", "--format", "json"], 3, header=PROTECTED, stdin="",
           check=json_error("consentRequired", 3)),
    status("bad-stop-grace-text", ["t"], 2, env={"CRUDDUR_STOP_GRACE": "soon"},
           check=text_error("error: CRUDDUR_STOP_GRACE=soon is not a number of seconds")),
    status("bad-stop-grace-json", ["t", "--format", "json"], 2, env={"CRUDDUR_STOP_GRACE": "soon"},
           check=json_error("StopGraceError", 2)),
    # A status a command returns: the step's failure said by its events, nothing added.
    status("failed-step-text", ["fails"], 1, stderr_has=["exited with status 7"],
           stderr_lacks=["Usage:"]),
    status("failed-step-json", ["fails", "--format", "json"], 1, check=failed_step_json),
    # `local status` of a server never created: 4, a status of the command's own.
    Case(name="local-status-never-created", files={"cruddur.yml": EMBEDDED},
         argv=["local", "status"], exit=4, stdout_has=["embedded server: not created"]),
]
