#!/usr/bin/env python3
"""Costs of `password:` sources (docs/credentials.md), runnable alone:

  bench/credentials.py --old /path/to/previous/cruddur [--new .build/debug/cruddur]

1. Start-up of commands that need no AWS (`list`, `plan db:setup`), this build against the
   previous one, runs alternated (paired) so machine load hits both alike; median ratio.
2. Minting one RDS IAM token natively (the gated RDSAuthTokenBenchmark test, 20,000 tokens)
   against the aws CLI's `rds generate-db-auth-token` (one process per token).
3. Reading one secret through the aws CLI from a moto_server on loopback (what cruddur does
   once per run for `aws_secret`).
Prints one line per measurement; nothing is asserted.
"""
import argparse, os, re, resource, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(argv, env=None, cwd=ROOT):
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def cpu(argv, cwd):
    """User + system CPU seconds of one run: less disturbed than wall time on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def paired(old, new, args, rounds, project):
    olds, news, old_cpu, new_cpu = [], [], [], []
    for _ in range(rounds):
        olds.append(timed([old] + args, cwd=project))
        news.append(timed([new] + args, cwd=project))
        old_cpu.append(cpu([old] + args, project))
        new_cpu.append(cpu([new] + args, project))
    ratios = [n / o for o, n in zip(olds, news)]
    cpu_ratios = [n / o for o, n in zip(old_cpu, new_cpu) if o > 0]
    return (statistics.median(olds), statistics.median(news), statistics.median(ratios),
            statistics.median(cpu_ratios) if cpu_ratios else float("nan"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", required=True)
    parser.add_argument("--new", default=os.path.join(ROOT, ".build/debug/cruddur"))
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--project", help="a project both builds read (default: this repository's "
                        "cruddur.yml, tasks/ and db/ as of the commit before `password:`, 709116f)")
    options = parser.parse_args()
    project = options.project
    if project is None:
        # The previous build rejects `password:` (an unknown key), so both read the project
        # as it was before it.
        project = tempfile.mkdtemp(prefix="cruddur-bench-")
        archive = subprocess.run(["git", "archive", "709116f", "cruddur.yml", "tasks", "db"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", project], input=archive, check=True)

    for args in (["list"], ["plan", "db:setup"]):
        old, new, ratio, cpu_ratio = paired(options.old, options.new, args, options.rounds, project)
        print(f"startup {' '.join(args)}: previous {old * 1000:.1f} ms, this {new * 1000:.1f} ms, "
              f"paired median ratio {ratio:.3f} wall, {cpu_ratio:.3f} CPU ({options.rounds} pairs)")

    env = dict(os.environ, CRUDDUR_BENCH="1")
    out = subprocess.run(["swift", "test", "--skip-build", "--filter", "RDSAuthTokenBenchmark"], cwd=ROOT, env=env,
                         capture_output=True, text=True).stdout
    match = re.search(r"BENCH mint_token_us ([0-9.]+)", out)
    native = float(match.group(1)) if match else float("nan")
    aws_env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY="x" * 40,
                   AWS_DEFAULT_REGION="us-east-1", HOME="/nonexistent")
    cli = statistics.median(
        timed(["aws", "rds", "generate-db-auth-token", "--hostname", "db.example.com", "--port", "5432",
               "--username", "app"], env=aws_env) for _ in range(5))
    print(f"mint one RDS IAM token: native {native:.1f} us, aws CLI {cli * 1000:.0f} ms "
          f"(ratio {cli * 1e6 / native:.0f}x)")

    port = free_port()
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        aws_env["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
        for _ in range(300):
            if subprocess.run(["aws", "sts", "get-caller-identity"], env=aws_env, capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        subprocess.run(["aws", "secretsmanager", "create-secret", "--name", "bench/db", "--secret-string", "pw"],
                       env=aws_env, capture_output=True, check=True)
        fetch = statistics.median(
            timed(["aws", "secretsmanager", "get-secret-value", "--secret-id", "bench/db", "--output", "json"],
                  env=aws_env) for _ in range(5))
        print(f"read one secret through the aws CLI (moto_server on loopback): {fetch * 1000:.0f} ms")
    finally:
        moto.terminate()
        moto.wait()


if __name__ == "__main__":
    sys.exit(main())
