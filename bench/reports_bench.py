"""Reports benchmark (issue 23), run by hand:

    .venv/bin/python -m bench reports [--days 365] [--per-day 300] [--tables 40] [--runs 5]

Builds one restaurant with ``--tables`` tables and ``--days`` days of ``--per-day`` bookings on a
throwaway PostgreSQL database (written with set-based SQL: a year through the booking engine would
take most of an hour; the reports only read). With them: their history (a creation entry each and
the cancellations), guest conversations and their transcripts for the chat bookings, the AI
activity rows of those turns (replies, the LLM's booking tool calls, fallbacks, handoffs) and
reminders with their answers. Then it measures, on PostgreSQL:

* every report over the whole range, computed cold (the SQL and the rows' shaping, no cache):
  median and worst of ``--runs``;
* through a real ``tobeout serve``: each report's first (cold) and second (cached) answer;
* the year's bookings export as CSV (``/api/reports/reservations?format=csv``) streamed by the
  client: rows, bytes, time, and the server's resident memory before and at its peak during it;
* the Reports page in Debian's Chromium for the year by week and for 90 days by day: the time from
  its data's arrival to its charts drawn (the ``reports:draw`` Performance API measure).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.api_bench import running, serve_command
from bench.common import throwaway_database

ROOT = Path(__file__).resolve().parent.parent
CSRF = {"X-Requested-With": "XMLHttpRequest"}
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OWNER = ("bench@reports.example", "bench-password")
REPORTS = ("bookings", "channels", "lead_time", "heatmap", "utilisation", "bot", "reminders")
SOURCES = ("webchat", "telegram", "whatsapp", "form", "sms", "email", "staff", "walk_in", "api")

# One booking per (day, n): table n % tables, one of eight 90-minute sittings, 1-6 guests; 5 % canceled,
# 5 % no-shows, 3 % archived after completing, the rest completed. A guest has one conversation per chat channel.
_BOOKINGS = """
INSERT INTO reservations (restaurant_id, guest_id, table_id, date, time, duration, guests, status, archived_from,
  source, confirmation_1h, confirmation_2h, created_at, updated_at, starts_at, ends_at, tags)
SELECT $1, $2 + ((g.seq * 7919) % $7), $3 + (g.n % $6), g.day, g.at, 90, 1 + g.n % 6,
  CASE WHEN g.n % 20 = 0 THEN 'canceled' WHEN g.n % 20 = 1 THEN 'no_show' WHEN g.n % 33 = 2 THEN 'archived'
    ELSE 'completed' END,
  CASE WHEN g.n % 33 = 2 AND g.n % 20 > 1 THEN 'completed' END,
  ($8::text[])[1 + g.n % 9], false, false,
  g.starts - make_interval(days => g.n % 30, hours => g.n % 24), g.starts, g.starts, g.starts + interval '90 minutes',
  '[]'
FROM (
  SELECT d::date AS day, n, (d::date - $4::date) * $9 + n AS seq,
    (time '12:00' + make_interval(mins => 90 * ((n / $6) % 8))) AS at,
    ((d::date + (time '12:00' + make_interval(mins => 90 * ((n / $6) % 8)))) AT TIME ZONE 'Europe/London') AS starts
  FROM generate_series($4::date, $5::date, interval '1 day') AS d, generate_series(0, $9 - 1) AS n
) AS g
"""
_ALLOCATIONS = """
INSERT INTO reservation_tables (reservation_id, table_id, restaurant_id, starts_at, blocked_until, active)
SELECT id, table_id, restaurant_id, starts_at, ends_at, false FROM reservations WHERE restaurant_id = $1
"""
_HISTORY = """
INSERT INTO reservation_changes (restaurant_id, reservation_id, type, changes, actor, source, created_at)
SELECT restaurant_id, id, 'reservation.created', NULL::jsonb, 'staff', source, created_at
FROM reservations WHERE restaurant_id = $1
UNION ALL
SELECT restaurant_id, id, 'reservation.canceled', '{"status": {"from": "created", "to": "canceled"}}'::jsonb,
  'guest', source, starts_at - make_interval(hours => id % 48)
FROM reservations WHERE restaurant_id = $1 AND status = 'canceled'
"""
_CONVERSATIONS = """
INSERT INTO conversations (restaurant_id, channel, external_chat_id, guest_id, language, state, history, status,
  last_activity, created_at)
SELECT restaurant_id, source, 'chat-' || guest_id || '-' || source, guest_id,
  (ARRAY['en', 'ru', 'de'])[1 + guest_id % 3], '{}', '[]', 'active', max(created_at), min(created_at)
FROM reservations WHERE restaurant_id = $1 AND source IN ('webchat', 'telegram', 'whatsapp')
GROUP BY restaurant_id, source, guest_id
"""
_MESSAGES = """
INSERT INTO conversation_messages (conversation_id, role, text, created_at)
SELECT c.id, CASE WHEN k % 2 = 0 THEN 'guest' ELSE 'bot' END, 'message ' || k,
  r.created_at - make_interval(mins => 4 * (7 - k))
FROM conversations c JOIN reservations r ON r.restaurant_id = c.restaurant_id AND r.guest_id = c.guest_id
  AND r.source = c.channel,
  generate_series(0, 7) AS k
WHERE c.restaurant_id = $1
"""
_ACTIVITIES = """
INSERT INTO ai_activities (restaurant_id, type, message, response, confidence, metadata, created_at)
SELECT r.restaurant_id, 'response_generated', 'message', 'reply', 1.0,
  jsonb_build_object('path', CASE WHEN r.id % 2 = 0 THEN 'llm' ELSE 'guided' END),
  r.created_at - make_interval(mins => k)
FROM reservations r, generate_series(0, 3) AS k
WHERE r.restaurant_id = $1 AND r.source IN ('webchat', 'telegram', 'whatsapp')
UNION ALL
SELECT r.restaurant_id, 'tool_call', 'create_reservation', NULL, NULL,
  jsonb_build_object('ok', true, 'result', jsonb_build_object('reservation', jsonb_build_object('id', r.id))),
  r.created_at
FROM reservations r WHERE r.restaurant_id = $1 AND r.source IN ('webchat', 'telegram', 'whatsapp') AND r.id % 2 = 0
UNION ALL
SELECT r.restaurant_id, 'fallback', 'message', NULL, NULL,
  jsonb_build_object('error', CASE WHEN r.id % 3 = 0 THEN 'circuit open: the model failed 5 times in a row'
    ELSE 'APITimeoutError' END, 'language', (ARRAY['en', 'ru', 'de'])[1 + r.id % 3]), r.created_at
FROM reservations r WHERE r.restaurant_id = $1 AND r.source IN ('webchat', 'telegram', 'whatsapp') AND r.id % 25 = 1
UNION ALL
SELECT r.restaurant_id, 'handoff', 'message', NULL, NULL,
  jsonb_build_object('reason', CASE WHEN r.id % 2 = 0 THEN 'guest_asked' ELSE 'not_understood' END,
    'path', 'guided', 'language', (ARRAY['en', 'ru', 'de'])[1 + r.id % 3]), r.created_at
FROM reservations r WHERE r.restaurant_id = $1 AND r.source IN ('webchat', 'telegram', 'whatsapp') AND r.id % 20 = 3
UNION ALL
SELECT r.restaurant_id, 'reminder_answer', '/reminder', NULL, NULL,
  jsonb_build_object('reservationId', r.id, 'answer', 'confirm',
    'outcome', CASE WHEN r.id % 9 = 0 THEN 'canceled' ELSE 'confirmed' END), r.starts_at - interval '100 minutes'
FROM reservations r WHERE r.restaurant_id = $1 AND r.id % 10 < 4
"""
_OUTBOX = """
INSERT INTO guest_outbox (restaurant_id, guest_id, reservation_id, kind, dedup_key, channel, chat_id, language, replies,
  payload, status, attempts, next_attempt_at, sent_at, created_at, updated_at)
SELECT restaurant_id, guest_id, id, 'reminder', 'reminder:' || id || ':120', 'telegram', 'chat', 'en', '[]', '{}',
  'sent', 1, at, at, at, at
FROM (SELECT *, starts_at - interval '2 hours' AS at FROM reservations) AS r WHERE restaurant_id = $1 AND id % 10 < 7
"""


async def _fill(url: str, restaurant_id: int, days: int, per_day: int, tables: int) -> dict[str, int]:
    """Write the year of data; returns the row counts."""
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        first_table = await conn.fetchval("SELECT min(id) FROM tables WHERE restaurant_id = $1", restaurant_id)
        guests = max(5000, days * per_day // 3)  # a guest books about three times a year
        await conn.execute(
            """INSERT INTO guests (restaurant_id, name, phone, language, tags, created_at, name_folded, phone_digits)
            SELECT $1, 'Guest ' || n, '+4477009' || lpad(n::text, 5, '0'), 'en', '[]', now(), 'guest ' || n,
              '4477009' || lpad(n::text, 5, '0') FROM generate_series(1, $2) AS n""",
            restaurant_id,
            guests,
        )
        first_guest = await conn.fetchval("SELECT min(id) FROM guests WHERE restaurant_id = $1", restaurant_id)
        end = date.today() - timedelta(days=1)
        start = end - timedelta(days=days - 1)
        await conn.execute(
            _BOOKINGS, restaurant_id, first_guest, first_table, start, end, tables, guests, list(SOURCES), per_day
        )
        for sql in (_ALLOCATIONS, _HISTORY, _CONVERSATIONS, _MESSAGES, _ACTIVITIES, _OUTBOX):
            await conn.execute(sql, restaurant_id)
        await conn.execute("ANALYZE")
        counts = {}
        for table in (
            "reservations",
            "reservation_changes",
            "conversations",
            "conversation_messages",
            "ai_activities",
            "guest_outbox",
        ):
            counts[table] = int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
        return counts
    finally:
        await conn.close()


def _register(base: str, tables: int) -> tuple[httpx.Client, int]:
    http = httpx.Client(base_url=base, timeout=120, headers=CSRF)
    answer = http.post(
        "/api/auth/register",
        json={
            "email": OWNER[0],
            "password": OWNER[1],
            "name": "Bench",
            "restaurantName": "Bench",
            "timezone": "Europe/London",
        },
    )
    answer.raise_for_status()
    hours = {d: [{"open": "12:00", "close": "24:00"}] for d in WEEK}
    http.put("/api/restaurants/profile", json={"openingHours": hours, "avgReservationDuration": 90}).raise_for_status()
    for i in range(tables):
        http.post("/api/tables", json={"name": f"T{i + 1:02d}", "minGuests": 1, "maxGuests": 6}).raise_for_status()
    return http, int(answer.json()["restaurant"]["id"])


async def _cold(url: str, restaurant_id: int, start: date, end: date, runs: int) -> dict[str, list[float]]:
    """Each report computed in this process, straight from the database (no cache), ``runs`` times."""
    from core import db
    from core.reports import Period, build

    await db.init_db(url)
    try:
        timings: dict[str, list[float]] = {}
        period = Period(restaurant_id, start, end, "Europe/London", "week")
        for name in REPORTS:
            samples = []
            for _ in range(runs):
                began = time.perf_counter()
                await build(name, period)
                samples.append((time.perf_counter() - began) * 1000)
            timings[name] = samples
        return timings
    finally:
        await db.close_db()


def _rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and its children (KiB)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(entry) == pid or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total


async def _export(base: str, http: httpx.Client, pid: int, start: date, end: date) -> dict[str, Any]:
    """Stream the year's bookings CSV; the server's memory before and at its highest while it streams."""
    cookies = http.cookies
    before = _rss_kib(pid)
    peak, rows, size = before, 0, 0
    began = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, cookies=cookies, headers=CSRF, timeout=300) as client:
        url = f"/api/reports/reservations?from={start}&to={end}&format=csv"
        async with client.stream("GET", url) as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                rows += chunk.count(b"\n")
                peak = max(peak, _rss_kib(pid))
    return {
        "rows": rows - 1,
        "bytes": size,
        "seconds": time.perf_counter() - began,
        "rss_before": before,
        "rss_peak": peak,
    }


async def _page(base: str, queries: list[str], runs: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    found: dict[str, list[float]] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--headless", "--disable-gpu"],
        )
        context = await browser.new_context(viewport={"width": 1440, "height": 900})
        page = await context.new_page()
        await page.goto(f"{base}/dashboard")
        await page.fill("#signin-email", OWNER[0])
        await page.fill("#signin-password", OWNER[1])
        await page.press("#signin-password", "Enter")
        await page.locator("#main").wait_for()
        for query in queries:
            found[query] = []
            for _ in range(runs):
                await page.goto(f"{base}/dashboard/reports?{query}")
                await page.locator(".reports-page[data-draw-ms]").wait_for(timeout=60_000)
                found[query].append(float(await page.locator(".reports-page").get_attribute("data-draw-ms")))
        await browser.close()
    return found


async def run(args: argparse.Namespace) -> None:
    async with throwaway_database("tobeout_reports_bench") as url:
        with tempfile.TemporaryDirectory() as cwd:
            port = args.port
            env = {
                **os.environ,
                "TOBEOUT_ENV": "development",
                "TOBEOUT_VAR_DIR": f"{cwd}/var",
                "DATABASE_URL": url,
                "REDIS_URL": args.redis,
                "SECRET_KEY": "bench-secret-" + "x" * 40,
                "LOG_LEVEL": "WARNING",
                "TOBEOUT_PLUGINS_FILE": str(ROOT / "plugins.toml"),
            }
            base = f"http://127.0.0.1:{port}"
            async with running(serve_command(port), env, cwd, ready_url=f"{base}/readyz") as process:
                http, rid = await asyncio.to_thread(_register, base, args.tables)
                began = time.perf_counter()
                counts = await _fill(url, rid, args.days, args.per_day, args.tables)
                print(f"filled in {time.perf_counter() - began:.1f} s: {counts}")
                end = date.today() - timedelta(days=1)
                start = end - timedelta(days=args.days - 1)
                cold = await _cold(url, rid, start, end, args.runs)
                print(f"\nreports over {start}..{end} by week, computed cold in-process ({args.runs} runs):")
                for name, samples in cold.items():
                    print(f"  {name:12} median {statistics.median(samples):7.1f} ms   worst {max(samples):7.1f} ms")
                print("\nthrough tobeout serve (first: cold; second: cached):")
                for name in REPORTS:
                    timed = []
                    for _ in range(2):
                        t0 = time.perf_counter()
                        answer = await asyncio.to_thread(http.get, f"/api/reports/{name}?from={start}&to={end}&by=week")
                        answer.raise_for_status()
                        timed.append((time.perf_counter() - t0) * 1000)
                    print(f"  {name:12} first {timed[0]:7.1f} ms   second {timed[1]:6.1f} ms")
                exported = await _export(base, http, process.pid, start, end)
                rss = f"{exported['rss_before'] / 1024:.0f} MiB before, {exported['rss_peak'] / 1024:.0f} MiB at peak"
                print(
                    f"\nexport: {exported['rows']} rows, {exported['bytes'] / 1e6:.1f} MB "
                    f"in {exported['seconds']:.1f} s; server RSS {rss}"
                )
                queries = [f"from={start}&to={end}&by=week", f"from={end - timedelta(days=89)}&to={end}&by=day"]
                drawn = await _page(base, queries, args.runs)
                print("\nReports page, data arrived -> charts drawn (Chromium, 1440 wide):")
                for query, samples in drawn.items():
                    print(f"  {query}: median {statistics.median(samples):.1f} ms, worst {max(samples):.1f} ms")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench reports")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=300)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7"))
    asyncio.run(run(parser.parse_args(argv)))
    return 0
