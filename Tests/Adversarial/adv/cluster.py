"""The suite's own PostgreSQL 15 server: initdb + pg_ctl in the run's temp dir, on a free
loopback port, password auth (scram-sha-256) on host connections, stopped at the end."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess

from .case import PASSWORD

PGBIN = "/usr/lib/postgresql/15/bin"
PSQL = os.path.join(PGBIN, "psql")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, root: str):
        self.root = os.path.join(root, "pg")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "server.log")
        self.port = free_port()
        self.started = False
        self.as_root = os.geteuid() == 0

    def _as_postgres(self, argv: list) -> list:
        if not self.as_root:
            return argv
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", "postgres", "--"] + argv
        return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(_quote(a) for a in argv)]

    def start(self) -> None:
        os.makedirs(self.root)
        pwfile = os.path.join(self.root, "pwfile")
        with open(pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        if self.as_root:
            entry = pwd.getpwnam("postgres")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        os.chmod(pwfile, 0o600)
        _run(
            self._as_postgres(
                [
                    os.path.join(PGBIN, "initdb"), "-D", self.data, "-U", "postgres", "-A", "scram-sha-256",
                    "--auth-local=trust", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
                ]
            )
        )
        os.unlink(pwfile)
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c log_line_prefix='[%p] db=%d ' -c log_min_messages=warning"
        )
        self.started = True
        _run(self._as_postgres([os.path.join(PGBIN, "pg_ctl"), "-D", self.data, "-l", self.log, "-w", "-t", "60", "-o", options, "start"]))

    def stop(self) -> None:
        if not self.started:
            return
        subprocess.run(
            self._as_postgres([os.path.join(PGBIN, "pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
        )
        self.started = False

    def log_lines(self, database: str) -> list:
        """Server log lines of sessions on `database` (the backend writes a line before it
        answers, so a finished client's lines are all there)."""
        marker = f" db={database} "
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return [line.rstrip("\n") for line in f if marker in line]
        except OSError:
            return []

    def url(self, database: str) -> str:
        return f"postgresql://postgres:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres", check: bool = True) -> str:
        """Runs `sql` over TCP (so the password is used) and returns unaligned rows."""
        env = {"PATH": "/usr/bin:/bin", "PGPASSWORD": PASSWORD, "PGCONNECT_TIMEOUT": "10", "LC_ALL": "C.UTF-8"}
        result = subprocess.run(
            [PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", "postgres", "-d", database, "-f", "-"],
            input=sql.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"psql failed on {database}: {result.stderr.decode(errors='replace').strip()}")
        return result.stdout.decode(errors="replace")

    def database_exists(self, name: str) -> bool:
        return self.psql(f"select 1 from pg_database where datname = '{name}'").strip() == "1"

    def create_databases(self, *names: str) -> None:
        self.psql("".join(f'create database "{name}";\n' for name in names))

    def drop_databases(self, *names: str) -> None:
        self.psql("".join(f'drop database if exists "{name}" with (force);\n' for name in names), check=False)

    # The catalogue-and-row digest: one line per schema, relation (columns, row count,
    # md5 of the sorted rows) and function of the database.
    DIGEST_SQL = r"""
select format('rel %s.%s kind=%s cols=[%s] rows=%s md5=%s', n.nspname, c.relname, c.relkind,
  (select string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' order by a.attnum)
     from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped),
  case when c.relkind in ('r', 'p', 'v', 'm') then (xpath('/row/c/text()', query_to_xml(
    format('select count(*) as c from %I.%I', n.nspname, c.relname), false, true, '')))[1]::text end,
  case when c.relkind in ('r', 'p', 'v', 'm') then (xpath('/row/h/text()', query_to_xml(
    format('select md5(coalesce(string_agg(t::text, chr(10) order by t::text), %L)) as h from %I.%I t',
           '', n.nspname, c.relname), false, true, '')))[1]::text end)
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname <> 'information_schema' and n.nspname not like 'pg\_%'
  and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'i')
union all
select 'schema ' || nspname from pg_namespace where nspname <> 'information_schema' and nspname not like 'pg\_%'
union all
select 'function ' || p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname <> 'information_schema' and n.nspname not like 'pg\_%'
union all
select 'extension ' || extname from pg_extension
order by 1;
"""

    def digest(self, database: str) -> dict:
        """{line-key: line} for the database, or {"<absent>": ...} when it does not exist."""
        try:
            out = self.psql(self.DIGEST_SQL, database)
        except RuntimeError as error:
            if f'database "{database}" does not exist' in str(error):
                return {"<absent>": f"database {database} does not exist"}
            raise
        lines = {}
        for line in out.splitlines():
            key = " ".join(line.split(" ")[:2])
            lines[key] = line
        return lines

    def active_backends(self, text: str, databases: list) -> list:
        """Active backends on `databases` whose current statement contains `text`."""
        escaped = text.replace("'", "''")
        names = ", ".join("'" + d + "'" for d in databases)
        out = self.psql(
            "select pid || ' ' || coalesce(datname, '') || ' ' || state || ' ' || left(query, 80) from pg_stat_activity "
            f"where position('{escaped}' in query) > 0 and state = 'active' and datname in ({names}) "
            "and pid <> pg_backend_pid() and backend_type = 'client backend'"
        )
        return [line for line in out.splitlines() if line.strip()]


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


def _run(argv: list) -> None:
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout.decode(errors='replace')}")
