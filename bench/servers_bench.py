"""Which ASGI server (issue 14), run by hand:

    .venv/bin/python -m bench servers                  # needs the bench extra: pip install -e '.[bench]'

The same app (``api.app:create_app()``, built by each server from the environment) and the same
phases as ``python -m bench api`` (create, availability, list, mixed; plus ``GET /healthz``, the
cost of the server and the framework alone), under each server in turn, one after another in one
run, on one fresh PostgreSQL database and one Redis database (``--redis-url``, flushed first).
Each server gets a restaurant of its own (same hours, tables and token set-up through the API), so
the later servers do not book into days the earlier ones filled.

Servers (one process each, loopback):

* ``hypercorn``: the asyncio worker (h11 in Python, the standard event loop);
* ``hypercorn-uvloop``: the same with uvloop, to tell what the loop alone buys;
* ``uvicorn``: ``uvicorn[standard]``, with uvloop and httptools (a C parser);
* ``granian``: Rust (hyper on tokio) speaking ASGI to the app on a uvloop event loop.

For each phase: requests per second, p50/p99 latency, answers by status, requests that got no
answer (the connection was closed or timed out: status 0), and the server's CPU time per request
(user + system of its process tree, from /proc), which is less at the mercy of a loaded host
than throughput. Every phase is bounded by ``--requests`` and ``--seconds``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.api_bench import MIX, Op, op_availability, op_create, op_list, phase, served, set_up
from bench.common import throwaway_database, tree_cpu_seconds

PY = sys.executable
APP = "api.app:create_app"


def _hypercorn(worker_class: str) -> Callable[[int], list[str]]:
    return lambda port: [
        PY,
        "-m",
        "hypercorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--worker-class",
        worker_class,
        "--log-level",
        "WARNING",
        f"{APP}()",
    ]


def _uvicorn(port: int) -> list[str]:
    return [
        PY,
        "-m",
        "uvicorn",
        "--factory",
        APP,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--lifespan",
        "on",
        "--log-level",
        "warning",
        "--no-access-log",
    ]


def _granian(port: int) -> list[str]:
    return [
        PY,
        "-m",
        "granian",
        "--interface",
        "asgi",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--log-level",
        "warning",
        "--no-access-log",
        APP,
    ]


SERVERS: dict[str, Callable[[int], list[str]]] = {
    "hypercorn": _hypercorn("asyncio"),
    "hypercorn-uvloop": _hypercorn("uvloop"),
    "uvicorn": _uvicorn,
    "granian": _granian,
}


async def op_healthz(client: httpx.AsyncClient, rng: random.Random) -> int:
    return (await client.get("/healthz")).status_code


PLAN: list[tuple[str, list[tuple[str, Op]]]] = [
    ("healthz", [("healthz", op_healthz)]),
    ("create", [("create", op_create)]),
    ("availability", [("availability", op_availability)]),
    ("list", [("list", op_list)]),
    ("mixed", MIX),
]


async def run(args: argparse.Namespace) -> dict:
    import redis.asyncio as aioredis

    redis = aioredis.from_url(args.redis_url)
    await redis.flushdb()
    await redis.aclose()
    common = {"clients": args.clients, "requests": args.requests, "seconds": args.seconds}
    results: dict = {"clients": args.clients, "servers": {}}
    async with throwaway_database("tobeout_serversbench") as database_url:
        for index, name in enumerate(args.servers):
            async with served(database_url, args.redis_url, SERVERS[name], port=args.port) as (base, process):
                token = await set_up(base, who=f"bench-{index}-{name}")
                phases = {}
                for seed, (label, ops) in enumerate(PLAN, start=1):
                    cpu_before = tree_cpu_seconds(process.pid)
                    report = await phase(base, token, ops, seed=seed, **common)
                    cpu = tree_cpu_seconds(process.pid) - cpu_before
                    count = sum(r["n"] for r in report.values())
                    for r in report.values():
                        r["server_cpu_ms"] = round(cpu * 1000 / count, 2) if count else 0.0
                    phases[label] = report
                results["servers"][name] = phases
            await asyncio.sleep(1)  # let the port and the database connections go
    return results


def markdown(results: dict) -> str:
    """One table: server, phase, req/s, p50, p99, answers, no answer, server CPU per request."""
    lines = [
        f"{results['clients']} concurrent clients, one server process each, PostgreSQL and Redis on the same host.",
        "",
        "| server | phase | req/s | p50 ms | p99 ms | answers | closed connections | server CPU ms/req |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for server, phases in results["servers"].items():
        for label, ops in phases.items():
            for name, r in ops.items():
                shown = label if name == label else f"{label}: {name}"
                codes = ", ".join(f"{code}: {n}" for code, n in r["statuses"].items() if code != 0)
                lines.append(
                    f"| {server} | {shown} | {r['rps']} | {r['p50']} | {r['p99']} | {codes} | "
                    f"{r['statuses'].get(0, 0)} | {r['server_cpu_ms']} |"
                )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench servers")
    parser.add_argument(
        "--servers", nargs="+", choices=list(SERVERS), default=list(SERVERS), help="which servers, in this order"
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=2000, help="requests per phase (at most)")
    parser.add_argument("--seconds", type=float, default=20.0, help="time per phase (at most)")
    parser.add_argument("--port", type=int, default=0, help="the servers' port (default: a free one)")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="a Redis database the benchmark may flush",
    )
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    started = time.time()
    results = asyncio.run(run(args))
    results["seconds"] = round(time.time() - started)
    print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0
