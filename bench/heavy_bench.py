"""``/healthz`` while the heaviest allowed requests run (issue 21), run by hand:

    .venv/bin/python -m bench heavy [--days 365] [--per-day 300] [--tables 69] [--port 8650]

One real ``tobeout serve`` process (the worst case: every request shares its one event loop) on a
throwaway PostgreSQL database, with a year of bookings written as ``python -m bench reports`` writes
them (109,500 bookings, 36,500 guests, their conversations, activity rows and reminders). Then each of
the heaviest requests the API allows runs alone while another thread asks ``GET /healthz`` on its own
connection every 50 ms, and last all of them at once:

* ``POST /api/timeslots/generate {"days": 92}`` (the cap) on ``--tables`` tables;
* every report over the whole year by week, cold (each asked once: the first answer is computed);
* the year's bookings as CSV (``/api/reports/reservations?format=csv``), streamed to the end;
* the deepest page allowed of reservations, AI activities and conversations (``?page=100&pageSize=100``;
  a conversation comes with its last three messages), a guest search that reads
  every guest (``/api/guests?q=guest 1``) and a booking search at the deepest page
  (``/api/reservations?q=guest 1&page=100&pageSize=100``).

It prints, for each, how long the heavy request took and ``/healthz``'s latency (samples, median, p99,
worst) during it, with the load average before and after. The goal (issue 21): ``/healthz`` ≤ 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx

from bench.api_bench import bench_environment, running, serve_command
from bench.common import throwaway_database
from bench.reports_bench import CSRF, REPORTS, ROOT, _fill, _register

#: Seconds between two /healthz probes.
PROBE_EVERY = 0.05


class HealthProbe:
    """``GET /healthz`` every :data:`PROBE_EVERY` seconds on its own connection, in its own thread."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.samples: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while not self._stop.is_set():
                began = time.perf_counter()
                try:
                    ok = client.get("/healthz").status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - began
                if ok:
                    self.samples.append(took * 1000)
                else:
                    self.failures += 1
                self._stop.wait(max(0.0, PROBE_EVERY - took))

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _summary(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{len(samples)} probes, median {statistics.median(samples):6.1f} ms, p99 {p99:7.1f} ms, "
        f"worst {max(samples):7.1f} ms"
    )


async def _measure(base: str, name: str, heavy: Callable[[], Awaitable[str]]) -> dict[str, Any]:
    """Run ``heavy`` with the probe running; what it said, how long it took, the probe's samples."""
    load_before = os.getloadavg()[0]
    with HealthProbe(base) as probe:
        await asyncio.sleep(0.3)  # a few probes before the heavy request starts
        began = time.perf_counter()
        said = await heavy()
        took = time.perf_counter() - began
        await asyncio.sleep(0.2)
    load_after = os.getloadavg()[0]
    worst = max(probe.samples, default=0.0)
    print(
        f"{name:34} {took:6.2f} s ({said}); /healthz: {_summary(probe.samples)}, failed {probe.failures}; "
        f"load {load_before:.1f} -> {load_after:.1f}",
        flush=True,
    )
    return {"name": name, "seconds": took, "worst_ms": worst, "failures": probe.failures}


async def run(args: argparse.Namespace) -> None:
    async with throwaway_database("tobeout_heavy_bench") as url:
        with tempfile.TemporaryDirectory() as cwd:
            env = {
                **bench_environment(url, args.redis, f"{cwd}/var"),
                "TOBEOUT_PLUGINS_FILE": str(ROOT / "plugins.toml"),
            }
            base = f"http://127.0.0.1:{args.port}"
            async with running(serve_command(args.port), env, cwd, ready_url=f"{base}/readyz"):
                http, rid = await asyncio.to_thread(_register, base, args.tables)
                began = time.perf_counter()
                counts = await _fill(url, rid, args.days, args.per_day, args.tables)
                print(f"filled in {time.perf_counter() - began:.1f} s: {counts}", flush=True)
                end = date.today() - timedelta(days=1)
                start = end - timedelta(days=args.days - 1)
                async with httpx.AsyncClient(base_url=base, cookies=http.cookies, headers=CSRF, timeout=600) as c:
                    await _scenarios(base, c, start, end)


async def _scenarios(base: str, client: httpx.AsyncClient, start: date, end: date) -> None:
    async def generate() -> str:
        answer = await client.post("/api/timeslots/generate", json={"days": 92})
        answer.raise_for_status()
        return f"{answer.json()}"

    def report(name: str, first: date) -> Callable[[], Awaitable[str]]:
        async def ask() -> str:
            answer = await client.get(f"/api/reports/{name}?from={first}&to={end}&by=week")
            answer.raise_for_status()
            return f"{len(answer.content)} bytes"

        return ask

    async def export() -> str:
        rows = 0
        async with client.stream("GET", f"/api/reports/reservations?from={start}&to={end}&format=csv") as answer:
            answer.raise_for_status()
            async for chunk in answer.aiter_bytes():
                rows += chunk.count(b"\n")
        return f"{rows - 1} rows"

    async def deepest_page() -> str:
        answer = await client.get("/api/reservations?page=100&pageSize=100")
        answer.raise_for_status()
        return f"total {answer.json()['total']}"

    def deepest(path: str) -> Callable[[], Awaitable[str]]:
        async def ask() -> str:
            answer = await client.get(f"{path}?page=100&pageSize=100")
            answer.raise_for_status()
            return f"total {answer.json()['total']}"

        return ask

    async def guest_search() -> str:
        answer = await client.get("/api/guests?q=guest 1&pageSize=100")
        answer.raise_for_status()
        return f"total {answer.json()['total']}"

    async def booking_search() -> str:
        answer = await client.get("/api/reservations?q=guest 1&page=100&pageSize=100")
        answer.raise_for_status()
        return f"total {answer.json()['total']}"

    async def everything() -> str:
        second = start + timedelta(days=1)  # another range: computed again, not cached
        jobs = [
            generate(),
            export(),
            deepest_page(),
            deepest("/api/ai/activities")(),
            deepest("/api/conversations")(),
            guest_search(),
            booking_search(),
            *(report(n, second)() for n in REPORTS),
        ]
        done = await asyncio.gather(*jobs)
        return f"{len(done)} requests at once"

    results = [await _measure(base, "timeslots/generate days=92", generate)]
    for name in REPORTS:
        results.append(await _measure(base, f"report {name} (a year by week, cold)", report(name, start)))
    results.append(await _measure(base, "export a year as CSV", export))
    results.append(await _measure(base, "reservations page 100 of 100", deepest_page))
    results.append(await _measure(base, "ai/activities page 100 of 100", deepest("/api/ai/activities")))
    results.append(await _measure(base, "conversations page 100 of 100", deepest("/api/conversations")))
    results.append(await _measure(base, "guests ?q=guest 1 (every guest read)", guest_search))
    results.append(await _measure(base, "reservations ?q=guest 1, page 100", booking_search))
    results.append(await _measure(base, "all of them at once", everything))
    worst = max(results, key=lambda r: r["worst_ms"])
    print(
        f"\nworst /healthz over every scenario: {worst['worst_ms']:.1f} ms (during {worst['name']}); "
        f"failed probes: {sum(r['failures'] for r in results)}; goal 1000 ms",
        flush=True,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench heavy")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=300)
    parser.add_argument("--tables", type=int, default=69)
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/4"))
    asyncio.run(run(parser.parse_args(argv)))
    return 0
