"""Shared set-up for the reservation, booking, dashboard, timeslot, cache and event tests.

A restaurant is built the way its owner would: sign up, set the hours and time zone
through ``PUT /api/restaurants/profile``, add tables through ``POST /api/tables``.
Time is a :class:`Clock` handed to ``create_app(clock=...)``, fixed at Monday
1 June 2026 09:00 UTC unless a test moves it.

Test modules import the fixtures they use by their function names (``place_fixture``...);
pytest knows them by their ``name`` (``place``...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api.helpers import CSRF, create_table, register_owner

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TODAY = "2026-06-01"
DAY = "2026-06-02"
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS = {day: [{"open": "12:00", "close": "23:00"}] for day in WEEK}


class Clock:
    """A settable clock: ``clock()`` is the current instant."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


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
    app: Any, *, tables: tuple[tuple[int, int], ...] = ((1, 2), (2, 4), (2, 6)), timezone: str = "Europe/London",
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
    return Clock()


@pytest.fixture(name="booking_app")
async def booking_app_fixture(app_factory, postgres_url, clock):  # type: ignore[no-untyped-def]
    """The app on PostgreSQL (in-process cache and bus) with the test clock."""
    return await app_factory(postgres_url, clock=clock)


@pytest.fixture(name="place")
async def place_fixture(booking_app) -> Restaurant:  # type: ignore[no-untyped-def]
    """A restaurant with three tables (1-2, 2-4, 2-6 seats), open 12:00-23:00 every day, owner signed in."""
    return await make_restaurant(booking_app)
