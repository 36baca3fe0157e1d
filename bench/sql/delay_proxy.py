#!/usr/bin/env python3
"""delay_proxy.py — TCP proxy that adds a fixed latency to every chunk, each way.

Why: on localhost a round trip costs ~50 us, so a client that sends 50,000
statements one at a time looks almost as fast as one that pipelines or batches
them.  Real databases are a network hop away (0.5-2 ms).  Putting this proxy
between the client and a local server shows how each loader's wall time scales
with per-round-trip latency.

Usage: delay_proxy.py --listen 6543 --target 127.0.0.1:5432 [--delay-ms 1]

Each chunk read from one side is forwarded to the other side no earlier than
delay-ms after it was read.  Chunks are delayed independently (a pipelined
stream is not serialised into delay x chunks) and order is preserved per
direction.  So a request/response round trip gains >= 2 x delay-ms.  asyncio's
timer granularity is ~1 ms (epoll), so real added latency is a bit above that;
measure it (README: "SELECT 1 x 200").  Listens on 127.0.0.1 only.  Prints
"listening on 127.0.0.1:PORT" on stdout once ready.  Stops on SIGTERM/SIGINT.
"""
import argparse
import asyncio
import signal
import socket
import sys


def nodelay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass


async def pump(reader, writer, delay):
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()

    async def read_side():
        try:
            while True:
                data = await reader.read(65536)
                q.put_nowait((loop.time() + delay, data))
                if not data:
                    return
        except (ConnectionError, OSError):
            q.put_nowait((loop.time(), b""))

    async def write_side():
        try:
            while True:
                due, data = await q.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass

    await asyncio.gather(read_side(), write_side())


async def handle(creader, cwriter, target, delay):
    host, port = target
    try:
        sreader, swriter = await asyncio.open_connection(host, port)
    except OSError as e:
        print(f"delay_proxy: cannot reach {host}:{port}: {e}", file=sys.stderr)
        cwriter.close()
        return
    nodelay(cwriter)
    nodelay(swriter)
    try:
        await asyncio.gather(pump(creader, swriter, delay), pump(sreader, cwriter, delay))
    except asyncio.CancelledError:
        pass  # proxy shutting down with this connection still open
    finally:
        for w in (cwriter, swriter):
            w.close()


async def main():
    ap = argparse.ArgumentParser(description="TCP proxy adding fixed latency each way")
    ap.add_argument("--listen", type=int, required=True, help="port on 127.0.0.1")
    ap.add_argument("--target", required=True, help="HOST:PORT")
    ap.add_argument("--delay-ms", type=float, default=1.0, help="added latency per direction")
    a = ap.parse_args()
    host, _, port = a.target.rpartition(":")
    target = (host or "127.0.0.1", int(port))
    delay = a.delay_ms / 1000.0
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, target, delay), "127.0.0.1", a.listen)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    print(f"listening on 127.0.0.1:{a.listen} -> {target[0]}:{target[1]} "
          f"(+{a.delay_ms} ms each way)", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
