"""Putting a booking on tables without ever double booking, whatever the concurrency.

The booking service plans the seating options (:func:`plan_new`, :func:`plan_move`: an
:class:`Options`) and hands :func:`place` a write command (a :class:`Write`:
:class:`core.booking.writes.CreateBooking` or :class:`core.booking.writes.MoveBooking`).
:func:`place` tries the options one :func:`attempt` at a time; each attempt ends in an
:class:`Attempt` whose :class:`Outcome` says what happened (placed, skipped, taken, paced out).

How one attempt on one seating option works (the same on both backends):

1. open a transaction;
2. the write's own lock (:meth:`Write.lock`: a move locks the reservation being
   changed) and, when pacing is on, the restaurant row (pacing is a restaurant-wide sum);
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

The options themselves are planned in :mod:`core.booking.planning`; the tables staff chose by hand are
checked in :mod:`core.booking.chosen_tables`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from core.booking.availability import Ask, Setting, load_bookings, nearest_free, options_at, pacing_bucket, window
from core.booking.planning import Fit, Options, option_key
from core.booking.refusal_reasons import ChosenTable, Unavailable
from core.booking.refusals import Taken
from core.models import Reservation, Table
from core.storage import storage

#: How many times the options are planned afresh before the booking is refused.
PLANNING_ROUNDS = 3


def write_lock() -> contextlib.AbstractAsyncContextManager[None]:
    """Serialise writers on SQLite (per database file and event loop); a no-op on PostgreSQL."""
    return storage().write_lock()


def is_exclusion_violation(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) is PostgreSQL's exclusion violation (SQLSTATE 23P01)."""
    seen: BaseException | None = exc
    while seen is not None:
        if getattr(seen, "sqlstate", None) == "23P01":
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def clashes(rid: int, ids: list[int], ask: Ask, exclude_id: int | None) -> bool:
    """True when an active allocation on ``ids`` (not reservation ``exclude_id``'s) overlaps the booking."""
    return await storage().clashes(rid, ids, ask.start, ask.until, exclude_id)


class Outcome(Enum):
    """How an attempt on one option ended."""

    PLACED = "placed"  #: written: the attempt carries the reservation
    SKIPPED = "skipped"  #: another writer holds one of the tables (``SKIP LOCKED``): try again waiting
    TAKEN = "taken"  #: a table is gone, too small for the party or overlapped: try the next option
    PACED_OUT = "paced_out"  #: the pacing cap for the slot is reached: no table would help


@dataclass(frozen=True)
class Attempt:
    """The outcome of placing a booking; ``reservation`` is set when it was ``PLACED``."""

    outcome: Outcome
    reservation: Reservation | None = None


_TAKEN = Attempt(Outcome.TAKEN)


class Write(Protocol):
    """What :func:`place` writes once an option's tables are locked and re-checked
    (:class:`core.booking.writes.CreateBooking`, :class:`core.booking.writes.MoveBooking`)."""

    @property
    def ask(self) -> Ask:
        """Where and for how many the booking goes."""

    @property
    def exclude_id(self) -> int | None:
        """The reservation being changed, whose own allocations and covers do not count."""

    @property
    def checks_clash(self) -> bool:
        """True when :meth:`write` re-checks the overlap itself (in the statement that writes, after the
        lock) and returns None when the tables are taken, instead of a separate re-check before it."""

    @property
    def uses_orm(self) -> bool:
        """True when the write uses ORM queries (so the attempt's transaction cannot run on the
        connection :func:`core.booking.reads.pinned` holds, where only hand-written statements may run)."""

    async def lock(self) -> None:
        """The first statement in the attempt's transaction, before the tables are locked."""

    async def write(self, tables: list[Table]) -> Reservation | None:
        """Write the booking on ``tables`` (the first is the main one); None when they were taken."""


async def _refusal(
    setting: Setting, option: list[Table], locked: list[Table], command: Write, *, skip_locked: bool, fit: Fit
) -> Outcome | None:
    """Why the option cannot take the booking, re-checked under the tables' lock (None: it can)."""
    ask, rid, cap = command.ask, setting.restaurant.id, setting.rules.pacing_max_covers
    if len(locked) < len(option):
        return Outcome.SKIPPED if skip_locked else Outcome.TAKEN
    if not fit(locked, ask.guests):
        return Outcome.TAKEN
    if not command.checks_clash and await clashes(rid, list(option_key(option)), ask, command.exclude_id):
        return Outcome.TAKEN
    if cap is not None and await _covers_with(setting, command) > cap:
        return Outcome.PACED_OUT
    return None


async def _covers_with(setting: Setting, command: Write) -> int:
    """The covers starting in the booking's pacing bucket once it is written (the others read under lock)."""
    ask = command.ask
    lo, hi = pacing_bucket(ask.start, setting.rules)
    return await storage().covers_starting(setting.restaurant.id, lo, hi, command.exclude_id) + ask.guests


async def attempt(setting: Setting, option: list[Table], command: Write, *, skip_locked: bool, fit: Fit) -> Attempt:
    """One attempt on one option, in its own transaction (steps 1-4 of the module docstring); ``fit`` re-checks
    the locked tables may seat the party."""
    rid, db = setting.restaurant.id, storage()
    try:
        async with db.write_lock(), db.transaction(orm=command.uses_orm):
            await command.lock()
            if setting.rules.pacing_max_covers is not None:
                await db.lock_restaurant(rid)
            locked = await db.lock_tables(rid, list(option_key(option)), skip_locked=skip_locked)
            refused = await _refusal(setting, option, locked, command, skip_locked=skip_locked, fit=fit)
            if refused is not None:
                return Attempt(refused)
            # Keep the main table first: callers order a combination by id, the option's first is the main one.
            by_id = {t.id: t for t in locked}
            written = await command.write([by_id[t.id] for t in option])
            return _TAKEN if written is None else Attempt(Outcome.PLACED, written)
    except Exception as exc:  # Tortoise's IntegrityError, or asyncpg's own on the pinned connection
        if is_exclusion_violation(exc):
            return _TAKEN
        raise


async def _round(
    setting: Setting, options: Options, candidates: list[list[Table]], command: Write, tried: set[tuple[int, ...]]
) -> Attempt:
    """Try ``candidates`` not ``tried`` yet: first skipping tables another writer holds, then the skipped
    ones waiting for their lock. Stops at the first option placed or paced out; else ``TAKEN``."""
    skipped = []
    for option in candidates:
        key = option_key(option)
        if key in tried:
            continue
        result = await attempt(setting, option, command, skip_locked=storage().skip_locked, fit=options.fit_for(option))
        if result.outcome is Outcome.SKIPPED:
            skipped.append(option)
            continue
        tried.add(key)
        if result.outcome is not Outcome.TAKEN:
            return result
    for option in skipped:
        tried.add(option_key(option))
        result = await attempt(setting, option, command, skip_locked=False, fit=options.fit_for(option))
        if result.outcome is not Outcome.TAKEN:
            return result
    return _TAKEN


async def place(setting: Setting, options: Options, command: Write) -> Attempt:
    """Write ``command`` on the first of ``options`` (best first) that is still free, following the
    protocol in the module docstring; with ``options.replan``, plan again from fresh data when every
    option was taken (at most :data:`PLANNING_ROUNDS` rounds). ``PLACED`` with the written reservation,
    ``PACED_OUT`` when the pacing cap is reached, else ``TAKEN`` (the caller refuses with alternatives)."""
    ask, tried = command.ask, set[tuple[int, ...]]()
    candidates = options.candidates
    for _ in range(PLANNING_ROUNDS):
        if all(option_key(option) in tried for option in candidates):
            break
        result = await _round(setting, options, candidates, command, tried)
        if result.outcome is not Outcome.TAKEN or not options.replan:
            return result
        bookings = await load_bookings(
            setting, *window(setting, [ask.start], ask.duration), exclude_reservation_id=command.exclude_id
        )
        candidates = options_at(setting, bookings, ask.start, ask.until, ask.guests)
    return _TAKEN


async def unavailable(
    setting: Setting,
    ask: Ask,
    now: datetime,
    *,
    exclude_id: int | None = None,
    tables: Sequence[Table] | None = None,
) -> Taken:
    """The refusal for a full slot: what was asked (with the tables staff chose) and the nearest free times."""
    free = await nearest_free(setting, ask, now=now, exclude_reservation_id=exclude_id)
    chosen = tuple(ChosenTable(t.id, t.name) for t in tables or ())
    return Taken(Unavailable(ask.date, ask.time, ask.guests, chosen, tuple(free)))
