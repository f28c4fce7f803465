"""The hot reads of availability, as lean as the database allows.

Each is one call into the storage seam (:mod:`core.storage`): on PostgreSQL
hand-written SQL (one round trip each; the allocations of a window are one range
scan of the ``reservation_tables (restaurant_id, starts_at)`` index), on SQLite
the ORM. Every query is scoped by restaurant.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from tortoise import connections

from core.booking.hours import MAX_DURATION
from core.models import Guest, Restaurant, Table
from core.storage import orm, storage
from core.storage.base import Allocation

#: No allocation blocks longer than this (the longest booking plus a day of buffer).
LOOKBACK = timedelta(minutes=MAX_DURATION + 24 * 60)


class Booked(NamedTuple):
    """One active allocation: a table held by a reservation of ``guests`` guests."""

    table_id: int
    reservation_id: int
    starts_at: datetime
    blocked_until: datetime
    guests: int


class Bookings:
    """The active allocations of one window, indexed for repeated checks."""

    def __init__(self, rows: Iterable[Booked]) -> None:
        self.by_table: dict[int, list[Booked]] = {}
        self.starts: dict[int, tuple[datetime, int]] = {}
        for row in rows:
            self.by_table.setdefault(row.table_id, []).append(row)
            self.starts[row.reservation_id] = (row.starts_at, row.guests)

    def busy(self, start: datetime, until: datetime) -> set[int]:
        """Ids of tables held at any moment of ``[start, until)``."""
        return {
            table_id
            for table_id, rows in self.by_table.items()
            if any(r.starts_at < until and r.blocked_until > start for r in rows)
        }

    def covers_starting(self, lo: datetime, hi: datetime) -> int:
        """Guests of the reservations starting in ``[lo, hi)``."""
        return sum(guests for starts_at, guests in self.starts.values() if lo <= starts_at < hi)


def pinned() -> contextlib.AbstractAsyncContextManager[None]:
    """Run the reads of this module inside on one pooled PostgreSQL connection instead of acquiring
    (and resetting) one per query; :mod:`core.booking.placement` runs its transaction on it too. Only
    these may run inside: an ORM query there would wait for a second connection (and with every
    pooled connection pinned, wait forever). A no-op on SQLite, inside a transaction, or when
    already pinned (:meth:`core.storage.base.Storage.pinned`)."""
    return storage().pinned()


def database_key() -> tuple[object, object, object]:
    """Which database the default connection reaches: (host, port, database name)."""
    conn = orm.pool_client(connections.get("default"))
    return getattr(conn, "host", None), getattr(conn, "port", None), getattr(conn, "database", None)


async def setting_version(restaurant_id: int) -> str | None:
    """A fingerprint of the restaurant's row and of its tables' rows (PostgreSQL's row versions): equal
    fingerprints mean unchanged rows. None on SQLite (no fingerprint) or for an unknown restaurant."""
    return await storage().setting_version(restaurant_id)


async def restaurant(restaurant_id: int) -> Restaurant | None:
    """The restaurant row, or None."""
    return await storage().restaurant(restaurant_id)


async def tables(restaurant_id: int) -> list[Table]:
    """The restaurant's tables, by id."""
    return await storage().tables(restaurant_id)


async def guest(restaurant_id: int, *, guest_id: int | None = None, phone: str | None = None) -> Guest | None:
    """The restaurant's guest with this id, else the first (by id) with this E.164 ``phone``; or None."""
    return await storage().guest(restaurant_id, guest_id=guest_id, phone=phone)


async def allocations(
    restaurant_id: int,
    lo: datetime,
    hi: datetime,
    exclude_reservation_id: int | None,
    *,
    with_guests: bool = True,
    lookback: timedelta = LOOKBACK,
) -> list[Allocation]:
    """``(table_id, reservation_id, starts_at, blocked_until, guests)`` of the restaurant's active
    allocations that overlap ``[lo, hi)`` (those of ``exclude_reservation_id`` left out). Without
    ``with_guests`` the guests column is 0. ``lookback`` bounds how long before ``lo`` an overlapping
    allocation may start."""
    return await storage().allocations(
        restaurant_id, lo, hi, exclude_reservation_id, with_guests=with_guests, lookback=lookback
    )
