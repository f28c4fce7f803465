"""Putting a booking on tables without ever double booking, whatever the concurrency.

How one attempt on one seating option works (the same on both backends):

1. open a transaction;
2. optionally lock the reservation being changed (``before``) and, when pacing
   is on, the restaurant row (pacing is a restaurant-wide sum);
3. lock the option's table rows (``SELECT ... FOR NO KEY UPDATE``, ordered by
   id so two writers never wait on each other in a cycle);
4. re-check, inside the lock, that no active allocation overlaps and that the
   pacing cap holds; then write. (A new booking on PostgreSQL re-checks the
   overlap in the very statement that writes it: that statement starts after
   the lock was granted, so it sees every allocation committed before.)

PostgreSQL's exclusion constraints on ``reservations`` and ``reservation_tables``
are the last guard: an exclusion violation counts as "taken", like a failed
re-check. Options are first tried with ``SKIP LOCKED`` (a table another writer
holds is skipped instead of waited for, so concurrent guests spread over the free
tables), then the skipped ones are tried again waiting for the lock, and finally
the options are re-planned from fresh data once before giving up.

SQLite ignores row locks; there every write runs under a process-wide
``asyncio.Lock`` per database file (the embedded default runs one process).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from typing import cast

from tortoise import connections, timezone
from tortoise.transactions import in_transaction

from core.booking import reads
from core.booking.assignment import option_fits, usable
from core.booking.availability import Ask, Setting, alternatives_for, load_bookings, options_at, pacing_bucket, window
from core.booking.notify import record_history
from core.errors import NotFound, SlotUnavailable, ValidationError
from core.models import (
    ACTIVE_STATUSES,
    Guest,
    Reservation,
    ReservationStatus,
    ReservationTable,
    Restaurant,
    Table,
    Timeslot,
)

#: How many times the options are planned afresh before the booking is refused.
PLANNING_ROUNDS = 3

_sqlite_locks: dict[tuple[int, str], asyncio.Lock] = {}

Write = Callable[[list[Table]], Awaitable[Reservation | None]]
Before = Callable[[], Awaitable[None]]


class PacedOut(Exception):
    """The pacing cap for the slot is reached: no table would help."""


_SKIPPED, _TAKEN = "skipped", "taken"


class _Skipped(Exception):
    pass


class _Taken(Exception):
    pass


def is_postgres() -> bool:
    """True when the default connection is PostgreSQL."""
    return bool(connections.get("default").capabilities.dialect == "postgres")


@contextlib.asynccontextmanager
async def write_lock() -> AsyncIterator[None]:
    """Serialise writers on SQLite (per database file and event loop); a no-op on PostgreSQL."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        yield
        return
    key = (id(asyncio.get_running_loop()), str(getattr(conn, "filename", "")))
    lock = _sqlite_locks.setdefault(key, asyncio.Lock())
    async with lock:
        yield


def is_exclusion_violation(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) is PostgreSQL's exclusion violation (SQLSTATE 23P01)."""
    seen: BaseException | None = exc
    while seen is not None:
        if getattr(seen, "sqlstate", None) == "23P01":
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _ids(option: list[Table]) -> tuple[int, ...]:
    return tuple(sorted(t.id for t in option))


def option_key(option: list[Table]) -> tuple[int, ...]:
    """The sorted table ids identifying a seating option."""
    return _ids(option)


def holds(tables: list[Table], guests: int) -> bool:
    """Capacity only: every table usable and their seats add up to ``guests``."""
    return bool(tables) and all(usable(t) for t in tables) and sum(t.max_guests for t in tables) >= guests


# --- the statements of an attempt: hand-written on PostgreSQL (one round trip each, no query
# building), the ORM on SQLite. They run on the attempt's transaction.

_LOCK_TABLES = 'SELECT * FROM "tables" WHERE restaurant_id = $1 AND id = ANY($2::int[]) ORDER BY id FOR NO KEY UPDATE'
_CLASH = """SELECT 1 FROM "reservation_tables" WHERE restaurant_id = $1 AND table_id = ANY($2::int[]) AND active
AND starts_at < $3 AND blocked_until > $4 AND reservation_id <> $5 LIMIT 1"""
_COVERS = """SELECT coalesce(sum(guests), 0) FROM "reservations" WHERE restaurant_id = $1 AND status = ANY($2::text[])
AND starts_at >= $3 AND starts_at < $4 AND id <> $5"""
_ACTIVE = [str(s) for s in ACTIVE_STATUSES]


async def _lock_restaurant(rid: int) -> None:
    if is_postgres():
        await reads.fetch('SELECT id FROM "restaurants" WHERE id = $1 FOR NO KEY UPDATE', [rid])
    else:
        await Restaurant.filter(id=rid).select_for_update(no_key=True).first()


async def _lock_tables(rid: int, ids: list[int], skip_locked: bool) -> list[Table]:
    if is_postgres():
        rows = await reads.fetch(_LOCK_TABLES + (" SKIP LOCKED" if skip_locked else ""), [rid, ids])
        return [reads.to_table(row) for row in rows]
    query = Table.filter(restaurant_id=rid, id__in=ids).select_for_update(skip_locked=skip_locked, no_key=True)
    return list(await query.order_by("id"))


async def _clashes(rid: int, ids: list[int], ask: Ask, exclude_id: int | None) -> bool:
    if is_postgres():
        return bool(await reads.fetch(_CLASH, [rid, ids, ask.until, ask.start, exclude_id or 0]))
    clash = ReservationTable.filter(
        restaurant_id=rid, table_id__in=ids, active=True, starts_at__lt=ask.until, blocked_until__gt=ask.start
    )
    if exclude_id is not None:
        clash = clash.exclude(reservation_id=exclude_id)
    return await clash.exists()


async def _covers_starting(rid: int, lo: datetime, hi: datetime, exclude_id: int | None) -> int:
    if is_postgres():
        rows = await reads.fetch(_COVERS, [rid, _ACTIVE, lo, hi, exclude_id or 0])
        return int(rows[0][0])
    starting = Reservation.filter(
        restaurant_id=rid, status__in=list(ACTIVE_STATUSES), starts_at__gte=lo, starts_at__lt=hi
    )
    if exclude_id is not None:
        starting = starting.exclude(id=exclude_id)
    guests = cast(list[int], await starting.values_list("guests", flat=True))  # flat: one column, not tuples
    return sum(guests)


async def _try(
    setting: Setting,
    ask: Ask,
    option: list[Table],
    *,
    write: Write,
    before: Before | None,
    exclude_id: int | None,
    skip_locked: bool,
    relaxed: bool,
    write_checks: bool,
) -> Reservation:
    rid = setting.restaurant.id
    ids = list(_ids(option))
    cap = setting.rules.pacing_max_covers
    # Inside reads.pinned() (a new booking) the transaction runs on the pinned connection, where only
    # hand-written statements may run; ``before`` (a modification) uses the ORM, so never with it.
    raw = reads.pinned_connection() if before is None else None
    try:
        async with write_lock(), raw.transaction() if raw is not None else in_transaction():
            if before is not None:
                await before()
            if cap is not None:
                await _lock_restaurant(rid)
            locked = await _lock_tables(rid, ids, skip_locked)
            if len(locked) < len(ids):
                raise _Skipped if skip_locked else _Taken
            if not (holds(locked, ask.guests) if relaxed else option_fits(locked, ask.guests)):
                raise _Taken
            if not write_checks and await _clashes(rid, ids, ask, exclude_id):
                raise _Taken
            if cap is not None:
                lo, hi = pacing_bucket(ask.start, setting.rules)
                if await _covers_starting(rid, lo, hi, exclude_id) + ask.guests > cap:
                    raise PacedOut
            # Keep the main table first: callers order a combination by id, the option's first is the main one.
            by_id = {t.id: t for t in locked}
            written = await write([by_id[t.id] for t in option])
            if written is None:  # the write's own re-check found the tables taken
                raise _Taken
            return written
    except Exception as exc:  # Tortoise's IntegrityError, or asyncpg's own on the pinned connection
        if is_exclusion_violation(exc):
            raise _Taken from exc
        raise


async def place(
    setting: Setting,
    ask: Ask,
    candidates: list[list[Table]],
    *,
    write: Write,
    before: Before | None = None,
    exclude_id: int | None = None,
    relaxed: frozenset[tuple[int, ...]] = frozenset(),
    replan: bool = True,
    write_checks: bool = False,
) -> Reservation | None:
    """Write the booking on the first of ``candidates`` (best first) that is still free, following
    the protocol in the module docstring. Returns the written reservation, or ``None`` when every
    option is taken (the caller refuses with alternatives). Raises ``PacedOut`` when the pacing cap
    is reached. For the options in ``relaxed`` (sorted table ids: a table staff chose, or the
    tables a reservation already holds) only capacity is enforced, not ``min_guests`` or
    combinability; ``replan=False`` never looks beyond ``candidates``. With ``write_checks``, ``write``
    itself re-checks that the tables are free (in the statement that writes, after the lock) and
    returns None when they are not, instead of a separate re-check before it.
    """
    pg = is_postgres()
    tried: set[tuple[int, ...]] = set()

    async def attempt(option: list[Table], skip: bool) -> Reservation | str:
        try:
            return await _try(
                setting,
                ask,
                option,
                write=write,
                before=before,
                exclude_id=exclude_id,
                skip_locked=skip,
                relaxed=_ids(option) in relaxed,
                write_checks=write_checks,
            )
        except _Skipped:
            return _SKIPPED
        except _Taken:
            return _TAKEN

    for _round in range(PLANNING_ROUNDS):
        skipped, attempted = [], False
        for option in candidates:
            if _ids(option) in tried:
                continue
            attempted = True
            outcome = await attempt(option, pg)
            if outcome == _SKIPPED:
                skipped.append(option)
                continue
            tried.add(_ids(option))
            if isinstance(outcome, Reservation):
                return outcome
        for option in skipped:
            tried.add(_ids(option))
            outcome = await attempt(option, False)
            if isinstance(outcome, Reservation):
                return outcome
        if not replan or not attempted:
            break
        bookings = await load_bookings(
            setting, *window(setting, [ask.start], ask.duration), exclude_reservation_id=exclude_id
        )
        candidates = options_at(setting, bookings, ask.start, ask.until, ask.guests)
    return None


async def timeslot_id(restaurant_id: int, table_id: int, ask: Ask) -> int | None:
    """The id of the timeslot of ``table_id`` at the booking's local date and time, if generated."""
    ids = cast(
        list[int],
        await Timeslot.filter(restaurant_id=restaurant_id, table_id=table_id, date=ask.date, time=ask.time)
        .limit(1)
        .values_list("id", flat=True),
    )
    return ids[0] if ids else None


async def allocate(reservation: Reservation, tables: list[Table], ask: Ask) -> list[ReservationTable]:
    """Hold ``tables`` for the booking: one active allocation each, until its end plus the buffer."""
    made = []
    for table in tables:
        made.append(
            await ReservationTable.create(
                reservation_id=reservation.id,
                table_id=table.id,
                restaurant_id=reservation.restaurant_id,
                starts_at=ask.start,
                blocked_until=ask.until,
                active=True,
            )
        )
    return made


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


async def insert_booking(
    restaurant_id: int,
    guest: Guest,
    tables: list[Table],
    ask: Ask,
    *,
    status: ReservationStatus,
    comments: str | None,
    source: str | None,
    created_at: datetime | None = None,
    history: tuple[str, str] | None = None,
    tags: list[str] | None = None,
) -> Reservation | None:
    """Write a new reservation on ``tables`` (the first is the main one) with the timeslot of the main
    table at its local date and time (if generated) and its allocations (:func:`allocate`), unless an
    active allocation overlaps on one of them (then None: a ``write_checks`` write for :func:`place`).
    Returns it as written, with guest, table and allocations attached, without reading it back. Run
    it inside the attempt's transaction, after locking the tables. ``created_at`` is the booking
    service's clock (reminders compare it with their moments), else the current time. ``history``
    ``(event type, actor)``: the reservation's first history entry, written with it (in the same
    statement on PostgreSQL) instead of by :func:`core.booking.notify.publish_reservation` after the commit.
    ``tags`` are already cleaned (:func:`core.booking.tags.clean_tags`)."""
    tags = list(tags or [])
    if not is_postgres():
        if await _clashes(restaurant_id, [t.id for t in tables], ask, None):
            return None
        written = await Reservation.create(
            restaurant_id=restaurant_id,
            guest_id=guest.id,
            table_id=tables[0].id,
            timeslot_id=await timeslot_id(restaurant_id, tables[0].id, ask),
            date=ask.date,
            time=ask.time,
            duration=ask.duration,
            guests=ask.guests,
            status=status,
            comments=comments,
            tags=tags,
            source=source,
            starts_at=ask.start,
            ends_at=ask.end,
            created_at=created_at,
        )
        allocations = await allocate(written, tables, ask)
        if history is not None:
            await record_history(written, *history, at=created_at)
        values = {name: getattr(written, name) for name in Reservation._meta.fields_db_projection}
        return Reservation.construct(_saved_in_db=True, **values, guest=guest, table=tables[0], allocations=allocations)
    now = created_at or timezone.now()
    kind, actor = history or (None, None)
    rows = await reads.fetch(
        _INSERT_BOOKING,
        [
            restaurant_id,
            guest.id,
            tables[0].id,
            ask.date,
            ask.time,
            ask.duration,
            ask.guests,
            status.value,
            comments,
            source,
            now,
            ask.start,
            ask.end,
            ask.until,
            [t.id for t in tables],
            kind,
            actor,
            now,
            json.dumps(tags),
        ],
    )
    if not rows:
        return None
    allocations = [
        ReservationTable.construct(
            _saved_in_db=True,
            id=row[2],
            reservation_id=row[0],
            table_id=row[3],
            restaurant_id=restaurant_id,
            starts_at=ask.start,
            blocked_until=ask.until,
            active=True,
        )
        for row in rows
    ]
    return Reservation.construct(
        _saved_in_db=True,
        id=rows[0][0],
        restaurant_id=restaurant_id,
        guest=guest,
        table=tables[0],
        timeslot_id=rows[0][1],
        date=ask.date,
        time=ask.time,
        duration=ask.duration,
        guests=ask.guests,
        status=status,
        comments=comments,
        tags=tags,
        source=source,
        confirmation_1h=False,
        confirmation_2h=False,
        created_at=now,
        updated_at=now,
        starts_at=ask.start,
        ends_at=ask.end,
        allocations=allocations,
    )


def chosen_table(setting: Setting, table_id: int | None, guests: int) -> Table | None:
    """The table staff chose (None when none was): ``NotFound`` when it is not the restaurant's,
    ``ValidationError`` code ``table_unsuitable`` when it is unavailable or too small."""
    if table_id is None:
        return None
    table = setting.table(table_id)
    if table is None:
        raise NotFound(f"Table #{table_id} was not found.", details={"tableId": table_id})
    if not holds([table], guests):
        reason = "is not available for bookings" if not usable(table) else f"seats at most {table.max_guests}"
        raise ValidationError(f"Table {table.name} {reason}.", code="table_unsuitable", details={"tableId": table_id})
    return table


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B}"


async def unavailable(
    setting: Setting, ask: Ask, now: datetime, *, exclude_id: int | None = None, table: Table | None = None
) -> SlotUnavailable:
    """The refusal for a full slot: a readable message naming the nearest free times, and
    ``details`` ``{"alternatives", "date", "time", "guests"}`` (plus ``"tableId"`` for a chosen table)."""
    alternatives = await alternatives_for(setting, ask, now=now, exclude_reservation_id=exclude_id)
    when = f"at {ask.hhmm} on {_day(ask.date)}"
    message = (
        f"Sorry, table {table.name} is taken {when}."
        if table is not None
        else f"Sorry, we have no table free for {ask.guests} {when}."
    )
    if alternatives:
        message += (
            " Free nearby: "
            + ", ".join(
                a["time"] if a["date"] == ask.date.isoformat() else f"{_day(date.fromisoformat(a['date']))} {a['time']}"
                for a in alternatives
            )
            + "."
        )
    return SlotUnavailable(
        message,
        details={
            "alternatives": alternatives,
            "date": ask.date.isoformat(),
            "time": ask.hhmm,
            "guests": ask.guests,
            **({"tableId": table.id} if table is not None else {}),
        },
    )
