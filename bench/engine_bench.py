"""Conversation engine benchmark (issue 5), run by hand:

    make bench BENCH_ARGS="engine"        # or: .venv/bin/python -m bench engine [--conversations N] ...

The engine's own time per turn, with an instant in-process fake LLM: the wall time of
``engine.handle(message)`` minus the time spent inside the fake's ``complete`` (which
builds the SDK's own ``ChatCompletionMessage`` objects, exactly what :class:`LLMClient`
returns, in microseconds). The goal is under 5 ms of our own time per turn.

Each LLM conversation is three turns a guest would write:

- ``text``: a question the model answers with text alone (one LLM call);
- ``tool``: the model calls ``check_availability``, then answers (two calls);
- ``booking``: the model calls ``create_reservation``, then answers (two calls).

Each guided conversation (no LLM) is five turns: the request (date, time, party size;
the slot is checked), the name, the phone, "yes" (the booking is made) and "my
reservations"; half in English, half in Russian.

Own time per turn is reported as wall time and as the process's CPU time over the same
span (minus the fake's), which is steadier on a shared host. Each run checks itself: the
expected reply every turn, no tool error, no ``error``/``fallback`` activity, one reservation
per booking turn; otherwise the exit status is 1. Each configuration also measures what one
statement costs on the host (a ``SELECT 1`` round trip, an autocommitted ORM insert).

Configurations: PostgreSQL (a throwaway database, migrated) and SQLite (a temporary
file), each with the in-process cache; PostgreSQL with Redis (``--redis``, default
redis://127.0.0.1:6379/15; keys are unique to the run, nothing is flushed). Turns run
one after another (latency, not throughput); the first conversations warm up and are
not counted. ``--queries`` adds a short pass that counts SQL statements per turn kind;
``--profile FILE`` writes a cProfile of the measured turns of the first configuration.
Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import pstats
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from tortoise import connections

from bench.common import percentiles, throwaway_database
from bench.engine_llm import InstantLLM
from core import db
from core.booking.hours import to_local
from core.clock import utcnow
from core.config import load_settings
from core.conversation.engine import ConversationEngine
from core.conversation.types import InboundMessage
from core.models import AiActivity, ProcessedMessage, Reservation, Restaurant, Table
from core.plugins import PluginConfig, make_plugin_manager
from core.runtime import make_runtime

DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
HOURS = {
    day: [{"open": "12:00", "close": "23:00"}]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}
TABLES = [(1, 2)] * 6 + [(2, 4)] * 10 + [(4, 6)] * 4  # 20 tables
TIMES = [f"{h:02d}:{m:02d}" for h in range(12, 21) for m in (0, 30)]  # 18 start times
DAYS = 45  # bookings spread over the next 45 days: no slot ever fills up
LLM_KINDS = ("text", "tool", "booking")
GUIDED_KINDS = ("guided_request", "guided_name", "guided_phone", "guided_book", "guided_list")


# ------------------------------------------------------------------------- the fake LLM


def _settings(tmp: Path, database_url: str, redis_url: str | None) -> Any:
    env = {
        "TOBEOUT_ENV": "test",
        "TOBEOUT_VAR_DIR": str(tmp / "var"),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "TOBEOUT_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "TOBEOUT_PLUGINS_FILE": str(tmp / "plugins.toml"),
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return load_settings(env)


async def _restaurant() -> Restaurant:
    restaurant = await Restaurant.create(
        name="Bench Bistro",
        address="1 Bench Street, London",
        phone="+442079460000",
        timezone="Europe/London",
        opening_hours=HOURS,
        avg_reservation_duration=120,
        min_notice_minutes=30,
        max_advance_days=90,
        slot_interval_minutes=30,
    )
    await Table.bulk_create(
        [
            Table(restaurant=restaurant, name=f"T{i}", min_guests=low, max_guests=high)
            for i, (low, high) in enumerate(TABLES, start=1)
        ]
    )
    return restaurant


@asynccontextmanager
async def database(backend: str) -> AsyncIterator[str]:
    """A fresh, migrated database of ``backend`` connected as Tortoise's default; yields its URL."""
    if backend == "postgres":
        async with throwaway_database("tobeout_bench_engine") as url:
            await db.init_db(url)
            try:
                yield url
            finally:
                await db.close_db()
    else:
        with tempfile.TemporaryDirectory(prefix="tobeout_bench_engine_") as tmp:
            url = f"sqlite://{tmp}/bench.sqlite3"
            await db.upgrade(url)
            await db.init_db(url)
            try:
                yield url
            finally:
                await db.close_db()


# ------------------------------------------------------------------------- conversations


class Driver:
    """Sends the scripted turns of one configuration and times them."""

    def __init__(
        self,
        llm_engine: ConversationEngine,
        guided_engine: ConversationEngine,
        llm: InstantLLM,
        restaurant: Restaurant,
        run: str,
    ) -> None:
        self.llm_engine, self.guided_engine, self.llm = llm_engine, guided_engine, llm
        self.restaurant = restaurant
        self.run = run
        self.today = to_local(utcnow(), restaurant.timezone)[0]
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.cpu_samples: dict[str, list[float]] = defaultdict(list)
        self.record = True
        self.failures: list[str] = []
        self.n = 0

    def _slot(self, i: int) -> tuple[date, str, int]:
        day = self.today + timedelta(days=1 + i % DAYS)
        return day, TIMES[(i // DAYS) % len(TIMES)], 2 + i % 3

    async def _turn(
        self, engine: ConversationEngine, kind: str, chat: str, text: str, expect: Callable[[str], bool]
    ) -> None:
        self.n += 1
        message = InboundMessage(
            restaurant_id=self.restaurant.id,
            channel="webchat",
            sender_id=chat,
            chat_id=chat,
            text=text,
            message_id=f"{chat}-{self.n}",
        )
        llm_before, llm_cpu_before = self.llm.seconds, self.llm.cpu_seconds
        started, cpu_started = time.perf_counter(), time.process_time()
        replies = await engine.handle(message)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        own_ms = (wall - (self.llm.seconds - llm_before)) * 1000
        cpu_ms = (cpu - (self.llm.cpu_seconds - llm_cpu_before)) * 1000
        reply = "\n".join(r.text for r in replies)
        if not expect(reply) or self.llm.steps:
            self.failures.append(f"{kind}: {text!r} -> {reply!r} (unused script: {list(self.llm.steps)})")
            self.llm.steps.clear()
        if self.record:
            self.samples[kind].append(own_ms)
            self.cpu_samples[kind].append(cpu_ms)

    async def llm_conversation(self, i: int) -> None:
        chat = f"bench-{self.run}-llm-{i}"
        day, at, guests = self._slot(i)
        slot = {"date": day.isoformat(), "time": at, "guests": guests}
        engine = self.llm_engine
        self.llm.script(("text", "Of course! For how many people, and at what time?"))
        await self._turn(
            engine, "text", chat, f"Hi, do you have a table on {day:%b} {day.day}?", lambda r: r.startswith("Of course")
        )
        self.llm.script(
            ("tool", ("check_availability", slot)),
            ("text", f"Yes, {at} is free for {guests}. Shall I book it, and under what name?"),
        )
        await self._turn(engine, "tool", chat, f"{guests} people at {at}", lambda r: r.startswith("Yes"))
        self.llm.script(
            ("tool", ("create_reservation", {**slot, "name": f"Guest {i}", "phone": "+44 7700 900123"})),
            ("text", f"Booked: {guests} people on {day.isoformat()} at {at}. See you then!"),
        )
        await self._turn(
            engine, "booking", chat, f"Yes please, Guest {i}, +44 7700 900123", lambda r: r.startswith("Booked")
        )

    async def guided_conversation(self, i: int) -> None:
        chat = f"bench-{self.run}-guided-{i}"
        day, at, guests = self._slot(i + 7)
        engine = self.guided_engine
        ddmm = f"{day.day:02d}.{day.month:02d}"
        if i % 2:
            texts = (f"Столик на {guests} человека {ddmm} в {at}", "Анна", "+44 7700 900123", "да", "мои брони")
        else:
            texts = (
                f"Hi, a table for {guests} on {ddmm} at {at} please",
                "Anna",
                "+44 7700 900123",
                "yes",
                "my reservations",
            )
        ok = lambda r: bool(r.strip())  # noqa: E731 - every guided turn answers; the booking is checked below
        for kind, text in zip(GUIDED_KINDS, texts, strict=True):
            await self._turn(engine, kind, chat, text, ok)


# ------------------------------------------------------------------------- one configuration


class _CountQueries(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def count_queries(driver: Driver) -> dict[str, float]:
    """SQL statements per turn kind logged by Tortoise, over a few conversations; not timed.

    BEGIN/COMMIT/SAVEPOINT are not logged, nor the SQL the availability hot path sends itself
    on PostgreSQL (on a pinned asyncpg connection): on PostgreSQL these counts are a floor.
    """
    logger = logging.getLogger("tortoise.db_client")
    handler = _CountQueries()
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    counts: dict[str, list[int]] = defaultdict(list)
    original = driver._turn

    async def counted(engine: Any, kind: str, *args: Any) -> None:
        before = handler.count
        await original(engine, kind, *args)
        counts[kind].append(handler.count - before)

    driver._turn = counted  # type: ignore[method-assign]
    driver.record = False
    try:
        for i in range(10_000, 10_004):
            await driver.llm_conversation(i)
            await driver.guided_conversation(i)
    finally:
        driver._turn = original  # type: ignore[method-assign]
        logger.removeHandler(handler)
        logger.setLevel(previous)
    return {kind: round(sum(v) / len(v), 1) for kind, v in counts.items()}


async def db_floor(restaurant_id: int, calls: int = 200) -> dict[str, dict]:
    """What one statement costs on this host, for reading the turn figures: a ``SELECT 1`` round
    trip through Tortoise's connection, and one autocommitted ORM insert (like the engine's claim
    of a message id: a commit, so a WAL or journal flush)."""
    conn = connections.get("default")
    select, insert = [], []
    for i in range(calls):
        started = time.perf_counter()
        await conn.execute_query("SELECT 1")
        select.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        await ProcessedMessage.create(restaurant_id=restaurant_id, channel="bench-floor", message_id=str(i))
        insert.append((time.perf_counter() - started) * 1000)
    return {"select_1_ms": percentiles(select), "orm_insert_commit_ms": percentiles(insert)}


async def run_config(
    name: str, backend: str, redis_url: str | None, args: argparse.Namespace, profile: cProfile.Profile | None
) -> dict[str, Any]:
    async with database(backend) as url:
        with tempfile.TemporaryDirectory(prefix="tobeout_bench_engine_") as tmp:
            settings = _settings(Path(tmp), url, redis_url)
            # The built-in booking tools are a plugin like any other: list it, or the LLM turns have no tools.
            tools = PluginConfig(("core.conversation.builtin_tools",), frozenset(), {})
            runtime = make_runtime(settings, make_plugin_manager(tools, entry_points=False))
            await runtime.bus.start()
            llm = InstantLLM()
            llm_engine = ConversationEngine(runtime, llm=llm)
            guided_engine = ConversationEngine(runtime, llm=None)
            try:
                restaurant = await _restaurant()
                driver = Driver(llm_engine, guided_engine, llm, restaurant, uuid.uuid4().hex[:8])
                driver.record = False
                for i in range(args.warmup):
                    await driver.llm_conversation(i)
                    await driver.guided_conversation(i)
                driver.record = True
                if profile is not None:
                    profile.enable()
                started = time.perf_counter()
                total = max(args.conversations, args.guided)
                for i in range(args.warmup, args.warmup + total):  # interleaved, like a live restaurant
                    if i - args.warmup < args.conversations:
                        await driver.llm_conversation(i)
                    if i - args.warmup < args.guided:
                        await driver.guided_conversation(i)
                elapsed = time.perf_counter() - started
                if profile is not None:
                    profile.disable()
                queries = await count_queries(driver) if args.queries else None
                floor = await db_floor(restaurant.id)
                booked = await Reservation.filter(restaurant_id=restaurant.id).count()
                errors = await AiActivity.filter(restaurant_id=restaurant.id, type__in=["error", "fallback"]).count()
            finally:
                await llm_engine.close()
                await guided_engine.close()
                await runtime.bus.close()
                await runtime.cache.close()

    def figures(samples: dict[str, list[float]]) -> dict[str, dict]:
        out = {
            "all LLM turns": percentiles([x for k in LLM_KINDS for x in samples[k]]),
            "all guided turns": percentiles([x for k in GUIDED_KINDS for x in samples[k]]),
        }
        return out | {k: percentiles(samples[k]) for k in (*LLM_KINDS, *GUIDED_KINDS)}

    expected = args.warmup * 2 + args.conversations + args.guided + (8 if args.queries else 0)
    wall = figures(driver.samples)
    return {
        "config": name,
        "turns": wall["all LLM turns"]["n"] + wall["all guided turns"]["n"],
        "seconds": round(elapsed, 1),
        "own_wall_ms": wall,
        "own_cpu_ms": figures(driver.cpu_samples),
        "fake_llm_calls": llm.calls,
        "fake_llm_ms_total": round(llm.seconds * 1000, 1),
        "checks": {
            "reservations": booked,
            "expected_reservations": expected,
            "tool_errors": llm.tool_errors[:5],
            "error_or_fallback_activities": errors,
            "unexpected_replies": driver.failures[:5],
            "unexpected_reply_count": len(driver.failures),
        },
        "sql_statements_per_turn": queries,
        "db_floor": floor,
    }


def _table(results: list[dict]) -> str:
    lines = [
        "| configuration | turns | n | p50 ms | p99 ms | mean ms | CPU p50 ms | CPU mean ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for kind, p in r["own_wall_ms"].items():
            c = r["own_cpu_ms"][kind]
            lines.append(
                f"| {r['config']} | {kind} | {p['n']} | {p['p50']} | {p['p99']} | {p['mean']} "
                f"| {c['p50']} | {c['mean']} |"
            )
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> list[dict]:
    configs = [("postgres + memory cache", "postgres", None), ("sqlite + memory cache", "sqlite", None)]
    if args.redis:
        configs.append(("postgres + redis", "postgres", args.redis))
    if args.only:
        configs = [c for c in configs if args.only in c[0]]
    results = []
    for index, (name, backend, redis_url) in enumerate(configs):
        profile = cProfile.Profile() if args.profile and index == 0 else None
        results.append(await run_config(name, backend, redis_url, args, profile))
        if profile is not None:
            profile.dump_stats(args.profile)
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
    return results


def main(argv: list[str]) -> int:
    """``python -m bench engine [--conversations N] [--guided N] [--warmup N] [--redis URL|--no-redis]
    [--only TEXT] [--queries] [--profile FILE] [--json FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m bench engine")
    parser.add_argument("--conversations", type=int, default=150, help="LLM conversations of 3 turns each")
    parser.add_argument("--guided", type=int, default=100, help="guided conversations of 5 turns each")
    parser.add_argument("--warmup", type=int, default=10, help="conversations of each kind not counted")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Redis for the third configuration")
    parser.add_argument("--no-redis", dest="redis", action="store_const", const=None)
    parser.add_argument("--only", help="run only the configurations whose name contains this")
    parser.add_argument("--queries", action="store_true", help="also count SQL statements per turn kind")
    parser.add_argument("--profile", help="write a cProfile of the first configuration's measured turns here")
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    for name in ("conversations", "guided", "warmup"):
        setattr(args, name, max(0, min(getattr(args, name), 5000)))
    results = asyncio.run(run(args))
    text = json.dumps(results, indent=2, default=str)
    print(text)
    print()
    print(_table(results))
    if args.json:
        Path(args.json).write_text(text)
    failed = [
        r["config"]
        for r in results
        if r["checks"]["unexpected_reply_count"]
        or r["checks"]["tool_errors"]
        or r["checks"]["error_or_fallback_activities"]
        or r["checks"]["reservations"] != r["checks"]["expected_reservations"]
    ]
    if failed:
        print(f"checks failed in: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0
