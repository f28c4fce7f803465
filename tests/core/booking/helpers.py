"""Small factories for the booking engine's tests: restaurants, tables, a service with a fixed clock."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from core.booking.hours import WEEKDAYS
from core.booking.service import BookingRequest, BookingService, GuestInput
from core.events import DomainEvent, EventBus
from core.models import Reservation, ReservationTable, Restaurant, Table

# Monday 1 June 2026, 08:00 UTC = 09:00 in London.
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
DAY = "2026-06-02"  # a Tuesday
#: 19:20 in London on DAY: a 19:00 booking may be seated or marked a no-show then (core.booking.guards).
EVENING = datetime(2026, 6, 2, 18, 20, tzinfo=UTC)
NOON_TO_ELEVEN = {day: [{"open": "12:00", "close": "23:00"}] for day in WEEKDAYS}
_phones = itertools.count(100)


async def make_restaurant(**values: object) -> Restaurant:
    """A London restaurant open 12:00-23:00 every day (override any column)."""
    defaults: dict[str, object] = {
        "name": "Test Bistro",
        "timezone": "Europe/London",
        "opening_hours": NOON_TO_ELEVEN,
    }
    return await Restaurant.create(**{**defaults, **values})


async def make_tables(restaurant: Restaurant, *specs: tuple) -> list[Table]:
    """Tables from ``(name, min, max[, combinable[, priority]])`` tuples, in order."""
    tables = []
    for spec in specs:
        name, low, high, *rest = spec
        combinable = rest[0] if rest else False
        priority = rest[1] if len(rest) > 1 else 0
        tables.append(
            await Table.create(
                restaurant=restaurant,
                name=name,
                min_guests=low,
                max_guests=high,
                combinable=combinable,
                priority=priority,
            )
        )
    return tables


class Recorder:
    """An event bus handler that keeps what was published."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[DomainEvent] = []
        bus.add_handler(self.events.append)

    def types(self) -> list[str]:
        return [e.type for e in self.events]


def make_service(now: datetime = NOW, bus: EventBus | None = None) -> BookingService:
    """A booking service on ``bus`` (a fresh in-process one by default) whose clock is fixed at ``now``."""
    return BookingService(bus or EventBus(), clock=lambda: now)


def guest_input(name: str = "Ann") -> GuestInput:
    """A guest with a fresh UK mobile number."""
    return GuestInput(name=name, phone=f"+4477009{next(_phones):05d}")


async def book(
    service: BookingService, restaurant: Restaurant, time: str, guests: int = 2, *, date: str = DAY, **kwargs: object
) -> Reservation:
    """Create a booking through the service (a new guest unless ``guest_id``/``guest`` is given)."""
    if "guest_id" not in kwargs and "guest" not in kwargs:
        kwargs["guest"] = guest_input()
    return await service.create(restaurant.id, BookingRequest(date=date, time=time, guests=guests, **kwargs))


async def overlapping_allocations(restaurant_id: int) -> list[tuple[int, int, int]]:
    """(table, reservation, reservation) triples of active allocations that overlap on one table."""
    rows = await ReservationTable.filter(restaurant_id=restaurant_id, active=True).values_list(
        "table_id", "reservation_id", "starts_at", "blocked_until"
    )
    clashes = []
    for i, (table, res, start, until) in enumerate(rows):
        for table2, res2, start2, until2 in rows[i + 1 :]:
            if table == table2 and start < until2 and start2 < until:
                clashes.append((table, res, res2))
    return clashes
