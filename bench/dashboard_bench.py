"""Staff dashboard benchmark (issue 9), run by hand:

    .venv/bin/python -m bench dashboard [--tables 100] [--bookings 400] [--waiting 30] [--runs 5] [--port 0]

Starts a real ``tobeout serve`` (on ``--port``, else a free one) on a throwaway PostgreSQL database, signs a
restaurant up through the API, adds ``--tables`` tables, ``--bookings`` bookings and ``--waiting`` waiting
parties (the waitlist, each with a quoted wait) on one day, then opens ``/dashboard?date=...`` in Debian's
Chromium ``--runs`` times and reports

* the timeline's render time once its data has arrived: the ``tobeout:timeline``
  Performance API measure the day view records around drawing (median and worst); at 1024×768
  the day view is in its compact (fit-the-screen) density;
* the waitlist panel's render time with its ``--waiting`` parties, opened over that day view
  (``tobeout:waitlist``, measured the same way);
* the floor plan's render time the same way (``tobeout:floor``, ``/dashboard/floor?date=...&time=20:00``:
  every table with its current and next guest);
* the first load's JavaScript and CSS: the bytes of every ``.js``/``.css`` response of the
  first visit (uncompressed bodies), and what the dashboard's static folder holds in all.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.common import throwaway_database

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "api" / "dashboard_ui" / "static"
CSRF = {"X-Requested-With": "XMLHttpRequest"}
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STARTS = ["11:00", "13:15", "15:30", "17:45", "20:00"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _setup(base: str, tables: int, bookings: int, day: str, waiting: int = 0) -> None:
    http = httpx.Client(base_url=base, timeout=30, headers=CSRF)
    answer = http.post(
        "/api/auth/register",
        json={
            "email": "bench@dashboard.example",
            "password": "bench-password",
            "name": "Bench",
            "restaurantName": "Bench",
            "timezone": "Europe/London",
        },
    )
    answer.raise_for_status()
    hours = {d: [{"open": "11:00", "close": "23:59"}] for d in WEEK}
    http.put(
        "/api/restaurants/profile", json={"openingHours": hours, "avgReservationDuration": 120, "maxAdvanceDays": 60}
    ).raise_for_status()
    ids = []
    for i in range(tables):
        made = http.post("/api/tables", json={"name": f"T{i + 1:03d}", "minGuests": 1, "maxGuests": 4})
        made.raise_for_status()
        ids.append(made.json()["id"])
    for n in range(bookings):
        table, slot = ids[n % tables], STARTS[(n // tables) % len(STARTS)]
        made = http.post(
            "/api/booking/create",
            json={
                "date": day,
                "time": slot,
                "guests": 2,
                "tableId": table,
                "duration": 120,
                "guest": {"name": f"Guest {n}", "phone": f"+4477009{n:05d}"},
            },
        )
        made.raise_for_status()
    for n in range(waiting):  # parties hoping for a table that evening, in arrival order
        hour = 18 + n % 4
        party = {"guests": 2 + n % 3, "date": day, "timeFrom": f"{hour}:00", "timeTo": f"{hour + 1}:30"}
        party.update(name=f"Waiting {n}", phone=f"+4477008{n:05d}", quotedMinutes=15 + 5 * (n % 6))
        added = http.post("/api/waitlist", json=party)
        assert added.status_code == 201, added.text


async def _measure(
    base: str, day: str, runs: int, expected: int, tables: int, waiting: int
) -> tuple[list[float], list[float], list[float], int, list[str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--headless", "--disable-gpu"],
        )
        context = await browser.new_context(viewport={"width": 1024, "height": 768})
        page = await context.new_page()
        sizes: dict[str, int] = {}

        async def record(response: Any) -> None:
            url = response.url.split("?")[0]
            if url.endswith((".js", ".css")) and url not in sizes:
                sizes[url] = len(await response.body())

        page.on("response", lambda r: asyncio.ensure_future(record(r)))
        await page.goto(f"{base}/dashboard")
        await page.fill("#signin-email", "bench@dashboard.example")
        await page.fill("#signin-password", "bench-password")
        await page.press("#signin-password", "Enter")
        await page.locator("#main .day").wait_for()
        first = sum(sizes.values())
        files = sorted(sizes)
        timings = []
        for _ in range(runs):
            await page.goto(f"{base}/dashboard?date={day}")
            # (a locator, not wait_for_function: the page's Content-Security-Policy forbids evaluated strings)
            await page.locator(".tl-block").nth(expected - 1).wait_for(timeout=60_000)
            entries = await page.evaluate("performance.getEntriesByName('tobeout:timeline').map(e => e.duration)")
            timings.append(entries[0])
        queue = []
        for _ in range(runs if waiting else 0):
            await page.goto(f"{base}/dashboard?date={day}")
            await page.locator(".tl-block").nth(expected - 1).wait_for(timeout=60_000)
            await page.locator('[data-open="waitlist"]').click()
            await page.locator(f'.waitlist[data-count="{waiting}"]').wait_for(timeout=60_000)
            entries = await page.evaluate("performance.getEntriesByName('tobeout:waitlist').map(e => e.duration)")
            queue.append(entries[-1])
        floor = []
        for _ in range(runs):
            await page.goto(f"{base}/dashboard/floor?date={day}&time=20:00")
            await page.locator(".table").nth(tables - 1).wait_for(timeout=60_000)
            entries = await page.evaluate("performance.getEntriesByName('tobeout:floor').map(e => e.duration)")
            floor.append(entries[0])
        await browser.close()
    return timings, queue, floor, first, files


def _start(url: str, cwd: str, port: int = 0) -> tuple[subprocess.Popen, str]:
    port = port or _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TOBEOUT_VAR_DIR": f"{cwd}/var",
        "TOBEOUT_PLUGINS_FILE": str(ROOT / "plugins.toml"),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    for key in ("REDIS_URL", "OPENAI_API_KEY"):
        env.pop(key, None)
    tobeout = str(Path(sys.executable).parent / "tobeout")
    server = subprocess.Popen(
        [tobeout, "serve", "--port", str(port)], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    return server, base


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)


async def run(args: argparse.Namespace) -> None:
    day = (date.today() + timedelta(days=3)).isoformat()
    async with throwaway_database("tobeout_dash_bench") as url:
        with tempfile.TemporaryDirectory() as cwd:
            server, base = await asyncio.to_thread(_start, url, cwd, args.port)
            try:
                started = time.perf_counter()
                await asyncio.to_thread(_setup, base, args.tables, args.bookings, day, args.waiting)
                took = time.perf_counter() - started
                print(
                    f"set up {args.tables} tables, {args.bookings} bookings and {args.waiting} waiting parties "
                    f"in {took:.1f} s"
                )
                timings, queue, floor, first, files = await _measure(
                    base, day, args.runs, args.bookings, args.tables, args.waiting
                )
            finally:
                await asyncio.to_thread(_stop, server)
    total = sum(p.stat().st_size for p in STATIC.rglob("*") if p.suffix in (".js", ".css"))
    every = [round(t, 1) for t in timings]
    print(
        f"timeline render after data arrived ({args.tables} tables, {args.bookings} bookings, {args.runs} runs): "
        f"median {statistics.median(timings):.1f} ms, worst {max(timings):.1f} ms, all {every}"
    )
    if queue:
        print(
            f"waitlist panel render after data arrived ({args.waiting} parties): median "
            f"{statistics.median(queue):.1f} ms, worst {max(queue):.1f} ms, all {[round(t, 1) for t in queue]}"
        )
    print(
        f"floor plan render after data arrived: median {statistics.median(floor):.1f} ms, worst {max(floor):.1f} ms, "
        f"all {[round(t, 1) for t in floor]}"
    )
    print(
        f"first load JS+CSS: {first / 1024:.1f} KiB in {len(files)} files (uncompressed); "
        f"every dashboard .js/.css: {total / 1024:.1f} KiB"
    )
    print("first load files:", " ".join(f.split("/dashboard/static/")[-1] for f in files))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench dashboard")
    parser.add_argument("--tables", type=int, default=100)
    parser.add_argument("--bookings", type=int, default=400)
    parser.add_argument("--waiting", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=0)
    asyncio.run(run(parser.parse_args(argv)))
    return 0
