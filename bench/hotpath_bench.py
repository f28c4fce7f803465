"""The request hot path against the database's own limit (issue 14), run by hand:

    .venv/bin/python -m bench hotpath [--clients 16] [--seconds 10] [--rounds 3] [--redis-url URL]
                                      [--py-spy prof.svg] [--json FILE]

One run, one throwaway PostgreSQL database, one Redis database (flushed first), one real
server (:func:`bench.api_bench.server`), a restaurant set up through the API (100 tables,
bookable a year ahead):

* **booking**, alternating ``--rounds`` times: ``POST /api/booking/create`` by ``--clients``
  concurrent HTTP clients for ``--seconds``, each client a returning guest (one phone per
  client, the guest made beforehand) asking for 1-6 guests at a random quarter hour of a
  random day of the year (the engine picks the table) -- then pgbench running
  ``bench/booking_transaction.sql`` (the same booking transaction, a returning guest, in plain
  SQL; see :mod:`bench.booking_pgbench`) with as many clients, on the same database. The ratio
  of HTTP bookings per second to pgbench's transactions per second is taken per round (a pair
  of runs seconds apart sees the same moment of a shared host) and its median reported;
* **cached availability**: ``GET /api/booking/availability`` on a handful of keys answered
  once beforehand, so (bar the minute the cache key changes) every answer is a cache hit;
* **list**: ``GET /api/reservations?date=...&pageSize=50`` on days seeded with 120 bookings;
  both read phases run twice: a closed loop (every client sends again as soon as it is answered:
  the server's throughput, and latency that is mostly queueing, p50 = clients / throughput) and
  an open loop at ``--rate`` requests a second from the same clients (latency at that load);
* **double booking check**: SQL over ``reservation_tables``, every pair of active allocations
  of one table whose time ranges overlap (must be 0), and the number of bookings answered 201
  against the rows written.

The load generator (httpx) runs in this process on the same host: its CPU time per request is
reported too. ``--py-spy FILE`` records the server with py-spy during one more booking run before
the rounds, not counted (needs ``pip install py-spy``; ``.txt``: py-spy's raw collapsed stacks).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.api_bench import serve_command, served, set_up
from bench.booking_pgbench import run_pgbench
from bench.common import percentiles, throwaway_database, tree_cpu_seconds

TABLES = 100
#: HTTP clients' guests: "+" + str(HTTP_PHONE0 + client); pgbench's: PGBENCH_PHONE0 + client_id.
HTTP_PHONE0 = 447711800000
PGBENCH_PHONE0 = 447722900000
#: HTTP bookings go to days 15..LAST_DAY; pgbench books the 1,000 days after LAST_DAY (no window there).
LAST_DAY = 365
LIST_DAYS = (1, 2)
LIST_BOOKINGS = 120
SITTINGS = ("11:00", "13:00", "15:00", "17:00", "19:00", "21:00")
QUARTERS = [f"{h:02d}:{m:02d}" for h in range(11, 21) for m in (0, 15, 30, 45)]
CACHED_KEYS = [(day, at, guests) for day in (3,) for at in ("12:00", "19:00") for guests in (2, 4)]

Op = Callable[[httpx.AsyncClient, random.Random, int], Awaitable[int]]

_DOUBLE_BOOKED = """
SELECT count(*) FROM reservation_tables a JOIN reservation_tables b
  ON a.table_id = b.table_id AND a.id < b.id AND a.active AND b.active
 AND a.starts_at < b.blocked_until AND b.starts_at < a.blocked_until
"""


def _day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


async def drive(
    base: str,
    headers: dict[str, str],
    op: Op,
    *,
    clients: int,
    seconds: float,
    requests: int = 1_000_000,
    seed: int = 1,
    rate: float | None = None,
    server_pid: int | None = None,
) -> dict[str, Any]:
    """``clients`` concurrent clients calling ``op(client, rng, index)`` until ``seconds`` pass or
    ``requests`` were sent: throughput, latency, status codes, and the CPU time per request of this
    process (the load generator) and of the server (``server_pid``: steadier than throughput on a
    shared host). Without ``rate`` each client sends its next request as soon as the last is answered
    (a closed loop: the server's throughput, latency mostly queueing);
    with ``rate`` the clients together send ``rate`` requests a second on a fixed schedule, and a
    request's latency counts from the moment it was due (an open loop: latency at that load)."""
    samples: list[float] = []
    statuses: dict[int, int] = {}
    remaining = requests
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(index: int, client: httpx.AsyncClient) -> None:
        nonlocal remaining
        rng = random.Random(seed * 1000 + index)
        interval = clients / rate if rate else 0.0
        due = time.perf_counter() + interval * index / clients
        while remaining > 0 and time.monotonic() < deadline:
            remaining -= 1
            if interval:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                started, due = due, due + interval
            else:
                started = time.perf_counter()
            try:
                status = await op(client, rng, index)
            except httpx.HTTPError:
                status = 0
            samples.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1

    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:
        load = os.getloadavg()[0]
        cpu = time.process_time()
        server_cpu = tree_cpu_seconds(server_pid) if server_pid is not None else None
        started = time.perf_counter()
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(worker(i, client) for i in range(clients)))
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        server_after = tree_cpu_seconds(server_pid) if server_pid is not None else None
    served = None if server_cpu is None or server_after is None else server_after - server_cpu
    return {
        **percentiles(samples),
        "rps": round(len(samples) / elapsed, 1),
        "statuses": dict(sorted(statuses.items())),
        "seconds": round(elapsed, 2),
        "client_cpu_ms_per_request": round(cpu * 1000 / max(len(samples), 1), 2),
        "server_cpu_ms_per_request": None if served is None else round(served * 1000 / max(len(samples), 1), 2),
        "load_average_1m": round(load, 2),
    }


async def op_book(client: httpx.AsyncClient, rng: random.Random, index: int) -> int:
    """A returning guest (the client's own phone) books 1-6 guests at a random quarter hour."""
    body = {
        "date": _day(rng.randint(15, LAST_DAY)),
        "time": rng.choice(QUARTERS),
        "guests": rng.randint(1, 6),
        "guest": {"name": f"Load {index}", "phone": f"+{HTTP_PHONE0 + index}"},
        "source": "bench",
    }
    return (await client.post("/api/booking/create", json=body)).status_code


async def op_cached(client: httpx.AsyncClient, rng: random.Random, index: int) -> int:
    day, at, guests = rng.choice(CACHED_KEYS)
    params = {"date": _day(day), "time": at, "guests": guests}
    return (await client.get("/api/booking/availability", params=params)).status_code


async def op_list(client: httpx.AsyncClient, rng: random.Random, index: int) -> int:
    params = {"date": _day(rng.choice(LIST_DAYS)), "pageSize": 50}
    return (await client.get("/api/reservations", params=params)).status_code


async def prepare(base: str, token: str, clients: int) -> None:
    """The returning guests of both sides, the list days' bookings, and the cached answers."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        phones = [HTTP_PHONE0 + i for i in range(clients)] + [PGBENCH_PHONE0 + i for i in range(clients)]
        for phone in phones:
            (await client.post("/api/guests", json={"name": f"Guest {phone}", "phone": f"+{phone}"})).raise_for_status()
    seeded = [(day, at, n) for day in LIST_DAYS for n, at in enumerate(SITTINGS * (LIST_BOOKINGS // len(SITTINGS)))]

    async def seed(client: httpx.AsyncClient, rng: random.Random, index: int) -> int:
        day, at, n = seeded.pop()
        body = {
            "date": _day(day),
            "time": at,
            "guests": 2,
            "source": "bench",
            "guest": {"name": f"Seed {day}-{n}", "phone": f"+4477005{day:02d}{n:03d}"},
        }
        return (await client.post("/api/booking/create", json=body)).status_code

    report = await drive(base, headers, seed, clients=clients, seconds=120, requests=len(seeded))
    if set(report["statuses"]) != {201}:
        raise RuntimeError(f"seeding the list days failed: {report['statuses']}")
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        for day, at, guests in CACHED_KEYS:
            params = {"date": _day(day), "time": at, "guests": guests}
            (await client.get("/api/booking/availability", params=params)).raise_for_status()


async def restaurant_facts(dsn: str) -> dict[str, int]:
    """The restaurant's id and its first table's id (the tables' ids are consecutive)."""
    con = await asyncpg.connect(dsn)
    try:
        rid = await con.fetchval("SELECT id FROM restaurants ORDER BY id LIMIT 1")
        first, count = await con.fetchrow("SELECT min(id), count(*) FROM tables WHERE restaurant_id = $1", rid)
        return {"rid": rid, "first_table": first, "ntables": count}
    finally:
        await con.close()


async def integrity(dsn: str) -> dict[str, int]:
    """Overlapping active allocations of one table (must be 0) and the bookings written by each side."""
    con = await asyncpg.connect(dsn)
    try:
        return {
            "double_booked_pairs": int(await con.fetchval(_DOUBLE_BOOKED)),
            "http_bookings_written": int(
                await con.fetchval("SELECT count(*) FROM reservations WHERE source = 'bench'")
            ),
            "pgbench_bookings_written": int(
                await con.fetchval("SELECT count(*) FROM reservations WHERE source = 'pgbench'")
            ),
        }
    finally:
        await con.close()


async def _server_pid(port: str) -> int | None:
    """The pid of the process listening on ``port`` (the server; hypercorn's worker when it forks one)."""
    proc = await asyncio.create_subprocess_exec("ss", "-ltnpH", f"sport = :{port}", stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    pids = [int(pid) for pid in re.findall(r"pid=(\d+)", out.decode())]
    return max(pids) if pids else None


async def record_profile(base: str, path: str, seconds: float) -> asyncio.subprocess.Process | None:
    """Start ``py-spy record`` on the server for ``seconds`` (None when py-spy is not installed)."""
    binary = shutil.which("py-spy", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    pid = await _server_pid(base.rsplit(":", 1)[1])
    if binary is None or pid is None:
        print("py-spy or the server's pid not found: no profile", flush=True)
        return None
    fmt = {".json": "speedscope", ".txt": "raw"}.get(Path(path).suffix, "flamegraph")
    return await asyncio.create_subprocess_exec(
        binary,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(int(seconds)),
        "--rate",
        "200",
        "--format",
        fmt,
        "--output",
        path,
        "--nonblocking",
        stdout=asyncio.subprocess.DEVNULL,
    )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark; returns the figures."""
    import redis.asyncio as aioredis

    redis = aioredis.from_url(args.redis_url)
    await redis.flushdb()
    await redis.aclose()
    results: dict[str, Any] = {
        "clients": args.clients,
        "seconds": args.seconds,
        "rate": args.rate,
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    results["workers"] = args.workers
    async with (
        throwaway_database("tobeout_hotpath") as url,
        served(url, args.redis_url, lambda port: serve_command(port, args.workers)) as (base, process),
    ):
        token = await set_up(base, tables=TABLES, max_advance_days=LAST_DAY + 1)
        headers = {"Authorization": f"Bearer {token}"}
        await prepare(base, token, args.clients)
        pid = process.pid  # its CPU time counts its worker processes' too (--workers)
        dsn = url.replace("postgres://", "postgresql://", 1)
        facts = await restaurant_facts(dsn)
        first_day = datetime.combine(datetime.now(UTC).date() + timedelta(days=LAST_DAY + 1), datetime.min.time())
        defines = {**facts, "phone0": PGBENCH_PHONE0, "day0": int(first_day.replace(tzinfo=UTC).timestamp())}
        if args.py_spy:  # a booking run of its own, not counted: the profiler slows the server down
            profiler = await record_profile(base, args.py_spy, args.seconds)
            results["profiled_run"] = await drive(base, headers, op_book, clients=args.clients, seconds=args.seconds)
            if profiler is not None:
                await profiler.wait()
        rounds = []
        for n in range(args.rounds):
            http = await drive(
                base, headers, op_book, clients=args.clients, seconds=args.seconds, seed=10 + n, server_pid=pid
            )
            pgbench = await run_pgbench(url, defines, args.clients, int(args.seconds))
            share = round(http["rps"] / pgbench["tps"], 2) if pgbench and pgbench["tps"] else None
            rounds.append({"http": http, "pgbench": pgbench, "share": share})
        results["booking"] = rounds
        for name, op in (("cached_availability", op_cached), ("list", op_list)):
            results[name] = await drive(
                base,
                headers,
                op,
                clients=args.clients,
                seconds=args.seconds,
                requests=args.requests,
                seed=3,
                server_pid=pid,
            )
            results[f"{name}_paced"] = await drive(
                base,
                headers,
                op,
                clients=args.clients,
                seconds=args.seconds,
                requests=args.requests,
                seed=4,
                rate=args.rate,
                server_pid=pid,
            )
        results["integrity"] = await integrity(dsn)
    booked = sum(r["http"]["statuses"].get(201, 0) for r in rounds)
    results["integrity"]["http_bookings_answered_201"] = booked
    shares = [r["share"] for r in rounds if r["share"] is not None]
    tps = [r["pgbench"]["tps"] for r in rounds if r["pgbench"] and r["pgbench"]["tps"]]
    results["summary"] = {
        "http_bookings_per_second_median": statistics.median(r["http"]["rps"] for r in rounds),
        "pgbench_tps_median": statistics.median(tps) if tps else None,
        "share_per_round": shares,
        "share_median": statistics.median(shares) if shares else None,
        "double_booked_pairs": results["integrity"]["double_booked_pairs"],
    }
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def markdown(results: dict[str, Any]) -> str:
    """The figures as markdown."""
    lines = [
        f"{results['clients']} concurrent clients, tobeout serve --workers {results.get('workers', 1)}, "
        f"{results['seconds']} s a run, load average "
        f"{results['load_average_at_start'][0]} at the start, {results['load_average_at_end'][0]} at the end.",
        "",
        "| round | HTTP bookings/s | HTTP p50 / p99 ms | answers | server CPU ms/req | client CPU ms/req | pgbench tps"
        " | pgbench bookings/s | HTTP ÷ pgbench |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for n, r in enumerate(results["booking"], start=1):
        h, p = r["http"], r["pgbench"] or {}
        codes = ", ".join(f"{code}: {k}" for code, k in h["statuses"].items())
        lines.append(
            f"| {n} | {h['rps']} | {h['p50']} / {h['p99']} | {codes} | {h['server_cpu_ms_per_request']} | "
            f"{h['client_cpu_ms_per_request']} | {p.get('tps')} | {p.get('bookings_per_second')} | "
            f"{r['share']} |"
        )
    s = results["summary"]
    lines += [
        "",
        f"Median share **{s['share_median']}** (per round: {s['share_per_round']}); "
        f"double-booked pairs: **{s['double_booked_pairs']}**; {results['integrity']}.",
        "",
        "| request | n | req/s | p50 ms | p99 ms | answers | server CPU ms/req | client CPU ms/req |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for name in ("cached_availability", "list"):
        for label, r in (
            (f"{name}, closed loop", results[name]),
            (f"{name}, {results['rate']} req/s offered", results[f"{name}_paced"]),
        ):
            codes = ", ".join(f"{code}: {k}" for code, k in r["statuses"].items())
            lines.append(
                f"| {label} | {r['n']} | {r['rps']} | {r['p50']} | {r['p99']} | {codes} | "
                f"{r['server_cpu_ms_per_request']} | {r['client_cpu_ms_per_request']} |"
            )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Command line: ``python -m bench hotpath [options]`` (``--help``)."""
    parser = argparse.ArgumentParser(prog="python -m bench hotpath")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients, and pgbench's")
    parser.add_argument("--seconds", type=float, default=10.0, help="per run")
    parser.add_argument("--rounds", type=int, default=3, help="HTTP/pgbench alternations")
    parser.add_argument("--workers", type=int, default=1, help="tobeout serve --workers")
    parser.add_argument("--requests", type=int, default=5000, help="at most, per read phase")
    parser.add_argument(
        "--rate",
        type=float,
        default=50.0,
        help="requests a second offered by all clients together in the paced read phases",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="a Redis database the benchmark may flush",
    )
    parser.add_argument("--py-spy", help="py-spy the server during an extra booking run (.svg, .json, .txt)")
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    results = asyncio.run(run(args))
    print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0
