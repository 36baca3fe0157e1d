"""Fleet environments (docs/fleets.md) given bad input: contradictory keys, a bad shard,
a server that refuses, a wrong password, a pattern that matches nothing, a run id that is
not one. One clear error each, the right exit code, the password never printed, and the
database unchanged unless the run was meant to change it."""

from adv.case import Case

CLASS = "fleets"

GOOD = "postgresql://postgres:pw-S3cr3t-XyZ@127.0.0.1:@PORT@/@DB@"
SERVER = "postgresql://postgres:pw-S3cr3t-XyZ@127.0.0.1:@PORT@/postgres"
TASKS = "tasks:\n  q: { query: create table q(x int) }\n  who: { query: select current_database() }\n"


def fleet(name, environment, argv=("q", "-e", "f"), exit=2, **kw):
    kw.setdefault("db_unchanged", exit != 0)
    text = "version: 1\nenvironments:\n  f:\n" + environment + TASKS
    return Case(name=name, files={"cruddur.yml": text}, argv=list(argv), exit=exit, **kw)


CASES = [
    fleet("url-list-runs", f'    urls: ["{GOOD}"]\n', exit=0, db_unchanged=False, tables={"q": True},
          stdout_has=["1 done"]),
    fleet("url-list-json-has-target", f'    urls: ["{GOOD}"]\n', argv=["who", "-e", "f", "--format", "json"], exit=0,
          stdout_has=['"target":"127.0.0.1:'], stdout_lacks=["pw-S3cr3t"]),
    fleet("url-and-urls", f'    url: "{GOOD}"\n    urls: ["{GOOD}"]\n', stderr_has=["not both"]),
    fleet("databases-without-server", '    databases: "t_*"\n', stderr_has=["`databases` must go with `server`"]),
    fleet("misspelled-databases", f'    server: "{SERVER}"\n    databses: "adv_*"\n',
          stderr_has=["did you mean `databases`"]),
    fleet("per-server-zero", f'    urls: ["{GOOD}"]\n    per_server: 0\n', stderr_has=["`per_server` must be"]),
    fleet("from-unknown", '    from: nowhere\n    query: select 1\n', stderr_has=["`from` must name another environment"]),
    fleet("shard-out-of-range", f'    urls: ["{GOOD}"]\n', argv=["q", "-e", "f", "--shard", "3/2"],
          stderr_has=["--shard must be K/N"]),
    fleet("shard-garbage", f'    urls: ["{GOOD}"]\n', argv=["q", "-e", "f", "--shard", "x"],
          stderr_has=["--shard must be K/N"]),
    fleet("resume-bad-id", f'    urls: ["{GOOD}"]\n', argv=["q", "-e", "f", "--resume", "a b"],
          stderr_has=["is not a run id"]),
    fleet("pattern-nothing", f'    server: "{SERVER}"\n    databases: "nothing_here_*"\n', exit=1,
          stderr_has=["has no targets"]),
    fleet("pattern-refused", '    server: "postgresql://postgres:pw-S3cr3t-XyZ@127.0.0.1:@DEADPORT@/postgres"\n'
          '    databases: "adv_*"\n', exit=1, stderr_has=["cannot read the targets of fleet `f`"]),
    fleet("url-list-refused-target", '    urls: ["postgresql://postgres:pw-S3cr3t-XyZ@127.0.0.1:@DEADPORT@/x"]\n',
          exit=1, stdout_has=["1 failed"]),
    fleet("url-list-wrong-password", '    urls: ["postgresql://postgres:wrong-S3cr3t-pw@127.0.0.1:@PORT@/@DB@"]\n',
          exit=1, stdout_has=["1 failed"], secrets=["wrong-S3cr3t-pw"]),
    fleet("runs-on-one-database", f'    urls: ["{GOOD}"]\n  one:\n    url: "{GOOD}"\n',
          argv=["runs", "some-run", "-e", "one"], stderr_has=["is one database, not a fleet"]),
    fleet("runs-unknown-run", f'    urls: ["{GOOD}"]\n', argv=["runs", "never-ran", "-e", "f"], exit=1,
          stdout_has=["0 done, 0 failed, 1 not recorded"]),
    fleet("fleet-option-on-one-database", f'    urls: ["{GOOD}"]\n  one:\n    url: "{GOOD}"\n',
          argv=["q", "-e", "one", "--parallel", "2"], stderr_has=["--parallel applies to a fleet"]),
    fleet("envs-masks-fleet", f'    server: "{SERVER}"\n    databases: "adv_*"\n', argv=["envs", "--check"], exit=0,
          stdout_has=["****", "on 1 server\n"], stdout_lacks=["unresolved", "pw-S3cr3t"]),
]
