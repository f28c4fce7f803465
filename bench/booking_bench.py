"""Booking engine benchmark on PostgreSQL (issue 3), run by hand:

    .venv/bin/python -m bench booking [--seconds 8] [--rounds 3] [--calls 1000] [--days 30] [--json FILE]

A restaurant of 100 tables with 30 days of bookings (three per table per day, 9,000, made through
the engine). Measures availability latency (one time; a whole day) on those days, captures the
statements the engine sends for one booking (asyncpg's query logger, so BEGIN/COMMIT and the
pool's resets are seen too) and checks them against ``bench/booking_transaction.sql``; then,
at 1, 16 and 32 concurrent clients, alternates booking throughput through the engine with
pgbench running that script on the same database, ``--rounds`` times. Prints the figures as
JSON (``summary``: medians per client count). Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.booking_pgbench import capture_statements, compare_statements, run_pgbench
from bench.common import percentiles, throwaway_database
from core import db
from core.booking.availability import check_availability, day_view
from core.booking.guests import find_or_create_guest
from core.booking.service import BookingRequest, BookingService, GuestInput
from core.errors import DomainError, SlotUnavailable
from core.events import EventBus
from core.models import Restaurant, Table

TABLES = 100
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS = {day: [{"open": "11:00", "close": "23:00"}] for day in WEEK}
SEATINGS = ["11:00", "13:00", "15:00", "17:00", "19:00", "21:00"]
LEVELS = (1, 16, 32)
#: Phones of the pgbench clients' guests are "+" + str(PGBENCH_PHONE0 + client_id).
PGBENCH_PHONE0 = 447722900000
#: The engine's throughput runs book days after the seeded ones up to this one (few refusals);
#: pgbench books the 1,000 days after it (bench/booking_transaction.sql), about as sparsely.
LAST_DAY = 365


async def seed(service: BookingService, rng: random.Random, days: int, clients: int) -> tuple[int, int]:
    """The restaurant, its tables and three bookings per table per day for ``days`` days, each made
    through the engine (a new guest, the table named) by ``clients`` concurrent callers."""
    restaurant = await Restaurant.create(
        name="Bench Bistro",
        timezone="UTC",
        opening_hours=HOURS,
        max_advance_days=LAST_DAY + 1,
        avg_reservation_duration=120,
    )
    sizes = [2, 2, 4, 4, 4, 6, 8]
    await Table.bulk_create(
        [
            Table(
                restaurant=restaurant, name=f"T{i}", min_guests=1, max_guests=rng.choice(sizes), combinable=i % 10 == 0
            )
            for i in range(1, TABLES + 1)
        ]
    )
    tables = await Table.filter(restaurant=restaurant).order_by("id")
    today = datetime.now(UTC).date()
    jobs = [
        ((today + timedelta(days=offset)).isoformat(), seating, table)
        for offset in range(1, days + 1)
        for table in tables
        for seating in rng.sample(SEATINGS, 3)
    ]
    made = 0

    async def worker(todo: list) -> None:
        nonlocal made
        for n, day, seating, table in todo:
            guest = GuestInput(name=f"Guest {n}", phone=f"+4477009{n % 100_000:05d}")
            await service.create(
                restaurant.id,
                BookingRequest(
                    date=day,
                    time=seating,
                    guests=min(2, table.max_guests),
                    table_id=table.id,
                    guest=guest,
                    source="bench",
                ),
            )
            made += 1

    numbered = [(n, *job) for n, job in enumerate(jobs)]
    await asyncio.gather(*(worker(numbered[i::clients]) for i in range(clients)))
    return restaurant.id, made


async def availability_latency(restaurant_id: int, rng: random.Random, calls: int, days: int) -> dict:
    """p50/p99 of one-time checks (a random quarter hour of a seeded day, 1-6 guests) and of
    whole-day views, called one after another."""
    today = datetime.now(UTC).date()
    now = datetime.now(UTC)
    one, day = [], []
    for _ in range(calls):
        when = (today + timedelta(days=rng.randint(1, days))).isoformat()
        at = f"{rng.randint(11, 20):02d}:{rng.choice(['00', '15', '30', '45'])}"
        started = time.perf_counter()
        await check_availability(restaurant_id, when, at, rng.randint(1, 6), now=now)
        one.append((time.perf_counter() - started) * 1000)
    for _ in range(max(10, calls // 5)):
        when = (today + timedelta(days=rng.randint(1, days))).isoformat()
        started = time.perf_counter()
        await day_view(restaurant_id, when, rng.randint(1, 6), now=now)
        day.append((time.perf_counter() - started) * 1000)
    return {"one_time_ms": percentiles(one), "whole_day_ms": percentiles(day)}


async def booking_throughput(
    service: BookingService, restaurant_id: int, clients: int, seconds: float, rng: random.Random, days: int
) -> dict:
    """Bookings per second with ``clients`` concurrent callers, each a returning guest (one phone per
    client) asking for 1-6 guests at a random quarter hour of a day after the seeded ones (up to
    ``LAST_DAY``); the engine picks the table. Also the process's CPU time per booking."""
    today = datetime.now(UTC).date()
    counts = {"booked": 0, "refused": 0, "errors": 0}
    latencies: list[float] = []

    async def client(cid: int) -> None:
        n = 0
        while time.perf_counter() < deadline and n < 100_000:
            n += 1
            day = (today + timedelta(days=rng.randint(days + 1, LAST_DAY))).isoformat()
            at = f"{rng.randint(11, 20):02d}:{rng.choice(['00', '15', '30', '45'])}"
            started = time.perf_counter()
            try:
                await service.create(
                    restaurant_id,
                    BookingRequest(
                        date=day,
                        time=at,
                        guests=rng.randint(1, 6),
                        guest=GuestInput(name=f"Load {cid}", phone=f"+4477118{cid:05d}"),
                        source="bench",
                    ),
                )
                counts["booked"] += 1
            except SlotUnavailable:
                counts["refused"] += 1
            except DomainError:
                counts["errors"] += 1
            latencies.append((time.perf_counter() - started) * 1000)

    load = os.getloadavg()[0]
    cpu = time.process_time()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    booked = counts["booked"]
    return {
        "clients": clients,
        **counts,
        "bookings_per_second": round(booked / elapsed, 1),
        "python_cpu_ms_per_booking": round(cpu * 1000 / max(booked, 1), 2),
        "latency_ms": percentiles(latencies),
        "load_average_1m": round(load, 2),
    }


async def pgbench_guests(restaurant_id: int) -> None:
    """The returning guests of the pgbench clients (one phone per client id)."""
    for cid in range(max(LEVELS)):
        await find_or_create_guest(restaurant_id, name=f"Pgbench {cid}", phone=f"+{PGBENCH_PHONE0 + cid}")


def with_pool(url: str, size: int | None) -> str:
    """``url`` with Tortoise's pool size set (its default is 5 connections)."""
    return url if size is None else f"{url}?minsize=1&maxsize={size}"


async def run(args: argparse.Namespace) -> dict:
    """The whole benchmark; returns the figures."""
    rng = random.Random(args.seed)
    results: dict = {
        "tables": TABLES,
        "days": args.days,
        "pool_maxsize": args.pool or 5,
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    async with throwaway_database() as url:
        await db.init_db(with_pool(url, args.pool))
        try:
            service = BookingService(EventBus())
            started = time.perf_counter()
            rid, made = await seed(service, rng, args.days, args.seed_clients)
            results["seeded"] = {
                "reservations": made,
                "seconds": round(time.perf_counter() - started, 1),
                "clients": args.seed_clients,
            }
            results["availability"] = await availability_latency(rid, rng, args.calls, args.days)
            await pgbench_guests(rid)
            day = (datetime.now(UTC).date() + timedelta(days=LAST_DAY)).isoformat()
            guest = GuestInput(name="Pgbench 0", phone=f"+{PGBENCH_PHONE0}")
            statements = await capture_statements(
                lambda: service.create(rid, BookingRequest(date=day, time="12:00", guests=2, guest=guest))
            )
            results["engine_statements"] = statements
            results["statements_match"] = compare_statements(statements)
            tables = await Table.filter(restaurant_id=rid).order_by("id").values_list("id", flat=True)
            first_day = datetime.combine(datetime.now(UTC).date() + timedelta(days=LAST_DAY + 1), datetime.min.time())
            defines = {
                "rid": rid,
                "first_table": tables[0],
                "ntables": len(tables),
                "phone0": PGBENCH_PHONE0,
                "day0": int(first_day.replace(tzinfo=UTC).timestamp()),
            }
            # Engine and pgbench alternate, level by level, so both see the same moments of a shared host.
            results["engine"], results["pgbench"] = [], []
            for _ in range(args.rounds):
                for clients in LEVELS:
                    results["engine"].append(
                        await booking_throughput(service, rid, clients, args.seconds, rng, args.days)
                    )
                    results["pgbench"].append(await run_pgbench(url, defines, clients, int(args.seconds)))
        finally:
            await db.close_db()
    results["summary"] = summary(results["engine"], results["pgbench"])
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def summary(engine: list[dict], pgbench: list[dict | None]) -> list[dict]:
    """Per client count: the medians over the rounds of the engine's bookings/s and of pgbench's
    transactions/s and bookings/s, and the engine's share of pgbench's transactions/s in each
    round (a pair of runs seconds apart) with its median: the figure to read on a shared host."""
    out = []
    for clients in LEVELS:
        pairs = [(e, p) for e, p in zip(engine, pgbench, strict=True) if e["clients"] == clients and p and p["tps"]]
        if not pairs:
            continue
        shares = [round(e["bookings_per_second"] / p["tps"], 2) for e, p in pairs]
        out.append(
            {
                "clients": clients,
                "engine_bookings_per_second": round(statistics.median(e["bookings_per_second"] for e, _ in pairs), 1),
                "pgbench_tps": round(statistics.median(p["tps"] for _, p in pairs), 1),
                "pgbench_bookings_per_second": round(statistics.median(p["bookings_per_second"] for _, p in pairs), 1),
                "engine_share_per_round": shares,
                "engine_share_median": statistics.median(shares),
            }
        )
    return out


def main(argv: list[str]) -> int:
    """Command line: ``python -m bench booking [options]`` (``--help``)."""
    parser = argparse.ArgumentParser(prog="python -m bench booking")
    parser.add_argument("--seconds", type=float, default=8.0, help="per throughput level (engine and pgbench)")
    parser.add_argument("--calls", type=int, default=1000, help="one-time availability checks to time")
    parser.add_argument("--days", type=int, default=30, help="days of seeded bookings (three per table per day)")
    parser.add_argument("--seed-clients", type=int, default=32, help="concurrent callers while seeding")
    parser.add_argument("--pool", type=int, help="the engine's connection pool size (Tortoise default: 5)")
    parser.add_argument("--rounds", type=int, default=3, help="engine/pgbench alternations per client count")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    results = asyncio.run(run(args))
    text = json.dumps(results, indent=2, default=str)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    return 0
