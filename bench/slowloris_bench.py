"""Slow clients against a real ``tobeout serve`` (issue 21), run by hand:

    .venv/bin/python -m bench slowloris [--clients 500] [--every 5] [--seconds 30] [--port 8660]

``--clients`` connections each send a request line and then one header line every ``--every`` seconds,
never finishing their headers (the probe of issue 21, which found 500 such connections held open), while
another connection asks ``GET /healthz`` every 100 ms. Prints, second by second, how many slow
connections the server still holds, and at the end how long the last one lasted and ``/healthz``'s
latency. One server process on SQLite, the default ``--header-timeout`` (10 s) unless ``--serve-args``
says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.api_bench import running, serve_command

ROOT = Path(__file__).resolve().parent.parent


async def _slow_client(port: int, every: float, until: float, closed_at: list[float], started: float) -> None:
    """One connection trickling header lines; records when the server closed it."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        closed_at.append(-1.0)  # refused outright
        return
    try:
        writer.write(b"GET /livez HTTP/1.1\r\nHost: bench\r\n")
        await writer.drain()
        n = 0
        while time.monotonic() < until:
            try:
                data = await asyncio.wait_for(reader.read(4096), timeout=every)
            except TimeoutError:
                n += 1
                writer.write(f"X-Slow-{n}: {n}\r\n".encode())
                await writer.drain()
                continue
            if not data or data.startswith(b"HTTP/1.1 408"):
                closed_at.append(time.monotonic() - started)
                return
    except (ConnectionError, OSError):
        closed_at.append(time.monotonic() - started)
        return
    finally:
        writer.close()


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as cwd:
        env = {
            **os.environ,
            "TOBEOUT_ENV": "development",
            "TOBEOUT_VAR_DIR": f"{cwd}/var",
            "DATABASE_URL": f"sqlite://{cwd}/var/bench.sqlite3",
            "SECRET_KEY": "bench-secret-" + "x" * 40,
            "LOG_LEVEL": "WARNING",
            "TOBEOUT_PLUGINS_FILE": str(ROOT / "plugins.toml"),
        }
        env.pop("REDIS_URL", None)
        upgrade = await asyncio.create_subprocess_exec(serve_command(args.port)[0], "db", "upgrade", cwd=cwd, env=env)
        await upgrade.wait()
        base = f"http://127.0.0.1:{args.port}"
        command = serve_command(args.port) + shlex.split(args.serve_args)
        async with running(command, env, cwd, ready_url=f"{base}/readyz"):
            started = time.monotonic()
            until = started + args.seconds
            closed_at: list[float] = []
            slow = [
                asyncio.create_task(_slow_client(args.port, args.every, until, closed_at, started))
                for _ in range(args.clients)
            ]
            probes: list[float] = []
            failures = 0
            async with httpx.AsyncClient(base_url=base, timeout=30) as probe:
                next_report = started + 1
                while time.monotonic() < until:
                    began = time.perf_counter()
                    try:
                        ok = (await probe.get("/healthz")).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    if ok:
                        probes.append((time.perf_counter() - began) * 1000)
                    else:
                        failures += 1
                    if time.monotonic() >= next_report:
                        held = args.clients - len(closed_at)
                        print(f"t={time.monotonic() - started:4.0f} s: {held} slow connections still open", flush=True)
                        next_report += 1
                    await asyncio.sleep(0.1)
            await asyncio.gather(*slow)
            cut = [t for t in closed_at if t >= 0]
            ordered = sorted(probes)
            print(
                f"\n{len(cut)} of {args.clients} slow connections closed by the server "
                f"(first at {min(cut, default=0):.1f} s, last at {max(cut, default=0):.1f} s); "
                f"{args.clients - len(closed_at)} still open after {args.seconds} s; "
                f"{sum(1 for t in closed_at if t < 0)} refused at connect"
            )
            latency = (
                f", median {statistics.median(ordered):.1f} ms, p99 {ordered[int(len(ordered) * 0.99)]:.1f} ms, "
                f"worst {ordered[-1]:.1f} ms"
                if ordered
                else ""
            )
            print(
                f"/healthz meanwhile: {len(ordered)} answered 200, {failures} not{latency}; "
                f"load average {os.getloadavg()[0]:.1f}"
            )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench slowloris")
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--every", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8660)
    parser.add_argument("--serve-args", default="", help='extra arguments for tobeout serve, e.g. "--header-timeout 5"')
    asyncio.run(run(parser.parse_args(argv)))
    return 0
