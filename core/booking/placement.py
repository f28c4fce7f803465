"""Putting a booking on tables without ever double booking, whatever the concurrency.

How one attempt on one seating option works (the same on both backends):

1. open a transaction;
2. optionally lock the reservation being changed (``before``) and, when pacing
   is on, the restaurant row (pacing is a restaurant-wide sum);
3. lock the option's table rows (``SELECT ... FOR NO KEY UPDATE``, ordered by
   id so two writers never wait on each other in a cycle);
4. re-check, inside the lock, that no active allocation overlaps and that the
   pacing cap holds; then write.

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
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.booking.assignment import option_fits, usable
from core.booking.availability import Ask, Setting, alternatives_for, load_bookings, options_at, pacing_bucket, window
from core.errors import NotFound, SlotUnavailable, ValidationError
from core.models import ACTIVE_STATUSES, Reservation, ReservationTable, Restaurant, Table, Timeslot

#: How many times the options are planned afresh before the booking is refused.
PLANNING_ROUNDS = 3

_sqlite_locks: dict[tuple[int, str], asyncio.Lock] = {}

Write = Callable[[list[Table]], Awaitable[Reservation]]
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
    return connections.get("default").capabilities.dialect == "postgres"


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
) -> Reservation:
    rid = setting.restaurant.id
    ids = list(_ids(option))
    cap = setting.rules.pacing_max_covers
    try:
        async with write_lock(), in_transaction():
            if before is not None:
                await before()
            if cap is not None:
                await Restaurant.filter(id=rid).select_for_update(no_key=True).first()
            locked = list(
                await Table.filter(restaurant_id=rid, id__in=ids)
                .select_for_update(skip_locked=skip_locked, no_key=True)
                .order_by("id")
            )
            if len(locked) < len(ids):
                raise _Skipped if skip_locked else _Taken
            if not (holds(locked, ask.guests) if relaxed else option_fits(locked, ask.guests)):
                raise _Taken
            clash = ReservationTable.filter(
                restaurant_id=rid, table_id__in=ids, active=True, starts_at__lt=ask.until, blocked_until__gt=ask.start
            )
            if exclude_id is not None:
                clash = clash.exclude(reservation_id=exclude_id)
            if await clash.exists():
                raise _Taken
            if cap is not None:
                lo, hi = pacing_bucket(ask.start, setting.rules)
                starting = Reservation.filter(
                    restaurant_id=rid, status__in=list(ACTIVE_STATUSES), starts_at__gte=lo, starts_at__lt=hi
                )
                if exclude_id is not None:
                    starting = starting.exclude(id=exclude_id)
                if sum(await starting.values_list("guests", flat=True)) + ask.guests > cap:
                    raise PacedOut
            # Keep the main table first: callers order a combination by id, the option's first is the main one.
            by_id = {t.id: t for t in locked}
            return await write([by_id[t.id] for t in option])
    except IntegrityError as exc:
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
) -> Reservation | None:
    """Write the booking on the first of ``candidates`` (best first) that is still free, following
    the protocol in the module docstring. Returns the written reservation, or ``None`` when every
    option is taken (the caller refuses with alternatives). Raises ``PacedOut`` when the pacing cap
    is reached. For the options in ``relaxed`` (sorted table ids: a table staff chose, or the
    tables a reservation already holds) only capacity is enforced, not ``min_guests`` or
    combinability; ``replan=False`` never looks beyond ``candidates``.
    """
    pg = is_postgres()
    tried: set[tuple[int, ...]] = set()

    async def attempt(option: list[Table], skip: bool) -> Reservation | str:
        try:
            return await _try(setting, ask, option, write=write, before=before, exclude_id=exclude_id,
                              skip_locked=skip, relaxed=_ids(option) in relaxed)
        except _Skipped:
            return _SKIPPED
        except _Taken:
            return _TAKEN

    for _round in range(PLANNING_ROUNDS):
        todo = [o for o in candidates if _ids(o) not in tried]
        if not todo:
            break
        skipped = []
        for option in todo:
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
        if not replan:
            break
        bookings = await load_bookings(
            setting, *window(setting, [ask.start], ask.duration), exclude_reservation_id=exclude_id
        )
        candidates = options_at(setting, bookings, ask.start, ask.until, ask.guests)
    return None


async def timeslot_id(restaurant_id: int, table_id: int, ask: Ask) -> int | None:
    """The id of the timeslot of ``table_id`` at the booking's local date and time, if generated."""
    ids = await Timeslot.filter(
        restaurant_id=restaurant_id, table_id=table_id, date=ask.date, time=ask.time
    ).limit(1).values_list("id", flat=True)
    return ids[0] if ids else None


async def allocate(reservation: Reservation, tables: list[Table], ask: Ask) -> list[ReservationTable]:
    """Hold ``tables`` for the booking: one active allocation each, until its end plus the buffer."""
    made = []
    for table in tables:
        made.append(await ReservationTable.create(
            reservation_id=reservation.id, table_id=table.id, restaurant_id=reservation.restaurant_id,
            starts_at=ask.start, blocked_until=ask.until, active=True,
        ))
    return made


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
    message = (f"Sorry, table {table.name} is taken {when}." if table is not None
               else f"Sorry, we have no table free for {ask.guests} {when}.")
    if alternatives:
        message += " Free nearby: " + ", ".join(
            a["time"] if a["date"] == ask.date.isoformat() else f"{_day(date.fromisoformat(a['date']))} {a['time']}"
            for a in alternatives
        ) + "."
    return SlotUnavailable(message, details={
        "alternatives": alternatives, "date": ask.date.isoformat(), "time": ask.hhmm, "guests": ask.guests,
        **({"tableId": table.id} if table is not None else {}),
    })
