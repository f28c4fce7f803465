"""Reminders benchmark (issue 10), run by hand:

    .venv/bin/python -m bench reminders [--scheduled 10000] [--due 1000] [--restaurants 10] [--redis-url URL]
        [--json FILE]

On a throwaway PostgreSQL database: ``--restaurants`` restaurants, each with its own Telegram bot
connected (the fake Telegram server of ``tests/fakes``, driven by python-telegram-bot),
``--scheduled`` reservations of the first spread over the next 30 days (bulk-inserted: this
measures the worker, not the booking engine), each guest known by a Telegram identity.

1. **Queries per poll**: every statement one worker poll sends (asyncpg's query logger) with
   nothing due, at 1,000 and at ``--scheduled`` reservations scheduled: the count must not
   grow with the number of reservations.
2. **Reminders per second**: ``--due`` reminders fall due at once, spread over the restaurants;
   one worker (the loop of ``tobeout worker``, in this process) polls until all are sent.
   Reported: seconds, reminders sent per second, the statements per reminder, the most
   messages any one bot was sent in one second (Telegram allows 30 per bot), the process's CPU
   seconds while sending and the host's load average (1 minute) before and after: the host is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.booking_pgbench import capture_statements
from bench.common import throwaway_database
from core.config import load_settings
from core.models import Guest, GuestIdentity, OutboxMessage, Reservation, Restaurant, Table
from core.worker import Worker

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCHtokenForReminders_abcdefghijkl"


def token(n: int) -> str:
    """The bot token of the n-th restaurant (the first is :data:`TOKEN`)."""
    return TOKEN if n == 0 else f"{123456 + n}:BENCHtokenForReminders_abcdefghi{n:03d}"


def _verb(sql: str) -> str:
    return sql.split(" ", 1)[0].upper()


async def _reservations(rid: int, guest_ids: list[int], table_id: int, starts: list[datetime], made: datetime) -> None:
    rows = [
        Reservation(
            restaurant_id=rid,
            guest_id=guest_ids[i % len(guest_ids)],
            table_id=None,
            date=s.date(),
            time=s.time(),
            duration=60,
            guests=2,
            status="created",
            starts_at=s,
            ends_at=s + timedelta(minutes=60),
            created_at=made,
        )
        for i, s in enumerate(starts)
    ]
    await Reservation.bulk_create(rows, batch_size=2000)


async def _restaurant(client: Any, fake: Any, n: int) -> tuple[int, list[int], int]:
    """Register the n-th restaurant through the API, connect its bot; its id, guest ids and table id."""
    csrf = {"X-Requested-With": "XMLHttpRequest"}
    body = {
        "email": f"bench{n}@example.com",
        "password": "bench-password-1",
        "name": "Bench",
        "restaurantName": f"Reminder Bench {n}",
    }
    registered = await client.post("/api/auth/register", json=body, headers=csrf)
    rid = int((await registered.get_json())["restaurant"]["id"])
    fake.add_bot(token(n), f"BenchBot{n}", 123456 + n)
    saved = await client.post("/api/integrations/telegram", json={"botToken": token(n)}, headers=csrf)
    assert saved.status_code == 200, await saved.get_data(as_text=True)
    await client.post("/api/auth/logout", headers=csrf)
    await Restaurant.filter(id=rid).update(timezone="UTC", reminder_minutes=[120, 60])
    table = await Table.create(restaurant_id=rid, name="T", min_guests=1, max_guests=8)
    await Guest.bulk_create([Guest(restaurant_id=rid, name=f"G{i}") for i in range(1000)])
    guest_ids = [g.id for g in await Guest.filter(restaurant_id=rid).order_by("id")]
    await GuestIdentity.bulk_create(
        [
            GuestIdentity(restaurant_id=rid, guest_id=g, channel="telegram", external_id=str(10_000 + g))
            for g in guest_ids
        ]
    )
    return rid, guest_ids, table.id


def busiest_second(fake: Any, tokens: list[str]) -> int:
    """The most messages one bot was sent within one second (Telegram's limit is 30 per bot)."""
    most = 0
    for bot in tokens:
        stamps = sorted(r.received_at for r in fake.requests if bot in r.path and r.path.endswith("/sendMessage"))
        start = 0
        for end, stamp in enumerate(stamps):
            while stamp - stamps[start] >= 1.0:
                start += 1
            most = max(most, end - start + 1)
    return most


def plugins_file(batch_size: int | None) -> Path:
    """The repository's plugins.toml, or a copy of it with the worker's ``batch_size`` changed."""
    source = ROOT / "plugins.toml"
    if batch_size is None:
        return source
    text = re.sub(r"(?m)^batch_size = \d+", f"batch_size = {batch_size}", source.read_text())
    copy = Path(tempfile.mkdtemp(prefix="tobeout-bench-")) / "plugins.toml"
    copy.write_text(text)
    return copy


async def run(
    scheduled: int, due: int, restaurants: int = 1, batch_size: int | None = None, redis_url: str | None = None
) -> dict[str, Any]:
    from api.app import create_app
    from tests.fakes import FakeTelegram

    result: dict[str, Any] = {
        "scheduled": scheduled,
        "due": due,
        "restaurants": restaurants,
        "batch_size": batch_size,
        "redis": bool(redis_url),
    }
    with FakeTelegram() as fake:
        async with throwaway_database("tobeout_bench_reminders") as url:
            settings = load_settings(
                {
                    "TOBEOUT_ENV": "test",
                    "DATABASE_URL": url,
                    "TELEGRAM_API_BASE_URL": fake.base_url,
                    "TOBEOUT_VAR_DIR": "/tmp/tobeout-bench-var",
                    "PUBLIC_BASE_URL": "http://bench.test",
                    "TOBEOUT_PLUGINS_FILE": str(plugins_file(batch_size)),
                    **({"REDIS_URL": redis_url} if redis_url else {}),
                }
            )
            app = create_app(settings, run_worker=False)
            async with app.test_app():
                client = app.test_client()
                places = [await _restaurant(client, fake, n) for n in range(restaurants)]
                rid, guest_ids, table_id = places[0]
                worker = Worker(vars(app)["runtime"])  # the runtime create_app keeps on the app
                await worker.run_once()  # collect the jobs and channel adapters once
                now = datetime.now(UTC)
                made = now - timedelta(days=2)
                later = [now + timedelta(days=1, minutes=7 * i % (29 * 24 * 60)) for i in range(scheduled)]

                polls: dict[str, Any] = {}
                await _reservations(rid, guest_ids, table_id, later[:1000], made)
                for count in (1000, scheduled):
                    if count > 1000:
                        await _reservations(rid, guest_ids, table_id, later[1000:count], made)
                    statements = await capture_statements(worker.run_once)
                    verbs = dict(Counter(map(_verb, statements)))
                    polls[str(count)] = {"statements": len(statements), "by_verb": verbs}
                result["poll_with_nothing_due"] = polls

                soon = [now + timedelta(minutes=10 + (i % 100)) for i in range(due)]  # all within 2 hours: due
                for n, (place, guests, table) in enumerate(places):
                    await _reservations(place, guests, table, soon[n::restaurants], made)
                fake.clear_requests()
                load_before = os.getloadavg()[0]
                started, cpu = time.perf_counter(), time.process_time()
                statements = await capture_statements(_until_sent(worker, due))
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                sent = sum(len(fake.sent_messages(token(n))) for n in range(restaurants))
                result["send"] = {
                    "sent": sent,
                    "seconds": round(elapsed, 2),
                    "reminders_per_second": round(sent / elapsed, 1),
                    "statements": len(statements),
                    "statements_per_reminder": round(len(statements) / max(sent, 1), 1),
                    "most_per_bot_in_one_second": busiest_second(fake, [token(n) for n in range(restaurants)]),
                    "cpu_seconds": round(cpu, 2),  # this process's (the fake Telegram's threads included)
                    "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # before and after
                }
                assert await OutboxMessage.filter(status="sent").count() == due
    return result


def _until_sent(worker: Worker, due: int) -> Callable[[], Awaitable[None]]:
    async def go() -> None:
        for _ in range(10_000):
            await worker.run_once()
            if await OutboxMessage.filter(status="sent").count() >= due:
                return

    return go


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench reminders")
    parser.add_argument("--scheduled", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--restaurants", type=int, default=10)
    parser.add_argument("--batch-size", type=int, help="the worker's batch_size (default: plugins.toml's)")
    parser.add_argument(
        "--redis-url", help="the shared cache, as deployed (sender turns, chat locks); default in-process"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import uvloop  # the loop `tobeout worker` runs on

    result = uvloop.run(run(args.scheduled, args.due, args.restaurants, args.batch_size, args.redis_url))
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(__import__("sys").argv[1:]))
