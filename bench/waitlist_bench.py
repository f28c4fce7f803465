"""Waitlist benchmark (issue 19), run by hand:

    .venv/bin/python -m bench waitlist [--rounds 10] [--workers 2] [--json FILE]

On a throwaway PostgreSQL database with Redis (db 2 unless ``--redis``): this process serves the staff side
(the app with the Redis event bus), ``--workers`` real ``tobeout worker`` processes run the waitlist and the
outbox. Each round fills every table at one time, puts one party on the waitlist (its web chat session
known), then cancels one of the bookings through the staff API and measures, from the cancellation's
answer, how long until (a) the party's entry is ``offered`` with its held table and (b) the offer's outbox
row is ``sent`` (queued and handed to the web chat, which guests pull). After every round it checks that no
slot was held or offered twice: one hold reservation and one offer row per round, however many workers.
Goal: the freed slot offered to the first waiting party within 5 s of the cancellation.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.api_bench import bench_environment, running
from bench.common import throwaway_database
from core.booking.service import BookingService
from core.booking.waitlist import OFFER, Waitlist, WaitlistInput
from core.config import load_settings
from core.models import OutboxMessage, OutboxStatus, Reservation, Restaurant, Table, WaitlistEntry

ROOT = Path(__file__).resolve().parent.parent
CSRF = {"X-Requested-With": "XMLHttpRequest"}
HOURS = {
    d: [{"open": "00:00", "close": "23:59"}]
    for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


async def _wait_for(check: Any, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if await check():
            return time.perf_counter() - start
        await asyncio.sleep(0.02)
    raise TimeoutError("not offered within 30 s")


async def run(rounds: int, workers: int, redis_url: str) -> dict[str, Any]:
    from api.app import create_app

    async with throwaway_database("tobeout_bench_waitlist") as url:
        var = tempfile.mkdtemp(prefix="tobeout-bench-waitlist-")
        env = bench_environment(url, redis_url, var)
        settings = load_settings(
            {k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
            | {"TOBEOUT_ENV": "test", "TOBEOUT_VAR_DIR": var}
        )
        app = create_app(settings, run_worker=False)
        async with app.test_app():
            client = app.test_client()
            body = {
                "email": "bench@example.com",
                "password": "bench-password-1",
                "name": "Bench",
                "restaurantName": "Waitlist Bench",
            }
            registered = await (await client.post("/api/auth/register", json=body, headers=CSRF)).get_json()
            rid = registered["restaurant"]["id"]
            await Restaurant.filter(id=rid).update(
                timezone="UTC", opening_hours=HOURS, min_notice_minutes=0, max_advance_days=400
            )
            tables = [await Table.create(restaurant_id=rid, name=f"T{i}", min_guests=1, max_guests=4) for i in range(4)]
            runtime = vars(app)["runtime"]
            waitlist = Waitlist(BookingService(runtime.bus, runtime.clock))
            stack = contextlib.AsyncExitStack()
            logs = [stack.enter_context((Path(var) / f"worker{n}.log").open("wb")) for n in range(workers)]
            latencies_offer: list[float] = []
            latencies_sent: list[float] = []
            try:
                for n in range(workers):
                    await stack.enter_async_context(
                        running([str(ROOT / ".venv/bin/tobeout"), "worker"], env, var, output=logs[n])
                    )
                await asyncio.sleep(10)  # the workers are up, have polled once and listen
                for n in range(rounds):
                    day, at = (datetime.now(UTC) + timedelta(days=2 + n)).date(), "19:00"  # a day per round
                    booked = []
                    for i, table in enumerate(tables):
                        req = {
                            "date": day.isoformat(),
                            "time": at,
                            "guests": 2,
                            "tableId": table.id,
                            "guest": {"name": f"G{n}-{i}", "phone": f"+4477009{n:02d}{i:03d}"},
                        }
                        answer = await client.post("/api/booking/create", json=req, headers=CSRF)
                        made = await answer.get_json()
                        if answer.status_code != 201:
                            raise RuntimeError(f"booking refused: {made}")
                        booked.append(made["id"])
                    clock_time = datetime.strptime(at, "%H:%M").time()
                    entry = await waitlist.add(
                        rid,
                        WaitlistInput(
                            guests=2,
                            date=day,
                            time_from=clock_time,
                            time_to=clock_time,
                            name=f"Waiting {n}",
                            channel="webchat",
                            chat_id=f"bench-session-{n:04d}",
                        ),
                    )
                    started = time.perf_counter()
                    await client.post(f"/api/booking/cancel/{booked[0]}", headers=CSRF)

                    async def offered(entry_id: int = entry.id) -> bool:
                        row = await WaitlistEntry.filter(id=entry_id).values("status", "reservation_id")
                        return bool(row and row[0]["status"] == "offered" and row[0]["reservation_id"])

                    async def sent(entry_id: int = entry.id) -> bool:
                        return await OutboxMessage.filter(
                            kind=OFFER,
                            payload__contains={"entryId": entry_id},
                            status__in=[OutboxStatus.SENT, OutboxStatus.DELIVERED],
                        ).exists()

                    await _wait_for(offered)
                    latencies_offer.append(time.perf_counter() - started)
                    await _wait_for(sent)
                    latencies_sent.append(time.perf_counter() - started)
                    holds = await Reservation.filter(
                        restaurant_id=rid, source="waitlist", date=day, time=clock_time
                    ).count()
                    offers = await OutboxMessage.filter(kind=OFFER, payload__contains={"entryId": entry.id}).count()
                    assert holds == 1 and offers == 1, f"round {n}: {holds} holds, {offers} offers"
            finally:
                await stack.aclose()

    def summary(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {
            "median_s": round(statistics.median(ordered), 3),
            "max_s": round(ordered[-1], 3),
            "p90_s": round(ordered[int(0.9 * (len(ordered) - 1))], 3),
        }

    return {
        "rounds": rounds,
        "workers": workers,
        "offered": summary(latencies_offer),
        "offer_sent": summary(latencies_sent),
        "each_offered_s": [round(v, 3) for v in latencies_offer],
        "double_offers": 0,
    }


def main(argv: list[str]) -> int:
    """Run the benchmark and print (or write) its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench waitlist")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.rounds, args.workers, args.redis))
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    return 0
