"""Shared set-up for the reservation, booking, dashboard, timeslot, cache and event tests.

A restaurant is built the way its owner would: sign up, set the hours and time zone
through ``PUT /api/restaurants/profile``, add tables through ``POST /api/tables``.
Time is a :class:`Clock` handed to ``create_app(clock=...)``, fixed at Monday
1 June 2026 09:00 UTC unless a test moves it.

The fixtures are registered for every API test module by ``tests/api/conftest.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from tests.api.helpers import CSRF, create_table, register_owner
from tests.clock import Clock

if TYPE_CHECKING:
    from pathlib import Path

    from api.app import App
    from tests.conftest import AppFactory

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TODAY = "2026-06-01"
DAY = "2026-06-02"
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS = {day: [{"open": "12:00", "close": "23:00"}] for day in WEEK}


@dataclass
class Restaurant:
    """One signed-up restaurant: its owner's client (signed in), ids of what it holds."""

    client: Any
    id: int
    owner: dict[str, Any]
    tables: list[dict[str, Any]] = field(default_factory=list)

    @property
    def table_ids(self) -> list[int]:
        return [t["id"] for t in self.tables]


async def make_restaurant(
    app: Any,
    *,
    tables: tuple[tuple[int, int], ...] = ((1, 2), (2, 4), (2, 6)),
    timezone: str = "Europe/London",
    **profile: Any,
) -> Restaurant:
    """Sign up an owner on a fresh client of ``app``, set hours (12:00-23:00 daily) and zone, add tables."""
    client = app.test_client()
    owner = await register_owner(client)
    body = {"openingHours": HOURS, "timezone": timezone, "avgReservationDuration": 120, **profile}
    response = await client.put("/api/restaurants/profile", json=body, headers=CSRF)
    assert response.status_code == 200, await response.get_data(as_text=True)
    made = [await create_table(client, minGuests=lo, maxGuests=hi) for lo, hi in tables]
    return Restaurant(client=client, id=owner["restaurant"]["id"], owner=owner, tables=made)


async def book(client: Any, *, expect: int | None = 201, headers: dict | None = None, **fields: Any) -> Any:
    """``POST /api/booking/create`` (defaults: tomorrow 19:00, 2 guests, a new guest); returns the JSON."""
    body = {"date": DAY, "time": "19:00", "guests": 2, **fields}
    if "guestId" not in body and "guest" not in body:
        body["guest"] = {"name": "Ada Lovelace", "phone": "+44 20 7946 0001"}
    response = await client.post("/api/booking/create", json=body, headers=headers or CSRF)
    if expect is not None:
        assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


@pytest.fixture(name="clock")
def clock_fixture() -> Clock:
    """The API tests' clock, starting at :data:`NOW`."""
    return Clock(NOW)


@pytest.fixture(name="booking_app")
async def booking_app_fixture(app_factory: AppFactory, postgres_url: str, clock: Clock) -> App:
    """The app on PostgreSQL (in-process cache and bus) with the test clock."""
    return await app_factory(postgres_url, clock=clock)


@pytest.fixture(name="place")
async def place_fixture(booking_app: App) -> Restaurant:
    """A restaurant with three tables (1-2, 2-4, 2-6 seats), open 12:00-23:00 every day, owner signed in."""
    return await make_restaurant(booking_app)


# --- Server-Sent Events ----------------------------------------------------------------------


class SseStream:
    """Reads ``GET /api/events`` through Quart's streaming test connection, one event at a time."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.buffer = ""
        self.comments: list[str] = []

    async def _block(self, timeout: float) -> str | None:
        deadline = asyncio.get_running_loop().time() + timeout
        while "\n\n" not in self.buffer:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return None
            try:
                chunk = await asyncio.wait_for(self.connection.receive(), left)
            except TimeoutError:
                return None
            self.buffer += chunk.decode()
        block, self.buffer = self.buffer.split("\n\n", 1)
        return block

    async def next_event(self, timeout: float = 5.0) -> dict[str, Any] | None:
        """The next event as ``{"event", "data" (parsed JSON), "id"}``; comments are collected on the way.
        None when no event came within ``timeout`` seconds."""
        deadline = asyncio.get_running_loop().time() + timeout
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            block = await self._block(left)
            if block is None:
                return None
            fields: dict[str, Any] = {}
            for line in block.split("\n"):
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                    continue
                name, _, value = line.partition(": ")
                fields[name] = value
            if "event" in fields:
                fields["data"] = json.loads(fields["data"])
                return fields
        return None

    async def events_within(self, seconds: float) -> list[dict[str, Any]]:
        """Every event that arrives within ``seconds``."""
        found, deadline = [], asyncio.get_running_loop().time() + seconds
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            event = await self.next_event(left)
            if event is not None:
                found.append(event)
        return found


@contextlib.asynccontextmanager
async def open_stream(app: Any, path: str = "/api/events", headers: dict | None = None) -> AsyncIterator[SseStream]:
    """Open an SSE stream on ``app`` (a fresh client, so pass a bearer token or a cookie in ``headers``);
    waits for the ``connected`` comment, so the subscription is live when the block starts."""
    client = app.test_client()
    async with client.request(path, headers=headers or {}) as connection:
        await connection.send_complete()
        stream = SseStream(connection)
        try:
            first = await stream._block(5.0)
            assert connection.status_code == 200, connection.status_code
            assert connection.headers["Content-Type"].startswith("text/event-stream")
            assert first is not None and ": connected" in first, first
            yield stream
        finally:
            await connection.disconnect()


# --- a Redis of the test's own ----------------------------------------------------------------


@pytest.fixture(name="private_redis")
async def private_redis_fixture(tmp_path: Path) -> AsyncIterator[str]:
    """A redis-server of this test alone on a free loopback port; yields its URL.

    Redis pub/sub channels are server-wide (the database number does not separate them), and
    the shared test Redis is flushed by every test of every concurrent run; the cache and
    live-event tests need a server nobody else publishes to or flushes.
    """
    import redis.asyncio as aioredis

    from tests.conftest import unavailable

    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server", "not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = aioredis.from_url(url)
    try:
        for _ in range(100):
            with contextlib.suppress(Exception):
                if await client.ping():
                    break
            await asyncio.sleep(0.05)
        else:
            unavailable("redis-server", "did not start")
        yield url
    finally:
        await client.aclose()
        process.terminate()
        await process.wait()
