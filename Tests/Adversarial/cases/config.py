"""Configuration errors (exit 2) and connection failures (exit 1), and URLs whose
passwords have awkward shapes: none of them may ever print the password, in `envs`, in a
plan, or in an error."""

from adv.case import Case, yml

CLASS = "config"


def env_yml(url: str, tasks: str = "tasks:\n  q: { query: create table q(x int) }\n") -> str:
    header = f"version: 1\nenvironments:\n  local:\n    default: true\n    url: \"{url}\"\n"
    return header + tasks


def conf(name, text, argv=("q",), exit=2, **kw):
    kw.setdefault("db_unchanged", True)
    return Case(name=name, files={"cruddur.yml": text}, argv=list(argv), exit=exit, **kw)


GOOD_URL = "postgresql://postgres:pw-S3cr3t-XyZ@127.0.0.1:@PORT@/@DB@"

CASES = [
    conf("malformed-yaml", env_yml(GOOD_URL, "tasks:\n  q: { query: select 1\n")),
    conf("malformed-yaml-validate", env_yml(GOOD_URL, "tasks: [unclosed\n"), argv=["validate"]),
    conf("query-is-a-list", env_yml(GOOD_URL, "tasks:\n  q: { query: [1, 2] }\n")),
    conf("deps-is-a-number", env_yml(GOOD_URL, "tasks:\n  q: { query: select 1, deps: 5 }\n")),
    conf("params-is-a-string", env_yml(GOOD_URL, "tasks:\n  q: { query: select 1, params: x }\n")),
    conf("environments-is-a-list", "version: 1\nenvironments: [" + GOOD_URL + "]\ntasks:\n  q: { query: select 1 }\n"),
    conf("cycle", env_yml(GOOD_URL, "tasks:\n  q: { query: select 1, deps: [r] }\n  r: { query: select 1, deps: [q] }\n"),
         stderr_has=["cycle"]),
    conf("missing-required-variable", env_yml("${ADV_NOT_SET:?set ADV_NOT_SET to the URL}"),
         stderr_has=["set ADV_NOT_SET to the URL"]),
    conf("bad-port-too-big", env_yml("postgresql://postgres:pw-S3cr3t-XyZ@127.0.0.1:99999/@DB@")),
    conf("bad-port-letters", env_yml("postgresql://postgres:pw-S3cr3t-XyZ@127.0.0.1:5x4/@DB@")),
    conf("unparsable-url", env_yml("postgresql://postgres:pw-S3cr3t-XyZ@[127.0.0.1/@DB@")),
    conf("not-a-url", env_yml("pw-S3cr3t-XyZ is not a url")),
    conf("refused-connection", env_yml("postgresql://postgres:pw-S3cr3t-XyZ@127.0.0.1:@DEADPORT@/@DB@"), exit=1,
         stderr_has=["127.0.0.1"]),
    conf("refused-connection-verbose-json",
         env_yml("postgresql://postgres:pw-S3cr3t-XyZ@127.0.0.1:@DEADPORT@/@DB@"),
         argv=["q", "-v", "--format", "json"], exit=1),
    conf("wrong-password", env_yml("postgresql://postgres:wrong-S3cr3t-pw@127.0.0.1:@PORT@/@DB@"), exit=1),
    conf("envs-masks-env-var-url", yml("tasks:\n  q: { query: select 1 }\n"), argv=["envs"], exit=0,
         stdout_has=["****"]),
    conf("plan-masks-url", env_yml(GOOD_URL), argv=["plan", "q"], exit=0, stdout_has=["****"]),
]

# Password shapes: (name, URL, exit codes for envs, plan, run, extra secrets)
P = "@127.0.0.1:@PORT@/@DB@"
ENCODED = "%70%77%2D%53%33%63%72%33%74%2D%58%79%5A"  # pw-S3cr3t-XyZ, every byte encoded
SHAPES = [
    ("percent-encoded-dash", "postgresql://postgres:pw-S3cr3t%2DXyZ" + P, 0, 0, 0, ["S3cr3t%2DXyZ"]),
    ("fully-percent-encoded", "postgresql://postgres:" + ENCODED + P, 0, 0, 0, [ENCODED, "%53%33%63%72%33%74"]),
    ("bad-percent-escape", "postgresql://postgres:pw%ZZS3cr3t" + P, (0, 2), (0, 2), (1, 2), ["%ZZS3"]),
    ("unencoded-at", "postgresql://postgres:pw@S3cr3t-at" + P, (0, 2), (0, 2), (1, 2), []),
    ("unencoded-colons", "postgresql://postgres:pw:S3cr3t:colon" + P, (0, 2), (0, 2), (1, 2), []),
    ("unencoded-slash", "postgresql://postgres:pw/S3cr3t" + P, (0, 2), (0, 2), (1, 2), []),
    ("unencoded-hash", "postgresql://postgres:pw#S3cr3t" + P, (0, 2), (0, 2), (1, 2), []),
]
for name, url, envs_exit, plan_exit, run_exit, secrets in SHAPES:
    text = env_yml(url)
    CASES += [
        conf(f"{name}-envs", text, argv=["envs"], exit=envs_exit, secrets=secrets),
        conf(f"{name}-plan", text, argv=["plan", "q"], exit=plan_exit, secrets=secrets),
        conf(f"{name}-run", text, argv=["q"], exit=run_exit, secrets=secrets,
             db_unchanged=run_exit != 0, tables={"q": True} if run_exit == 0 else {}),
    ]
