#!/usr/bin/env bash
# proxy_check.sh [DELAY_MS] — measures what delay_proxy.py really adds per round
# trip: psql runs `SELECT 1` x 200 (one round trip each) directly and through
# the proxy; connection setup is measured separately (0 statements) and
# subtracted.  With --delay-ms D the ideal is 2*D per round trip; asyncio's
# ~1 ms timer granularity makes it somewhat more.  Uses the server on $PGPORT
# if set (bench/sql/run.sh does this), else starts a temporary one.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
DELAY=${1:-1}
OWN=0
if [ -z "${PGPORT:-}" ]; then trap 'kill $PROXY_PID 2>/dev/null; pg_temp_stop' EXIT; pg_temp_start; OWN=1
else trap 'kill $PROXY_PID 2>/dev/null' EXIT; fi
PPORT=$(free_port)
python3 "$HERE/delay_proxy.py" --listen "$PPORT" --target "127.0.0.1:$PGPORT" --delay-ms "$DELAY" >/dev/null &
PROXY_PID=$!
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PPORT) 2>/dev/null && break; sleep 0.1; done

python3 - "$PGBIN/psql" "$PGPORT" "$PPORT" "$DELAY" <<'PY'
import subprocess, sys, time, statistics, tempfile, os
psql, port, pport, delay = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
N = 200
d = tempfile.mkdtemp()
f200, f0 = os.path.join(d, "s200.sql"), os.path.join(d, "s0.sql")
open(f200, "w").write("select 1;\n" * N); open(f0, "w").write("")
def t(p, f, reps=5):
    xs = []
    for _ in range(reps):
        s = time.perf_counter()
        subprocess.run([psql, "-X", "-q", "-h", "127.0.0.1", "-p", p, "-U", "postgres",
                        "-d", "postgres", "-o", "/dev/null", "-f", f], check=True)
        xs.append(time.perf_counter() - s)
    return statistics.median(xs) * 1000
d200, d0, p200, p0 = t(port, f200), t(port, f0), t(pport, f200), t(pport, f0)
per_direct = (d200 - d0) / N
per_proxy = (p200 - p0) / N
print(f"SELECT 1 x {N} via psql: direct {d200:.1f} ms (connect {d0:.1f}), "
      f"proxy {p200:.1f} ms (connect {p0:.1f})")
print(f"round trip: direct {per_direct:.3f} ms, proxy {per_proxy:.3f} ms -> "
      f"added {per_proxy - per_direct:.3f} ms per round trip (ideal {2 * delay:.3f})")
PY
