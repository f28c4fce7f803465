"""Scale-out on one host (issue 14), run by hand:

    .venv/bin/python -m bench scale [--clients 16] [--seconds 20] [--rounds 2] [--redis-url URL] [--json FILE]

What an operator deploys, started the way an operator starts it: ``tobeout serve`` and
``tobeout worker`` processes (the installed command, from an empty working directory, the
built-in plugins with their defaults) on one throwaway PostgreSQL database and one Redis
database (flushed first). For each run a restaurant of its own is set up through the API (the
Staff API bench's ``set_up``), so every run starts from empty days; then the Staff API bench's
**mixed** phase (1 create : 4 availability : 2 list, ``--clients`` clients) runs against, in turn:

* **one server**: one ``tobeout serve`` process and one ``tobeout worker``;
* **two servers**: two ``tobeout serve`` processes on their own ports (as two containers behind
  a load balancer would be) and the same worker; half the clients talk to each;
* **--workers 2**: one ``tobeout serve --workers 2`` (one port, two processes), when the
  installed ``tobeout serve`` has the option.

The set-ups alternate ``--rounds`` times on the same database, so each sees a similar fill.
Per set-up: requests per second and latency per request kind, and the CPU seconds each part
used (servers, worker, PostgreSQL, Redis, this load generator) read from ``/proc``, which says
where the host's two cores went. With two servers, a listener on ``/api/events`` of the second
server counts the ``reservation.created`` events of bookings made through the first: they cross
processes through Redis. At the end, SQL counts overlapping active allocations of one table
(must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from bench.api_bench import MIX, _free_port, bench_environment, phase, running, set_up
from bench.common import named_cpu_seconds, throwaway_database, tree_cpu_seconds
from bench.hotpath_bench import integrity

TOBEOUT = str(Path(sys.executable).with_name("tobeout"))


class CpuMeter:
    """CPU seconds used by named groups of processes between :meth:`start` and :meth:`stop`."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self.groups = groups
        self.before: dict[str, float] = {}

    def _read(self) -> dict[str, float]:
        totals = {name: sum(tree_cpu_seconds(pid) for pid in pids) for name, pids in self.groups.items()}
        totals["postgresql"] = named_cpu_seconds("postgres")
        totals["redis"] = named_cpu_seconds("redis-server")
        usage = resource.getrusage(resource.RUSAGE_SELF)
        totals["load generator"] = usage.ru_utime + usage.ru_stime
        return totals

    def start(self) -> None:
        """Take the first reading."""
        self.before = self._read()

    def stop(self) -> dict[str, float]:
        """CPU seconds per group since :meth:`start` (PostgreSQL backends that ended in between are missed)."""
        after = self._read()
        return {name: round(max(0.0, after[name] - self.before.get(name, 0.0)), 1) for name in after}


@contextlib.asynccontextmanager
async def tobeout(
    arguments: list[str], env: dict[str, str], cwd: str, ready_url: str | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run ``tobeout ARGUMENTS`` in ``cwd`` until the block ends, its output in a log file there."""
    with Path(cwd, f"{arguments[0]}-{len(os.listdir(cwd))}.log").open("wb") as log:  # noqa: ASYNC230 - a local file
        async with running([TOBEOUT, *arguments], env, cwd, ready_url=ready_url, output=log) as process:
            yield process


@contextlib.asynccontextmanager
async def servers(count: int, env: dict[str, str], cwd: str, *extra: str) -> AsyncIterator[list[tuple[str, int]]]:
    """``count`` ``tobeout serve`` processes on their own free ports; yields ``(base URL, pid)`` each."""
    async with contextlib.AsyncExitStack() as stack:
        started = []
        for _ in range(count):
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            command = ["serve", "--host", "127.0.0.1", "--port", str(port), *extra]
            process = await stack.enter_async_context(tobeout(command, env, cwd, f"{base}/readyz"))
            started.append((base, process.pid))
        yield started


async def count_events(base: str, token: str, kind: str, seen: list[int]) -> None:
    """Append 1 to ``seen`` for every ``kind`` event streamed by ``base``'s /api/events (until cancelled)."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    async with (
        httpx.AsyncClient(base_url=base, headers=headers, timeout=None) as client,
        client.stream("GET", "/api/events") as stream,
    ):
        async for line in stream.aiter_lines():
            if line == f"event: {kind}":
                seen.append(1)


def _merge(reports: list[dict[str, dict]]) -> dict[str, dict]:
    """One report per request kind from the per-server ones: throughput summed, latency per server."""
    merged: dict[str, dict] = {}
    for report in reports:
        for name, r in report.items():
            m = merged.setdefault(name, {"rps": 0.0, "n": 0, "p50": [], "p99": [], "statuses": {}})
            m["rps"] = round(m["rps"] + r["rps"], 1)
            m["n"] += r["n"]
            m["p50"].append(r["p50"])
            m["p99"].append(r["p99"])
            for code, n in r["statuses"].items():
                m["statuses"][code] = m["statuses"].get(code, 0) + n
    return merged


async def mixed(bases: list[str], token: str, args: argparse.Namespace, seed: int) -> dict[str, dict]:
    """The mixed phase, the clients shared out over ``bases``."""
    share = [args.clients // len(bases) + (i < args.clients % len(bases)) for i in range(len(bases))]
    reports = await asyncio.gather(
        *(
            phase(base, token, MIX, clients=n, requests=10**9, seconds=args.seconds, seed=seed * 10 + i)
            for i, (base, n) in enumerate(zip(bases, share, strict=True))
        )
    )
    return _merge(list(reports))


async def measure(
    label: str, bases: list[str], pids: dict[str, list[int]], token: str, args: argparse.Namespace, seed: int
) -> dict[str, Any]:
    """One mixed phase on ``bases`` with its CPU accounting (and, with two bases, the event crossing)."""
    meter = CpuMeter(pids)
    seen: list[int] = []
    listener = None
    if len(bases) > 1:
        listener = asyncio.create_task(count_events(bases[-1], token, "reservation.created", seen))
        await asyncio.sleep(0.5)
    meter.start()
    report = await mixed(bases, token, args, seed)
    cpu = meter.stop()
    result: dict[str, Any] = {"setup": label, "requests": report, "cpu_seconds": cpu}
    if listener is not None:
        await asyncio.sleep(2)
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
            await listener
        result["events_seen_on_last_server"] = len(seen)
        result["bookings_made"] = report["create"]["statuses"].get(201, 0)
    return result


async def _has_workers_option(env: dict[str, str], cwd: str) -> bool:
    process = await asyncio.create_subprocess_exec(
        TOBEOUT, "serve", "--help", cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    return b"--workers" in out


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark; returns the figures."""
    import redis.asyncio as aioredis

    redis = aioredis.from_url(args.redis_url)
    await redis.flushdb()
    await redis.aclose()
    cwd = tempfile.mkdtemp(prefix="tobeout-scale-")
    results: dict[str, Any] = {
        "clients": args.clients,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "runs": [],
    }
    async with throwaway_database("tobeout_scale") as url:
        env = bench_environment(url, args.redis_url, cwd)
        with_workers = await _has_workers_option(env, cwd)
        async with tobeout(["worker"], env, cwd) as worker:
            setups: list[tuple[str, int, tuple[str, ...]]] = [("one server", 1, ()), ("two servers", 2, ())]
            if with_workers:
                setups.append(("--workers 2", 1, ("--workers", "2")))
            for round_number in range(args.rounds):
                for seed, (label, count, extra) in enumerate(setups, start=1 + 10 * round_number):
                    async with servers(count, env, cwd, *extra) as started:
                        # A restaurant of its own for each run: every set-up starts from empty days, so
                        # none pays for the bookings an earlier one made.
                        token = await set_up(started[0][0], who=f"scale{seed}")
                        pids = {"servers": [pid for _, pid in started], "worker": [worker.pid]}
                        run_result = await measure(label, [b for b, _ in started], pids, token, args, seed)
                        run_result["round"] = round_number + 1
                        results["runs"].append(run_result)
                        print(
                            f"{label}, round {round_number + 1}: "
                            f"{sum(r['rps'] for r in run_result['requests'].values()):.1f} req/s",
                            flush=True,
                        )
        results["integrity"] = await integrity(url.replace("postgres://", "postgresql://", 1))
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def markdown(results: dict[str, Any]) -> str:
    """The figures as markdown tables."""
    lines = [
        f"{results['clients']} clients, mixed phase of {results['seconds']} s per set-up, {results['cpus']} CPUs; "
        f"load average {results['load_average_at_start']} at the start, {results['load_average_at_end']} at the end.",
        "",
        "| set-up | round | all req/s | create req/s | availability req/s | list req/s "
        "| p99 ms (create / avail. / list) | CPU s: servers / worker / PostgreSQL / Redis / load gen. |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for run_result in results["runs"]:
        r = run_result["requests"]
        cpu = run_result["cpu_seconds"]
        p99 = " / ".join(",".join(str(v) for v in r[k]["p99"]) for k in ("create", "availability", "list"))
        cpus = " / ".join(str(cpu.get(k, 0)) for k in ("servers", "worker", "postgresql", "redis", "load generator"))
        total = round(sum(x["rps"] for x in r.values()), 1)
        lines.append(
            f"| {run_result['setup']} | {run_result['round']} | {total} | {r['create']['rps']} | "
            f"{r['availability']['rps']} | {r['list']['rps']} | {p99} | {cpus} |"
        )
    crossing = [r for r in results["runs"] if "events_seen_on_last_server" in r]
    if crossing:
        seen = sum(r["events_seen_on_last_server"] for r in crossing)
        made = sum(r["bookings_made"] for r in crossing)
        lines += [
            "",
            f"Bookings made with two servers: {made}; `reservation.created` events streamed by the "
            f"second server: {seen} (half the bookings were made through the first).",
        ]
    errors = sum(
        n
        for run in results["runs"]
        for r in run["requests"].values()
        for code, n in r["statuses"].items()
        if code not in (200, 201, 409)
    )
    lines += [
        "",
        f"Answers other than 200/201/409: {errors}. Double-booked pairs: "
        f"{results['integrity']['double_booked_pairs']}.",
    ]
    medians = {}
    for run_result in results["runs"]:
        medians.setdefault(run_result["setup"], []).append(sum(x["rps"] for x in run_result["requests"].values()))
    lines.append(
        "Median req/s per set-up: " + ", ".join(f"{k}: {statistics.median(v):.1f}" for k, v in medians.items())
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """``python -m bench scale``."""
    parser = argparse.ArgumentParser(prog="python -m bench scale")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients, shared out over the servers")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each mixed phase")
    parser.add_argument("--rounds", type=int, default=2, help="times each set-up runs, alternating")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="a Redis database the benchmark may flush",
    )
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    if not Path(TOBEOUT).exists():
        print(f"{TOBEOUT} not found: install the project first (make bench)", file=sys.stderr)
        return 2
    results = asyncio.run(run(args))
    print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0
