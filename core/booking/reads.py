"""The hot reads of availability, as lean as the database allows.

On PostgreSQL these are hand-written SQL through the connection (no query
building, one round trip each); the allocations of a window are one range scan
of the ``reservation_tables (restaurant_id, starts_at)`` index. SQLite (the
embedded default) runs the same reads through the ORM. Every query is scoped
by restaurant.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable, Sequence
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient

from core import orm
from core.booking.hours import MAX_DURATION
from core.models import Guest, ReservationTable, Restaurant, Table, TableStatus

# Without the guests (only pacing needs them) the join is avoided; the bounds on starts_at make it one
# range scan of the (restaurant_id, starts_at) index.
_ALLOCATIONS_PG = """
SELECT a.table_id, a.reservation_id, a.starts_at, a.blocked_until, {guests}
FROM reservation_tables a
WHERE a.restaurant_id = $1 AND a.active AND a.starts_at < $2 AND a.starts_at >= $3 AND a.blocked_until > $4
  AND a.reservation_id <> $5
"""
_GUESTS = "(SELECT r.guests FROM reservations r WHERE r.id = a.reservation_id)"
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


_pinned: ContextVar[Any] = ContextVar("tobeout_reads_connection", default=None)


def _pg() -> BaseDBAsyncClient | None:
    conn = connections.get("default")
    return conn if conn.capabilities.dialect == "postgres" else None


@contextlib.asynccontextmanager
async def pinned() -> AsyncIterator[None]:
    """Run the reads of this module inside on one pooled PostgreSQL connection instead of acquiring
    (and resetting) one per query; :mod:`core.booking.placement` runs its transaction on it too. Only
    these may run inside: an ORM query there would wait for a second connection (and with every
    pooled connection pinned, wait forever). A no-op on SQLite, inside a transaction, or when
    already pinned."""
    conn = _pg()
    if conn is None or isinstance(conn, TransactionalDBClient) or _pinned.get() is not None:
        yield
        return
    async with conn.acquire_connection() as raw:
        token = _pinned.set(raw)
        try:
            yield
        finally:
            _pinned.reset(token)


async def _fetch(conn: BaseDBAsyncClient, sql: str, args: Sequence[object]) -> list[Any]:
    raw = _pinned.get()
    if raw is not None:
        return list(await raw.fetch(sql, *args))
    _, rows = await conn.execute_query(sql, list(args))
    return list(rows)


def pinned_connection() -> Any | None:
    """The asyncpg connection :func:`pinned` holds for this task, or None."""
    return _pinned.get()


async def fetch(sql: str, args: Sequence[object]) -> list[Any]:
    """PostgreSQL only: the rows of ``sql`` on the pinned connection (inside :func:`pinned`), else on
    Tortoise's current connection (the transaction's inside ``in_transaction``)."""
    return await _fetch(connections.get("default"), sql, args)


# Every committed change to a row gives it a new xmin (transaction ids are unique in the cluster),
# so this changes whenever the restaurant row or any of its tables is updated, added or deleted.
_SETTING_VERSION_PG = """
SELECT r.xmin::text || '/' || coalesce((SELECT md5(string_agg(t.id::text || '.' || t.xmin::text, ',' ORDER BY t.id))
                                        FROM "tables" t WHERE t.restaurant_id = r.id), '')
FROM "restaurants" r WHERE r.id = $1
"""


def database_key() -> tuple[object, object, object]:
    """Which database the default connection reaches: (host, port, database name)."""
    conn = orm.pool_client(connections.get("default"))
    return getattr(conn, "host", None), getattr(conn, "port", None), getattr(conn, "database", None)


async def setting_version(restaurant_id: int) -> str | None:
    """A fingerprint of the restaurant's row and of its tables' rows (PostgreSQL's row versions): equal
    fingerprints mean unchanged rows. None on SQLite (no fingerprint) or for an unknown restaurant."""
    conn = _pg()
    if conn is None:
        return None
    rows = await _fetch(conn, _SETTING_VERSION_PG, [restaurant_id])
    return rows[0][0] if rows else None


async def restaurant(restaurant_id: int) -> Restaurant | None:
    """The restaurant row, or None."""
    conn = _pg()
    if conn is None:
        return await Restaurant.get_or_none(id=restaurant_id)
    rows = await _fetch(conn, 'SELECT * FROM "restaurants" WHERE id = $1', [restaurant_id])
    return orm.from_row(Restaurant, rows[0]) if rows else None


async def tables(restaurant_id: int) -> list[Table]:
    """The restaurant's tables, by id."""
    conn = _pg()
    if conn is None:
        return list(await Table.filter(restaurant_id=restaurant_id).order_by("id"))
    rows = await _fetch(conn, 'SELECT * FROM "tables" WHERE restaurant_id = $1 ORDER BY id', [restaurant_id])
    return [to_table(row) for row in rows]


async def guest(restaurant_id: int, *, guest_id: int | None = None, phone: str | None = None) -> Guest | None:
    """The restaurant's guest with this id, else the first (by id) with this E.164 ``phone``; or None."""
    conn = _pg()
    if conn is None:
        query = Guest.filter(restaurant_id=restaurant_id)
        query = query.filter(id=guest_id) if guest_id is not None else query.filter(phone=phone)
        return await query.order_by("id").first()
    args: list[object]
    if guest_id is not None:
        sql, args = 'SELECT * FROM "guests" WHERE restaurant_id = $1 AND id = $2', [restaurant_id, guest_id]
    else:
        sql = 'SELECT * FROM "guests" WHERE restaurant_id = $1 AND phone = $2 ORDER BY id LIMIT 1'
        args = [restaurant_id, phone]
    rows = await _fetch(conn, sql, args)
    return orm.from_row(Guest, rows[0]) if rows else None


def to_table(row: Any) -> Table:
    """A ``Table`` from a row, like :func:`core.orm.from_row` but a fraction of its cost: the asyncpg
    values are already Python values except the status enum (100 tables per check add up)."""
    return orm.from_python_values(Table, row.items(), status=TableStatus(row["status"]))


async def allocations(
    restaurant_id: int,
    lo: datetime,
    hi: datetime,
    exclude_reservation_id: int | None,
    *,
    with_guests: bool = True,
    lookback: timedelta = LOOKBACK,
) -> list[tuple[int, int, datetime, datetime, int]]:
    """``(table_id, reservation_id, starts_at, blocked_until, guests)`` of the restaurant's active
    allocations that overlap ``[lo, hi)`` (those of ``exclude_reservation_id`` left out). Without
    ``with_guests`` the guests column is 0. ``lookback`` bounds how long before ``lo`` an overlapping
    allocation may start."""
    conn = _pg()
    if conn is not None:
        sql = _ALLOCATIONS_PG.format(guests=_GUESTS if with_guests else "0")
        args = [restaurant_id, hi, lo - lookback, lo, exclude_reservation_id or 0]
        return [tuple(row.values()) for row in await _fetch(conn, sql, args)]
    query = ReservationTable.filter(
        restaurant_id=restaurant_id,
        active=True,
        starts_at__lt=hi,
        starts_at__gte=lo - lookback,
        blocked_until__gt=lo,
    )
    if exclude_reservation_id is not None:
        query = query.exclude(reservation_id=exclude_reservation_id)
    fields = ["table_id", "reservation_id", "starts_at", "blocked_until"]
    if not with_guests:
        return [(*row, 0) for row in await query.values_list(*fields)]
    return list(await query.values_list(*fields, "reservation__guests"))
