"""`password:` sources: the password from a command (what a vault CLI does) rather than the
URL, and the shapes that must be refused before anything connects. AWS sources are
exercised against moto_server in Tests/CruddurCredentialsTests; here none may be reached."""

from adv.case import Case

CLASS = "credentials"


def project(password: str, url: str = "postgresql://postgres@127.0.0.1:@PORT@/@DB@", extra: str = "") -> dict:
    return {
        "cruddur.yml": (
            "version: 1\n"
            "environments:\n"
            "  local:\n"
            "    default: true\n"
            f"    url: {url}\n"
            f"    password: {password}\n"
            f"{extra}"
            "tasks:\n"
            "  who: { query: 'select current_user as who' }\n"
            "  mk: { query: 'create table made(x int)' }\n"
        )
    }


def cred(name, password, argv, exit, url=None, **kw):
    files = project(password) if url is None else project(password, url=url)
    env = {"CASE_PW": "@PW@"}
    env.update(kw.pop("env", {}))
    return Case(name=name, files=files, argv=argv, exit=exit, env=env, **kw)


CASES = [
    cred("command-logs-in", "{ command: 'printf \"%s\\n\" \"$CASE_PW\"' }", ["mk"], 0, tables={"made": 0}),
    cred("command-first-line-only", "{ command: 'printf \"%s\\nnoise\\n\" \"$CASE_PW\"' }", ["mk"], 0,
         tables={"made": 0}),
    cred("command-prints-nothing", "{ command: 'true' }", ["mk"], 2, stderr_has=["printed no password"],
         db_unchanged=True),
    cred("command-empty-first-line", "{ command: 'printf \"\\n%s\\n\" \"$CASE_PW\"' }", ["mk"], 2,
         stderr_has=["printed no password"], db_unchanged=True),
    cred("command-fails-stderr-masked",
         "{ command: 'printf \"%s\\n\" \"$CASE_PW\"; echo \"denied for $CASE_PW\" >&2; exit 5' }", ["mk"], 2,
         stderr_has=["exited with status 5", "stderr: denied for ****"], db_unchanged=True),
    cred("command-times-out", "{ command: 'sleep 30', timeout: 1s }", ["mk"], 2,
         stderr_has=["did not finish within 1 s"], db_unchanged=True, timeout=30.0),
    cred("command-wrong-password", "{ command: 'echo not-the-password' }", ["mk"], 1,
         stderr_has=["password authentication failed"], db_unchanged=True),
    cred("command-not-found", "{ command: 'no-such-vault-cli read x' }", ["mk"], 2,
         stderr_has=["exited with status 127"], db_unchanged=True),
    cred("url-password-and-source", "{ command: 'echo x' }", ["mk"], 2,
         url="postgresql://postgres:@PW@@127.0.0.1:@PORT@/@DB@",
         stderr_has=["must hold no password when `password:` says where it comes from"], db_unchanged=True),
    cred("misspelt-source", "{ comand: 'echo x' }", ["mk"], 2, stderr_has=["did you mean `command`?"],
         db_unchanged=True),
    cred("two-sources", "{ command: 'echo x', aws_ssm: /p }", ["mk"], 2,
         stderr_has=["found `command` and `aws_ssm`"], db_unchanged=True),
    cred("scalar-password", "hunter2", ["mk"], 2, stderr_has=["must be a mapping"], db_unchanged=True),
    cred("iam-without-tls", "{ aws_rds_iam: { region: us-east-1 } }", ["mk"], 2,
         url="postgresql://postgres@127.0.0.1:@PORT@/@DB@?sslmode=disable",
         env={"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x" * 40},
         stderr_has=["an RDS IAM token needs TLS"], db_unchanged=True),
    cred("iam-no-credentials", "{ aws_rds_iam: { region: us-east-1 } }", ["mk"], 2,
         stderr_has=["no AWS credentials found"], db_unchanged=True),
    cred("plan-fetches-nothing", "{ aws_secret: prod/db }", ["plan", "mk"], 0,
         env={"AWS_ENDPOINT_URL": "http://127.0.0.1:@DEADPORT@"},
         stdout_has=["password: Secrets Manager secret `prod/db`"]),
]
