"""The storage seam on PostgreSQL: hand-written statements, one round trip each, no query building.

The hot reads and a booking attempt's statements run on one pooled connection when the caller pinned one
(:meth:`PostgresStorage.pinned`); otherwise on Tortoise's current connection (the transaction's inside
``in_transaction``). Row locks (``FOR NO KEY UPDATE``, ``SKIP LOCKED``) and the exclusion constraints keep
concurrent writers apart, in one process or many.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import zlib
from collections.abc import AsyncIterator, Sequence
from contextvars import ContextVar
from typing import Any

from tortoise import connections, timezone
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.models import Model

from core.models import (
    ACTIVE_STATUSES,
    AiActivity,
    Conversation,
    Guest,
    IntegrationSetting,
    Reservation,
    ReservationTable,
    Restaurant,
    Table,
    TableStatus,
)
from core.storage import orm
from core.storage.base import Allocation, Arrival, Arrived, Held, NewBooking, SqlSpelling, TurnWrite
from core.storage.orm import in_transaction

_pinned: ContextVar[Any] = ContextVar("tobeout_pinned_connection", default=None)


async def fetch(sql: str, args: Sequence[object]) -> list[Any]:
    """The rows of ``sql`` on the pinned connection (inside :meth:`PostgresStorage.pinned`), else on
    Tortoise's current connection."""
    raw = _pinned.get()
    if raw is not None:
        return list(await raw.fetch(sql, *args))
    _, rows = await connections.get("default").execute_query(sql, list(args))
    return list(rows)


def to_table(row: Any) -> Table:
    """A ``Table`` from a row, like :func:`core.storage.orm.from_row` but a fraction of its cost: the asyncpg
    values are already Python values except the status enum (100 tables per check add up)."""
    return orm.from_python_values(Table, row.items(), status=TableStatus(row["status"]))


class PostgresSql:
    """PostgreSQL's spellings (:class:`core.storage.base.SqlSpelling`)."""

    def instant(self, expr: str) -> str:
        """``expr`` as it is: ``timestamptz`` values compare and subtract."""
        return expr

    def seconds_between(self, start: str, end: str) -> str:
        """Elapsed seconds from ``start`` to ``end``."""
        return f"EXTRACT(EPOCH FROM ({end} - {start}))"

    def hour_of(self, local_time: str) -> str:
        """The hour (0-23) of a ``TIME`` column."""
        return f"CAST(EXTRACT(HOUR FROM {local_time}) AS INTEGER)"

    def weekday_of(self, local_date: str) -> str:
        """The weekday of a date column, Monday 0 ... Sunday 6."""
        return f"(CAST(EXTRACT(ISODOW FROM {local_date}) AS INTEGER) - 1)"

    def json_text(self, column: str, *path: str) -> str:
        """The text at ``path`` inside a JSON column (NULL when absent)."""
        inner = "".join(f"->'{key}'" for key in path[:-1])
        return f"({column}{inner}->>'{path[-1]}')"

    def json_list_has(self, column: str, value: str) -> str:
        """jsonb containment."""
        return f"{column} @> '[\"{value}\"]'::jsonb"

    def param_instant(self, value: dt.datetime) -> dt.datetime | str:
        """The datetime as it is."""
        return value

    def param_date(self, value: dt.date) -> dt.date | str:
        """The date as it is."""
        return value

    def params(self, sql: str) -> str:
        """``sql`` as it is: ``$n`` is PostgreSQL's own spelling."""
        return sql

    def lock_skipping(self, alias: str) -> str:
        """Lock the claimed rows, skipping those another transaction holds."""
        return f"FOR NO KEY UPDATE OF {alias} SKIP LOCKED"


# Without the guests (only pacing needs them) the join is avoided; the bounds on starts_at make it one
# range scan of the (restaurant_id, starts_at) index.
_ALLOCATIONS = """
SELECT a.table_id, a.reservation_id, a.starts_at, a.blocked_until, {guests}
FROM reservation_tables a
WHERE a.restaurant_id = $1 AND a.active AND a.starts_at < $2 AND a.starts_at >= $3 AND a.blocked_until > $4
  AND a.reservation_id <> $5
"""
_GUESTS = "(SELECT r.guests FROM reservations r WHERE r.id = a.reservation_id)"

# Every committed change to a row gives it a new xmin (transaction ids are unique in the cluster),
# so this changes whenever the restaurant row or any of its tables is updated, added or deleted.
_SETTING_VERSION = """
SELECT r.xmin::text || '/' || coalesce((SELECT md5(string_agg(t.id::text || '.' || t.xmin::text, ',' ORDER BY t.id))
                                        FROM "tables" t WHERE t.restaurant_id = r.id), '')
FROM "restaurants" r WHERE r.id = $1
"""

_LOCK_TABLES = 'SELECT * FROM "tables" WHERE restaurant_id = $1 AND id = ANY($2::int[]) ORDER BY id FOR NO KEY UPDATE'
_CLASH = """SELECT 1 FROM "reservation_tables" WHERE restaurant_id = $1 AND table_id = ANY($2::int[]) AND active
AND starts_at < $3 AND blocked_until > $4 AND reservation_id <> $5 LIMIT 1"""
_COVERS = """SELECT coalesce(sum(guests), 0) FROM "reservations" WHERE restaurant_id = $1 AND status = ANY($2::text[])
AND starts_at >= $3 AND starts_at < $4 AND id <> $5"""
_ACTIVE = [str(s) for s in ACTIVE_STATUSES]

# The re-check, the reservation with its timeslot (when generated), one allocation per table and the
# reservation's first history entry in one statement: run after the tables' lock was taken, it sees every
# allocation committed before. (PostgreSQL runs every data-modifying WITH, read by the final SELECT or not.)
_INSERT_BOOKING = """WITH r AS (
INSERT INTO "reservations" (restaurant_id, guest_id, table_id, timeslot_id, date, time, duration, guests, status,
  comments, source, confirmation_1h, confirmation_2h, created_at, updated_at, starts_at, ends_at, tags)
SELECT $1, $2, $3, (SELECT id FROM "timeslots" WHERE restaurant_id = $1 AND table_id = $3 AND date = $4 AND time = $5
  LIMIT 1), $4, $5, $6, $7, $8, $9, $10, false, false, $11, $11, $12, $13, $19::jsonb
WHERE NOT EXISTS (SELECT 1 FROM "reservation_tables" WHERE restaurant_id = $1 AND table_id = ANY($15::int[])
  AND active AND starts_at < $14 AND blocked_until > $12)
RETURNING id, timeslot_id),
a AS (INSERT INTO "reservation_tables" (reservation_id, table_id, restaurant_id, starts_at, blocked_until, active)
  SELECT r.id, t, $1, $12, $14, true FROM r, unnest($15::int[]) AS t RETURNING id, table_id),
h AS (INSERT INTO "reservation_changes" (restaurant_id, reservation_id, type, changes, actor, source, created_at)
  SELECT $1, r.id, $16::text, NULL, $17::text, $10, $18 FROM r WHERE $16::text IS NOT NULL)
SELECT r.id, r.timeslot_id, a.id, a.table_id FROM r, a"""

_INSERT_TIMESLOTS = (
    "WITH made AS (INSERT INTO timeslots (restaurant_id, table_id, date, time, duration, status, created_at) "
    "SELECT $1, t.id, g.d, g.t, $2, 'free', $6 FROM unnest($3::date[], $4::time[]) AS g(d, t) "
    "CROSS JOIN unnest($5::int[]) AS t(id) "
    "ON CONFLICT (table_id, date, time) DO NOTHING RETURNING 1) SELECT count(*) AS n FROM made"
)


def _lock_key(restaurant_id: int, key: str) -> tuple[int, int]:
    return restaurant_id, zlib.crc32(key.encode()) - 2**31  # two int4 keys for pg_advisory_xact_lock


class PostgresStorage:
    """The storage seam on PostgreSQL (:class:`core.storage.base.Storage`)."""

    name = "postgres"
    skip_locked = True
    sql: SqlSpelling = PostgresSql()

    @contextlib.asynccontextmanager
    async def pinned(self) -> AsyncIterator[None]:
        """Hold one pooled connection for the reads inside (not inside a transaction, nor twice)."""
        conn = connections.get("default")
        if isinstance(conn, TransactionalDBClient) or _pinned.get() is not None:
            yield
            return
        async with conn.acquire_connection() as raw:
            token = _pinned.set(raw)
            try:
                yield
            finally:
                _pinned.reset(token)

    def transaction(self, *, orm: bool) -> contextlib.AbstractAsyncContextManager[object]:
        """On the pinned connection (asyncpg's transaction) unless ``orm`` or none is pinned."""
        raw = None if orm else _pinned.get()
        if raw is None:
            return in_transaction()
        transaction: contextlib.AbstractAsyncContextManager[object] = raw.transaction()
        return transaction

    def write_lock(self) -> contextlib.AbstractAsyncContextManager[None]:
        """Nothing: row locks serialise the writers."""
        return contextlib.nullcontext()

    @contextlib.asynccontextmanager
    async def contact_lock(self, restaurant_id: int, key: str) -> AsyncIterator[None]:
        """A transaction holding the advisory lock on (restaurant, ``key``) until it ends."""
        async with in_transaction() as tx:
            await tx.execute_query("SELECT pg_advisory_xact_lock($1, $2)", list(_lock_key(restaurant_id, key)))
            yield

    def guest_create_lock(self, restaurant_id: int) -> contextlib.AbstractAsyncContextManager[None]:
        """Nothing: the identity's unique index settles a race."""
        return contextlib.nullcontext()

    async def create_guest_with_identity(self, guest: Guest, channel: str, external_id: str) -> Guest:
        """One statement: the guest's INSERT and the identity's in a data-modifying CTE (BEGIN, two INSERTs and
        COMMIT through the ORM before)."""
        guest.created_at = timezone.now()
        guest.refresh_search_keys()
        values = orm.update_values(guest)
        sql = _guest_with_identity_sql(tuple(column for column, _ in values))
        args = [value for _, value in values] + [guest.restaurant_id, channel, external_id, guest.created_at]
        if isinstance(connections.get("default"), TransactionalDBClient):
            async with in_transaction():  # a savepoint: a lost race (IntegrityError) must not abort the caller's
                [row] = await fetch(sql, args)
        else:
            [row] = await fetch(sql, args)
        return orm.as_saved(Guest, **{**orm.column_values(guest), "id": int(row["guest_id"])})

    async def setting_version(self, restaurant_id: int) -> str | None:
        """The restaurant's and its tables' row versions (``xmin``)."""
        rows = await fetch(_SETTING_VERSION, [restaurant_id])
        return rows[0][0] if rows else None

    async def restaurant(self, restaurant_id: int) -> Restaurant | None:
        """The restaurant row, or None."""
        rows = await fetch('SELECT * FROM "restaurants" WHERE id = $1', [restaurant_id])
        return orm.from_row(Restaurant, rows[0]) if rows else None

    async def tables(self, restaurant_id: int) -> list[Table]:
        """The restaurant's tables, by id."""
        rows = await fetch('SELECT * FROM "tables" WHERE restaurant_id = $1 ORDER BY id', [restaurant_id])
        return [to_table(row) for row in rows]

    async def guest(self, restaurant_id: int, *, guest_id: int | None = None, phone: str | None = None) -> Guest | None:
        """The guest by id, else the first by phone."""
        args: list[object]
        if guest_id is not None:
            sql, args = 'SELECT * FROM "guests" WHERE restaurant_id = $1 AND id = $2', [restaurant_id, guest_id]
        else:
            sql = 'SELECT * FROM "guests" WHERE restaurant_id = $1 AND phone = $2 ORDER BY id LIMIT 1'
            args = [restaurant_id, phone]
        rows = await fetch(sql, args)
        return orm.from_row(Guest, rows[0]) if rows else None

    async def guest_by_identity(self, restaurant_id: int, channel: str, external_id: str) -> Guest | None:
        """The identity's row (no join: most lookups of a guest not yet known find none), then the guest's."""
        rows = await fetch(_IDENTITY, [restaurant_id, channel, external_id])
        return await self.guest(restaurant_id, guest_id=int(rows[0]["guest_id"])) if rows else None

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
        """One range scan of the ``(restaurant_id, starts_at)`` index."""
        sql = _ALLOCATIONS.format(guests=_GUESTS if with_guests else "0")
        args = [restaurant_id, hi, lo - lookback, lo, exclude_reservation_id or 0]
        return [tuple(row.values()) for row in await fetch(sql, args)]

    async def lock_restaurant(self, restaurant_id: int) -> None:
        """``SELECT … FOR NO KEY UPDATE`` of the restaurant's row."""
        await fetch('SELECT id FROM "restaurants" WHERE id = $1 FOR NO KEY UPDATE', [restaurant_id])

    async def lock_tables(self, restaurant_id: int, ids: list[int], *, skip_locked: bool) -> list[Table]:
        """``SELECT … FOR NO KEY UPDATE [SKIP LOCKED]`` of the tables, in id order."""
        rows = await fetch(_LOCK_TABLES + (" SKIP LOCKED" if skip_locked else ""), [restaurant_id, ids])
        return [to_table(row) for row in rows]

    async def clashes(
        self, restaurant_id: int, ids: list[int], start: dt.datetime, until: dt.datetime, exclude_id: int | None
    ) -> bool:
        """One ``SELECT 1 … LIMIT 1``."""
        return bool(await fetch(_CLASH, [restaurant_id, ids, until, start, exclude_id or 0]))

    async def covers_starting(
        self, restaurant_id: int, lo: dt.datetime, hi: dt.datetime, exclude_id: int | None
    ) -> int:
        """One ``sum``."""
        rows = await fetch(_COVERS, [restaurant_id, _ACTIVE, lo, hi, exclude_id or 0])
        return int(rows[0][0])

    async def insert_booking(self, booking: NewBooking) -> Reservation | None:
        """One statement (the re-check and every row); the objects built from what it returned."""
        slot, rid, tables = booking.slot, booking.restaurant_id, booking.tables
        now = booking.created_at or timezone.now()
        kind, actor = booking.history or (None, None)
        args = [rid, booking.guest.id, tables[0].id, slot.date, slot.time, slot.duration, slot.guests]
        args += [booking.status.value, booking.comments, booking.source, now, slot.start, slot.end, slot.until]
        args += [[t.id for t in tables], kind, actor, now, json.dumps(booking.tags)]
        rows = await fetch(_INSERT_BOOKING, args)
        if not rows:
            return None
        allocations = [
            orm.as_saved(
                ReservationTable,
                id=row[2],
                reservation_id=row[0],
                table_id=row[3],
                restaurant_id=rid,
                starts_at=slot.start,
                blocked_until=slot.until,
                active=True,
            )
            for row in rows
        ]
        return orm.as_saved(
            Reservation,
            id=rows[0][0],
            restaurant_id=rid,
            guest=booking.guest,
            table=tables[0],
            timeslot_id=rows[0][1],
            date=slot.date,
            time=slot.time,
            duration=slot.duration,
            guests=slot.guests,
            status=booking.status,
            comments=booking.comments,
            tags=booking.tags,
            source=booking.source,
            confirmation_1h=False,
            confirmation_2h=False,
            created_at=now,
            updated_at=now,
            starts_at=slot.start,
            ends_at=slot.end,
            allocations=allocations,
        )

    async def reactivation_clashes(self, restaurant_id: int, reservation_id: int, held: list[Held]) -> bool:
        """False: the exclusion constraints refuse an overlapping allocation when it becomes active."""
        return False

    async def claim_and_read(self, arrival: Arrival) -> Arrived:
        """One statement (:func:`_claim_and_read_sql`) where the turn took four round trips."""
        args = [
            arrival.restaurant_id,
            arrival.channel,
            arrival.message_id,
            arrival.at,
            arrival.chat_id,
            arrival.sender_id,
            arrival.integration_type,
        ]
        [row] = await fetch(_claim_and_read_sql(), args)
        if not row["_claimed"]:
            return Arrived(False)
        return Arrived(
            True,
            orm.from_prefixed(Conversation, row, "c."),
            orm.from_prefixed(Guest, row, "g."),
            orm.from_prefixed(IntegrationSetting, row, "i."),
        )

    async def write_turn(self, turn: TurnWrite) -> list[int]:
        """One statement (:func:`_write_turn_sql`): one round trip where a transaction took six (BEGIN, the
        conversation's UPDATE, an INSERT per message, the activity rows' INSERT, COMMIT)."""
        values = orm.update_values(turn.conversation)
        rows = turn.activity
        args = [
            turn.conversation.id,
            *(value for _, value in values),
            [row.restaurant_id for row in rows],
            [row.created_at for row in rows],
            [row.type for row in rows],
            [row.message for row in rows],
            [row.response for row in rows],
            [row.confidence for row in rows],
            [orm.db_value(AiActivity, "metadata", row.metadata) for row in rows],
            turn.at,
            [role for role, _ in turn.messages],
            [text for _, text in turn.messages],
        ]
        written = await fetch(_write_turn_sql(tuple(column for column, _ in values)), args)
        return sorted(int(row["id"]) for row in written)  # one sequence, taken in the messages' order

    async def insert_timeslots(
        self,
        restaurant_id: int,
        duration: int,
        grid: list[tuple[dt.date, dt.time]],
        tables: list[int],
        dates: tuple[dt.date, dt.date],
        now: dt.datetime,
    ) -> int:
        """One ``INSERT … SELECT … unnest`` of the grid times the tables."""
        args = [restaurant_id, duration, [d for d, _ in grid], [t for _, t in grid], tables, now]
        [row] = await connections.get("default").execute_query_dict(_INSERT_TIMESLOTS, args)
        return int(row["n"])


_IDENTITY = (
    'SELECT "guest_id" FROM "guest_identities" WHERE "restaurant_id" = $1 AND "channel" = $2 AND "external_id" = $3 '
    "LIMIT 1"
)


@functools.cache
def _guest_with_identity_sql(columns: tuple[str, ...]) -> str:
    """:meth:`PostgresStorage.create_guest_with_identity`'s statement for the guest row's ``columns`` (``$1``...),
    then the identity's restaurant, channel, external id and time."""
    n = len(columns)
    names = ", ".join(f'"{column}"' for column in columns)
    marks = ", ".join(f"${i}" for i in range(1, n + 1))
    return (
        f'WITH g AS (INSERT INTO "guests" ({names}) VALUES ({marks}) RETURNING "id") '
        'INSERT INTO "guest_identities" ("restaurant_id", "guest_id", "channel", "external_id", "created_at") '
        f'SELECT ${n + 1}, g."id", ${n + 2}, ${n + 3}, ${n + 4} FROM g RETURNING "guest_id"'
    )


@functools.cache
def _claim_and_read_sql() -> str:
    """:meth:`PostgresStorage.claim_and_read`'s statement: the ``processed_messages`` row (a data-modifying CTE
    runs to completion whatever the query reads) and, in one row, the chat's conversation (``c.`` columns),
    its guest or else the sender identity's (``g.``) and the integration row (``i.``), NULL when not found.
    ``$1`` restaurant, ``$2`` channel, ``$3`` message id, ``$4`` time, ``$5`` chat, ``$6`` sender, ``$7`` type."""

    def named(alias: str, model: type[Model]) -> str:
        return ", ".join(f'{alias}."{column}" AS "{alias}.{column}"' for column in orm.columns(model))

    return f"""WITH claim AS (
  INSERT INTO "processed_messages" ("restaurant_id", "channel", "message_id", "created_at")
  VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id)
SELECT EXISTS (SELECT 1 FROM claim) AS "_claimed",
  {named("c", Conversation)}, {named("g", Guest)}, {named("i", IntegrationSetting)}
FROM (SELECT 1) AS one
LEFT JOIN "conversations" AS c ON c."restaurant_id" = $1 AND c."channel" = $2 AND c."external_chat_id" = $5
LEFT JOIN "guests" AS g ON g."restaurant_id" = $1 AND g."id" = COALESCE(
  (SELECT "id" FROM "guests" WHERE "restaurant_id" = $1 AND "id" = c."guest_id"),
  (SELECT "guest_id" FROM "guest_identities" WHERE "restaurant_id" = $1 AND "channel" = $2 AND "external_id" = $6
   LIMIT 1))
LEFT JOIN "integration_settings" AS i ON i."restaurant_id" = $1 AND i."type" = $7
LIMIT 1"""


@functools.cache
def _write_turn_sql(columns: tuple[str, ...]) -> str:
    """:meth:`PostgresStorage.write_turn`'s statement for the conversation row's ``columns``: ``$1`` the
    conversation's id, then its columns' values, then the activity rows' columns (arrays), then the messages'
    time, roles and texts (arrays). Data-modifying CTEs run all or nothing, so no transaction is needed."""
    sets = ", ".join(f'"{column}" = ${n}' for n, column in enumerate(columns, start=2))
    a = len(columns) + 2
    return f"""WITH conversation AS (UPDATE conversations SET {sets} WHERE id = $1),
activity AS (
  INSERT INTO ai_activities (restaurant_id, created_at, type, message, response, confidence, metadata)
  SELECT r.restaurant_id, r.created_at, r.type, r.message, r.response, r.confidence, r.metadata::jsonb
  FROM unnest(${a}::int[], ${a + 1}::timestamptz[], ${a + 2}::text[], ${a + 3}::text[], ${a + 4}::text[],
              ${a + 5}::float8[], ${a + 6}::text[]) WITH ORDINALITY
    AS r(restaurant_id, created_at, type, message, response, confidence, metadata, n)
  ORDER BY r.n)
INSERT INTO conversation_messages (conversation_id, created_at, role, text)
SELECT $1, ${a + 7}, m.role, m.text FROM unnest(${a + 8}::text[], ${a + 9}::text[]) WITH ORDINALITY AS m(role, text, n)
ORDER BY m.n
RETURNING id"""
