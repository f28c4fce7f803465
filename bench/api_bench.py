"""Staff API benchmark on PostgreSQL and Redis (issue 4), run by hand:

    .venv/bin/python -m bench api                      # or: make bench BENCH_ARGS="api --clients 32"

Starts a real ``tobeout serve`` on 127.0.0.1 (``--workers``, default 1)
on a throwaway PostgreSQL database and a Redis database of its own (``--redis-url``,
flushed first), sets a restaurant up through the API (sign-up, hours, 40 tables, an API
token), then drives it with concurrent httpx clients sending ``Authorization: Bearer``:

* ``create``: ``POST /api/booking/create`` for a new guest at a random time of the next
  14 days (201 booked, 409 full with alternatives; both are answers, other codes errors);
* ``availability``: ``GET /api/booking/availability`` at a random date, time and party
  (cached 30 s per restaurant, invalidated by every write);
* ``list``: ``GET /api/reservations?date=...&pageSize=50``;
* ``mixed``: the three at once (1 create : 4 availability : 2 list), so the cache is
  invalidated under the readers' feet as in a real evening.

Reports throughput and p50/p99 latency per phase. Loopback only; every phase is bounded
by a request count and by time (``--requests``, ``--seconds``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import httpx

from bench.common import percentiles, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS = {day: [{"open": "11:00", "close": "23:00"}] for day in WEEK}
TIMES = [f"{h:02d}:{m:02d}" for h in range(11, 21) for m in (0, 15, 30, 45)]
CSRF = {"X-Requested-With": "XMLHttpRequest"}
DAYS = 14
TABLES = 40

Op = Callable[[httpx.AsyncClient, random.Random], Awaitable[int]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(port: int, workers: int = 1) -> list[str]:
    """``tobeout serve`` with ``workers`` processes on 127.0.0.1:``port``."""
    return [str(Path(sys.executable).with_name("tobeout")), "serve", "--port", str(port), "--workers", str(workers)]


def bench_environment(database_url: str, redis_url: str, var_dir: str) -> dict[str, str]:
    """The environment of a benchmark's ``tobeout`` processes (no plugins file: the built-in defaults)."""
    return {
        **os.environ,
        "TOBEOUT_ENV": "development",
        "TOBEOUT_VAR_DIR": var_dir,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "bench-secret-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
    }


@contextlib.asynccontextmanager
async def running(
    argv: list[str],
    env: dict[str, str],
    cwd: str | Path,
    *,
    ready_url: str | None = None,
    output: IO[bytes] | None = None,
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run ``argv`` until the block ends (SIGTERM, then kill after 15 s); with ``ready_url``, wait up to
    30 s for it to answer 200 first. ``output`` receives the process's stdout and stderr."""
    process = await asyncio.create_subprocess_exec(*argv, cwd=cwd, env=env, stdout=output, stderr=output)
    where = f"; see {output.name}" if output is not None else ""
    try:
        if ready_url is not None:
            async with httpx.AsyncClient() as probe:
                for _ in range(300):
                    if process.returncode is not None:
                        raise RuntimeError(f"{' '.join(argv[:3])} exited with {process.returncode}{where}")
                    with contextlib.suppress(httpx.TransportError):
                        if (await probe.get(ready_url)).status_code == 200:
                            break
                    await asyncio.sleep(0.1)
                else:
                    raise RuntimeError(f"{' '.join(argv[:3])} was not ready in 30 s{where}")
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


@contextlib.asynccontextmanager
async def served(
    database_url: str, redis_url: str, command: Callable[[int], list[str]], *, port: int = 0
) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    """Run ``command(port)`` (a server of ``api.app:create_app()``) on ``port`` (0: a free one) until the
    block ends; yields its base URL and the process."""
    port = port or _free_port()
    env = bench_environment(database_url, redis_url, tempfile.mkdtemp(prefix="tobeout-bench-"))
    env["TOBEOUT_PLUGINS_FILE"] = str(ROOT / "plugins.toml")
    base = f"http://127.0.0.1:{port}"
    async with running(command(port), env, ROOT, ready_url=f"{base}/readyz") as process:
        yield base, process


@contextlib.asynccontextmanager
async def server(database_url: str, redis_url: str, workers: int) -> AsyncIterator[str]:
    """Run ``tobeout serve --workers N`` on a free loopback port until the block ends; yields its base URL."""
    async with served(database_url, redis_url, lambda port: serve_command(port, workers)) as (base, _):
        yield base


async def set_up(base: str, who: str = "bench", *, tables: int = TABLES, max_advance_days: int = 60) -> str:
    """Sign up (``who``@example.com, a restaurant of its own), set hours and booking window, add ``tables``
    tables, mint an API token; returns the token."""
    async with httpx.AsyncClient(base_url=base, headers=CSRF) as client:
        response = await client.post(
            "/api/auth/register",
            json={
                "email": f"{who}@example.com",
                "password": "bench password",
                "name": "Bench",
                "restaurantName": f"Bench Bistro {who}",
            },
        )
        response.raise_for_status()
        response = await client.put(
            "/api/restaurants/profile",
            json={
                "openingHours": HOURS,
                "timezone": "UTC",
                "avgReservationDuration": 120,
                "maxAdvanceDays": max_advance_days,
                "minNoticeMinutes": 0,
            },
        )
        response.raise_for_status()
        for i in range(tables):
            size = (2, 2, 4, 4, 4, 6, 8)[i % 7]
            (
                await client.post("/api/tables", json={"name": f"T{i + 1}", "minGuests": 1, "maxGuests": size})
            ).raise_for_status()
        response = await client.post("/api/auth/tokens", json={"name": "bench"})
        response.raise_for_status()
        return response.json()["token"]


def _day(rng: random.Random) -> str:
    return (datetime.now(UTC).date() + timedelta(days=rng.randint(1, DAYS))).isoformat()


async def op_create(client: httpx.AsyncClient, rng: random.Random) -> int:
    body = {
        "date": _day(rng),
        "time": rng.choice(TIMES),
        "guests": rng.choice((2, 2, 2, 3, 4, 4, 5, 6)),
        "guest": {"name": "Bench Guest", "phone": f"+4477009{rng.randint(0, 99999):05d}"},
        "source": "bench",
    }
    response = await client.post("/api/booking/create", json=body)
    return response.status_code


async def op_availability(client: httpx.AsyncClient, rng: random.Random) -> int:
    params = {"date": _day(rng), "time": rng.choice(TIMES[::4]), "guests": rng.choice((2, 4))}
    return (await client.get("/api/booking/availability", params=params)).status_code


async def op_list(client: httpx.AsyncClient, rng: random.Random) -> int:
    return (await client.get("/api/reservations", params={"date": _day(rng), "pageSize": 50})).status_code


MIX: list[tuple[str, Op]] = [("create", op_create)] + [("availability", op_availability)] * 4 + [("list", op_list)] * 2


async def phase(
    base: str, token: str, ops: list[tuple[str, Op]], *, clients: int, requests: int, seconds: float, seed: int
) -> dict[str, dict]:
    """``requests`` calls spread over ``clients`` concurrent clients, stopped after ``seconds``."""
    samples: dict[str, list[float]] = {name: [] for name, _ in ops}
    statuses: dict[str, dict[int, int]] = {name: {} for name, _ in ops}
    remaining = requests
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}

    async def worker(index: int, client: httpx.AsyncClient) -> None:
        nonlocal remaining
        rng = random.Random(seed * 1000 + index)
        while remaining > 0 and time.monotonic() < deadline:
            remaining -= 1
            name, op = rng.choice(ops)
            started = time.perf_counter()
            try:
                status = await op(client, rng)
            except httpx.HTTPError:
                status = 0
            samples[name].append((time.perf_counter() - started) * 1000)
            statuses[name][status] = statuses[name].get(status, 0) + 1

    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(i, client) for i in range(clients)))
        elapsed = time.perf_counter() - started
    report = {}
    for name, values in samples.items():
        answered = sum(n for code, n in statuses[name].items() if code in (200, 201, 409))
        report[name] = {
            **percentiles(values),
            "rps": round(len(values) / elapsed, 1),
            "statuses": dict(sorted(statuses[name].items())),
            "errors": len(values) - answered,
            "seconds": round(elapsed, 2),
        }
    return report


async def run(args: argparse.Namespace) -> dict:
    import redis.asyncio as aioredis

    redis = aioredis.from_url(args.redis_url)
    await redis.flushdb()
    await redis.aclose()
    async with (
        throwaway_database("tobeout_apibench") as database_url,
        server(database_url, args.redis_url, args.workers) as base,
    ):
        token = await set_up(base)
        common = {"clients": args.clients, "requests": args.requests, "seconds": args.seconds}
        results = {"clients": args.clients, "workers": args.workers, "phases": {}}
        plan = [
            ("create", [("create", op_create)]),
            ("availability", [("availability", op_availability)]),
            ("list", [("list", op_list)]),
            ("mixed", MIX),
        ]
        for seed, (label, ops) in enumerate(plan, start=1):
            results["phases"][label] = await phase(base, token, ops, seed=seed, **common)
        return results


def markdown(results: dict) -> str:
    """The figures as a markdown table."""
    lines = [
        f"{results['clients']} concurrent clients, tobeout serve with {results['workers']} worker(s), "
        "PostgreSQL and Redis on the same host.",
        "",
        "| phase | request | requests | req/s | p50 ms | p99 ms | answers |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for label, ops in results["phases"].items():
        for name, r in ops.items():
            codes = ", ".join(f"{code}: {n}" for code, n in r["statuses"].items())
            lines.append(f"| {label} | {name} | {r['n']} | {r['rps']} | {r['p50']} | {r['p99']} | {codes} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench api")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=2000, help="requests per phase (at most)")
    parser.add_argument("--seconds", type=float, default=30.0, help="time per phase (at most)")
    parser.add_argument("--workers", type=int, default=1, help="tobeout serve --workers")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="a Redis database the benchmark may flush",
    )
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    results = asyncio.run(run(args))
    print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0
