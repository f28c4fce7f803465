"""The storage seam on SQLite, the embedded default: the ORM, and a process-wide lock for writers.

SQLite ignores row locks, so the booking engine's writers and guest creation are serialised per database
file and event loop by ``asyncio`` locks (the embedded default runs one process). The driver cannot bind
time values: they are bound as ``HH:MM:SS`` text (the adapter registered below), as the schema stores them.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable
from typing import cast

from tortoise import connections

from core.models import (
    ACTIVE_STATUSES,
    AiActivity,
    Conversation,
    ConversationMessage,
    Guest,
    GuestIdentity,
    IntegrationSetting,
    Reservation,
    ReservationTable,
    Restaurant,
    Table,
    Timeslot,
)
from core.storage import orm, rows
from core.storage.base import Allocation, Arrival, Arrived, Held, NewBooking, SqlSpelling, TurnWrite
from core.storage.orm import in_transaction

_CLAIM = (
    'INSERT INTO "processed_messages" ("restaurant_id", "channel", "message_id", "created_at") '
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING RETURNING id"
)
_CONVERSATION = (
    'SELECT * FROM "conversations" WHERE "restaurant_id" = ?1 AND "channel" = ?2 AND "external_chat_id" = ?3 LIMIT 1'
)
_IDENTITY = (
    'SELECT "guest_id" FROM "guest_identities" WHERE "restaurant_id" = ?1 AND "channel" = ?2 AND "external_id" = ?3 '
    "LIMIT 1"
)

sqlite3.register_adapter(dt.time, lambda value: value.isoformat())

#: Grid entries per INSERT of timeslots (each binds two values).
_TIMESLOT_CHUNK = 400
_NUMBERED = re.compile(r"\$(\d+)")

_write_locks: dict[tuple[int, str], asyncio.Lock] = {}
_guest_locks: dict[tuple[int, str], asyncio.Lock] = {}


def _database() -> tuple[int, str]:
    """This event loop and the default connection's database file."""
    return id(asyncio.get_running_loop()), str(getattr(connections.get("default"), "filename", ""))


class SqliteSql:
    """SQLite's spellings (:class:`core.storage.base.SqlSpelling`)."""

    def instant(self, expr: str) -> str:
        """ISO text compared as Julian days."""
        return f"julianday({expr})"

    def seconds_between(self, start: str, end: str) -> str:
        """Elapsed seconds from ``start`` to ``end``, through Julian days."""
        return f"((julianday({end}) - julianday({start})) * 86400.0)"

    def hour_of(self, local_time: str) -> str:
        """The hour (0-23) of ``HH:MM:SS`` text."""
        return f"CAST(substr({local_time}, 1, 2) AS INTEGER)"

    def weekday_of(self, local_date: str) -> str:
        """The weekday of a date column, Monday 0 ... Sunday 6."""
        return f"((CAST(strftime('%w', {local_date}) AS INTEGER) + 6) % 7)"

    def json_text(self, column: str, *path: str) -> str:
        """The text at ``path`` inside a JSON column (NULL when absent)."""
        return f"json_extract({column}, '$.{'.'.join(path)}')"

    def json_list_has(self, column: str, value: str) -> str:
        """``json_each`` of the list."""
        return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE value = '{value}')"

    def param_instant(self, value: dt.datetime) -> dt.datetime | str:
        """ISO text, next to :meth:`instant`."""
        return value.isoformat()

    def param_date(self, value: dt.date) -> dt.date | str:
        """ISO text."""
        return value.isoformat()

    def params(self, sql: str) -> str:
        """``$n`` as ``?n``."""
        return _NUMBERED.sub(r"?\1", sql)

    def lock_skipping(self, alias: str) -> str:
        """Nothing: no row locks (one writer at a time)."""
        return ""


class SqliteStorage:
    """The storage seam on SQLite (:class:`core.storage.base.Storage`)."""

    name = "sqlite"
    skip_locked = False
    sql: SqlSpelling = SqliteSql()

    def pinned(self) -> contextlib.AbstractAsyncContextManager[None]:
        """Nothing to pin: one connection."""
        return contextlib.nullcontext()

    def transaction(self, *, orm: bool) -> contextlib.AbstractAsyncContextManager[object]:
        """The ORM's transaction."""
        return in_transaction()

    @contextlib.asynccontextmanager
    async def write_lock(self) -> AsyncIterator[None]:
        """The database file's writer lock (per event loop)."""
        async with _write_locks.setdefault(_database(), asyncio.Lock()):
            yield

    def contact_lock(self, restaurant_id: int, key: str) -> contextlib.AbstractAsyncContextManager[None]:
        """The restaurant's guest lock, whatever the contact."""
        return self.guest_create_lock(restaurant_id)

    def guest_create_lock(self, restaurant_id: int) -> contextlib.AbstractAsyncContextManager[None]:
        """The restaurant's guest lock (per database file and event loop)."""
        return _guest_locks.setdefault((restaurant_id, f"{_database()}"), asyncio.Lock())

    async def create_guest_with_identity(self, guest: Guest, channel: str, external_id: str) -> Guest:
        """The ORM's two INSERTs in one transaction."""
        async with in_transaction():
            await guest.save()
            await GuestIdentity.create(
                restaurant_id=guest.restaurant_id, guest_id=guest.id, channel=channel, external_id=external_id
            )
        return guest

    async def setting_version(self, restaurant_id: int) -> str | None:
        """None: SQLite keeps no row versions."""
        return None

    async def restaurant(self, restaurant_id: int) -> Restaurant | None:
        """The restaurant row, or None."""
        return await Restaurant.get_or_none(id=restaurant_id)

    async def tables(self, restaurant_id: int) -> list[Table]:
        """The restaurant's tables, by id."""
        return list(await Table.filter(restaurant_id=restaurant_id).order_by("id"))

    async def guest(self, restaurant_id: int, *, guest_id: int | None = None, phone: str | None = None) -> Guest | None:
        """The guest by id, else the first by phone."""
        query = Guest.filter(restaurant_id=restaurant_id)
        query = query.filter(id=guest_id) if guest_id is not None else query.filter(phone=phone)
        return await query.order_by("id").first()

    async def guest_by_identity(self, restaurant_id: int, channel: str, external_id: str) -> Guest | None:
        """The identity's row, then the guest's."""
        links = await connections.get("default").execute_query_dict(_IDENTITY, [restaurant_id, channel, external_id])
        return await self.guest(restaurant_id, guest_id=int(links[0]["guest_id"])) if links else None

    async def allocations(
        self,
        restaurant_id: int,
        lo: dt.datetime,
        hi: dt.datetime,
        exclude_reservation_id: int | None,
        *,
        with_guests: bool,
        lookback: dt.timedelta,
    ) -> list[Allocation]:
        """The ORM's ``values_list`` of the allocations (joined to the reservation for its guests)."""
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

    async def lock_restaurant(self, restaurant_id: int) -> None:
        """The ORM's ``select_for_update`` (a no-op on SQLite: the write lock serialises)."""
        await Restaurant.filter(id=restaurant_id).select_for_update(no_key=True).first()

    async def lock_tables(self, restaurant_id: int, ids: list[int], *, skip_locked: bool) -> list[Table]:
        """The tables, in id order (the write lock serialises)."""
        query = Table.filter(restaurant_id=restaurant_id, id__in=ids).select_for_update(
            skip_locked=skip_locked, no_key=True
        )
        return list(await query.order_by("id"))

    async def clashes(
        self, restaurant_id: int, ids: list[int], start: dt.datetime, until: dt.datetime, exclude_id: int | None
    ) -> bool:
        """The ORM's ``exists``."""
        clash = ReservationTable.filter(
            restaurant_id=restaurant_id, table_id__in=ids, active=True, starts_at__lt=until, blocked_until__gt=start
        )
        if exclude_id is not None:
            clash = clash.exclude(reservation_id=exclude_id)
        return await clash.exists()

    async def covers_starting(
        self, restaurant_id: int, lo: dt.datetime, hi: dt.datetime, exclude_id: int | None
    ) -> int:
        """The guests of the reservations starting, added up here."""
        starting = Reservation.filter(
            restaurant_id=restaurant_id, status__in=list(ACTIVE_STATUSES), starts_at__gte=lo, starts_at__lt=hi
        )
        if exclude_id is not None:
            starting = starting.exclude(id=exclude_id)
        guests = cast(list[int], await starting.values_list("guests", flat=True))  # flat: one column, not tuples
        return sum(guests)

    async def insert_booking(self, booking: NewBooking) -> Reservation | None:
        """The re-check, then the rows one by one through the ORM."""
        slot, rid, tables = booking.slot, booking.restaurant_id, booking.tables
        if await self.clashes(rid, [t.id for t in tables], slot.start, slot.until, None):
            return None
        written = await Reservation.create(
            restaurant_id=rid,
            guest_id=booking.guest.id,
            table_id=tables[0].id,
            timeslot_id=await rows.timeslot_id(rid, tables[0].id, slot),
            date=slot.date,
            time=slot.time,
            duration=slot.duration,
            guests=slot.guests,
            status=booking.status,
            comments=booking.comments,
            tags=booking.tags,
            source=booking.source,
            starts_at=slot.start,
            ends_at=slot.end,
            created_at=booking.created_at,
        )
        allocations = await rows.allocate(written, tables, slot)
        if booking.history is not None:
            await rows.record_history(written, *booking.history, at=booking.created_at)
        values = orm.column_values(written)
        return orm.as_saved(Reservation, **values, guest=booking.guest, table=tables[0], allocations=allocations)

    async def reactivation_clashes(self, restaurant_id: int, reservation_id: int, held: list[Held]) -> bool:
        """Another active allocation overlapping one held (checked under the write lock)."""
        for table_id, starts_at, blocked_until in held:
            clash = (
                await ReservationTable.filter(
                    restaurant_id=restaurant_id,
                    table_id=table_id,
                    active=True,
                    starts_at__lt=blocked_until,
                    blocked_until__gt=starts_at,
                )
                .exclude(reservation_id=reservation_id)
                .exists()
            )
            if clash:
                return True
        return False

    async def claim_and_read(self, arrival: Arrival) -> Arrived:
        """The claim, then each read (no data-modifying CTEs in SQLite)."""
        client = connections.get("default")
        rid = arrival.restaurant_id
        if not await client.execute_query_dict(_CLAIM, [rid, arrival.channel, arrival.message_id, arrival.at]):
            return Arrived(False)
        rows = await client.execute_query_dict(_CONVERSATION, [rid, arrival.channel, arrival.chat_id])
        conversation = orm.from_row(Conversation, rows[0]) if rows else None
        guest = None
        if conversation is not None and conversation.guest_id is not None:
            guest = await self.guest(rid, guest_id=conversation.guest_id)
        if guest is None:
            guest = await self.guest_by_identity(rid, arrival.channel, arrival.sender_id)
        integration = await IntegrationSetting.get_or_none(restaurant_id=rid, type=arrival.integration_type)
        return Arrived(True, conversation, guest, integration)

    async def write_turn(self, turn: TurnWrite) -> list[int]:
        """The ORM's statements in one transaction (one commit)."""
        async with in_transaction():
            await turn.conversation.save()
            ids = []
            for role, text in turn.messages:
                message = await ConversationMessage.create(
                    conversation_id=turn.conversation.id, role=role, text=text, created_at=turn.at
                )
                ids.append(message.id)
            if turn.activity:
                await AiActivity.bulk_create(turn.activity)
        return ids

    async def insert_timeslots(
        self,
        restaurant_id: int,
        duration: int,
        grid: list[tuple[dt.date, dt.time]],
        tables: list[int],
        dates: tuple[dt.date, dt.date],
        now: dt.datetime,
    ) -> int:
        """Chunks of ``VALUES`` (``INSERT OR IGNORE``), counted before and after."""
        first, last = dates

        def count() -> Awaitable[int]:
            return Timeslot.filter(restaurant_id=restaurant_id, date__gte=first, date__lte=last).count()

        before = await count()
        marks = ", ".join("?" for _ in tables)
        for at in range(0, len(grid), _TIMESLOT_CHUNK):
            chunk = grid[at : at + _TIMESLOT_CHUNK]
            values = ", ".join("(?, ?)" for _ in chunk)
            args: list[object] = [restaurant_id, duration, now.astimezone(dt.UTC).isoformat(sep=" ")]
            for d, t in chunk:
                args += [d.isoformat(), t.isoformat()]
            args += tables
            await connections.get("default").execute_query(
                "INSERT OR IGNORE INTO timeslots (restaurant_id, table_id, date, time, duration, status, created_at) "
                f"SELECT ?, t.id, g.column1, g.column2, ?, 'free', ? FROM (VALUES {values}) AS g "
                f"CROSS JOIN tables AS t WHERE t.id IN ({marks})",
                args,
            )
            await asyncio.sleep(0)  # let other requests in between chunks
        return await count() - before
