"""What differs between PostgreSQL and SQLite, named once: the :class:`Storage` protocol.

Code above the storage seam asks :func:`core.storage.storage` and never which database runs. Each
method here is one operation the two databases spell differently: hand-written SQL in one round
trip on PostgreSQL, the ORM (under a process-wide write lock) on SQLite.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from core.models import (
    AiActivity,
    Conversation,
    Guest,
    IntegrationSetting,
    Reservation,
    ReservationStatus,
    Restaurant,
    Table,
)

#: One active allocation: ``(table_id, reservation_id, starts_at, blocked_until, guests)``.
Allocation = tuple[int, int, dt.datetime, dt.datetime, int]
#: An allocation a reservation holds: ``(table_id, starts_at, blocked_until)``.
Held = tuple[int, dt.datetime, dt.datetime]


class Slot(Protocol):
    """Where a booking goes (:class:`core.booking.availability.Ask`): local date and time, party size and
    minutes, and the instants ``[start, end)`` of the meal and ``until`` (end plus the buffer)."""

    @property
    def date(self) -> dt.date:
        """The restaurant's local date."""

    @property
    def time(self) -> dt.time:
        """The restaurant's local time."""

    @property
    def guests(self) -> int:
        """The party size."""

    @property
    def duration(self) -> int:
        """Minutes of the meal."""

    @property
    def start(self) -> dt.datetime:
        """When the meal starts."""

    @property
    def end(self) -> dt.datetime:
        """When the meal ends."""

    @property
    def until(self) -> dt.datetime:
        """When the tables are free again (the end plus the buffer)."""


@dataclass(frozen=True)
class NewBooking:
    """A reservation to write on ``tables`` (the first is the main one) at ``slot``, with its first history
    entry ``(event type, actor)`` when ``history`` is given; ``created_at`` None means the current time."""

    restaurant_id: int
    guest: Guest
    tables: list[Table]
    slot: Slot
    status: ReservationStatus
    comments: str | None
    source: str | None
    created_at: dt.datetime | None
    history: tuple[str, str] | None
    tags: list[str]


@dataclass(frozen=True)
class TurnWrite:
    """What a conversation turn writes at once: ``conversation``'s row (every column, as ``save()`` writes it),
    its new transcript ``messages`` (role, text) stamped ``at``, and its ``activity`` rows (not yet saved)."""

    conversation: Conversation
    messages: list[tuple[str, str]]
    at: dt.datetime
    activity: list[AiActivity]


@dataclass(frozen=True)
class Arrival:
    """An inbound message to claim (its ``processed_messages`` row, stamped ``at``), the chat whose conversation
    its turn reads, the sender whose guest it reads, and the type of the restaurant's integration row it needs."""

    restaurant_id: int
    channel: str
    message_id: str
    chat_id: str
    sender_id: str
    integration_type: str
    at: dt.datetime


@dataclass(frozen=True)
class Arrived:
    """What :meth:`Storage.claim_and_read` found. ``claimed`` False: another delivery claimed the message first
    (nothing else read). ``guest``: the conversation's guest, else the guest linked to the sender's channel
    identity; ``integration``: the restaurant's row of the arrival's type (None when never saved)."""

    claimed: bool
    conversation: Conversation | None = None
    guest: Guest | None = None
    integration: IntegrationSetting | None = None


class SqlSpelling(Protocol):
    """The expressions hand-written reports spell differently on each database."""

    def instant(self, expr: str) -> str:
        """``expr`` (a timestamp column or parameter) in a form that compares and subtracts correctly."""

    def seconds_between(self, start: str, end: str) -> str:
        """Elapsed seconds from instant ``start`` to instant ``end`` (both columns)."""

    def hour_of(self, local_time: str) -> str:
        """The hour (0-23) of a local wall-clock time column."""

    def weekday_of(self, local_date: str) -> str:
        """The weekday of a date column, Monday 0 ... Sunday 6."""

    def json_text(self, column: str, *path: str) -> str:
        """The text at ``path`` inside a JSON column (NULL when absent)."""

    def json_list_has(self, column: str, value: str) -> str:
        """True when the JSON list ``column`` holds ``value`` (a cleaned slug: safe to quote as a literal)."""

    def param_instant(self, value: dt.datetime) -> dt.datetime | str:
        """A datetime parameter as the database binds it next to :meth:`instant`."""

    def param_date(self, value: dt.date) -> dt.date | str:
        """A date parameter as the database compares it with a date column."""

    def params(self, sql: str) -> str:
        """``sql`` written with PostgreSQL's ``$1``, ``$2``... parameters as the database binds them (SQLite's
        ``?1``, ``?2``..., which bind the same way: a parameter may appear more than once)."""

    def lock_skipping(self, alias: str) -> str:
        """The clause that ends a ``SELECT`` claiming rows of ``alias``: locked, skipping rows another
        transaction holds, on PostgreSQL; nothing on SQLite (no row locks, one writer at a time)."""


@runtime_checkable
class Storage(Protocol):
    """The operations that differ by database (:class:`core.storage.postgres.PostgresStorage`,
    :class:`core.storage.sqlite.SqliteStorage`); one of them runs, chosen when the database is connected."""

    #: ``"postgres"`` or ``"sqlite"``, for logs and tests.
    name: str
    #: True when a row lock may skip rows another transaction holds (``SKIP LOCKED``).
    skip_locked: bool
    #: The SQL expressions that differ (reports, tag filters, claims).
    sql: SqlSpelling

    # --- connections, transactions and locks ---

    def pinned(self) -> AbstractAsyncContextManager[None]:
        """Run the hot reads inside on one pooled connection instead of one per query (PostgreSQL; a no-op
        on SQLite, inside a transaction, or when already pinned). Only this seam's hand-written reads may
        run inside: an ORM query there would wait for a second connection."""

    def transaction(self, *, orm: bool) -> AbstractAsyncContextManager[object]:
        """A booking attempt's transaction: on the pinned connection unless ``orm`` (the write uses ORM
        queries, which cannot run there)."""

    def write_lock(self) -> AbstractAsyncContextManager[None]:
        """Serialise the booking engine's writers: a process-wide lock per database file on SQLite (which
        ignores row locks); nothing on PostgreSQL (row locks do it)."""

    def contact_lock(self, restaurant_id: int, key: str) -> AbstractAsyncContextManager[None]:
        """Serialise finding-or-creating the restaurant's guest by contact ``key`` (a phone, an e-mail):
        a transaction holding an advisory lock on PostgreSQL, the restaurant's guest lock on SQLite."""

    def guest_create_lock(self, restaurant_id: int) -> AbstractAsyncContextManager[None]:
        """Serialise creating a guest with a channel identity: the restaurant's guest lock on SQLite; nothing on
        PostgreSQL (the identity's unique index settles a race)."""

    async def create_guest_with_identity(self, guest: Guest, channel: str, external_id: str) -> Guest:
        """Write ``guest`` (built, not saved) and its channel identity, all or nothing; the guest as saved. One
        statement on PostgreSQL, a transaction on SQLite. An identity already taken raises ``IntegrityError``."""

    # --- the hot reads ---

    async def setting_version(self, restaurant_id: int) -> str | None:
        """A fingerprint of the restaurant's row and its tables' rows (equal: unchanged); None when the
        database keeps no row versions (SQLite) or for an unknown restaurant."""

    async def restaurant(self, restaurant_id: int) -> Restaurant | None:
        """The restaurant row, or None."""

    async def tables(self, restaurant_id: int) -> list[Table]:
        """The restaurant's tables, by id."""

    async def guest(self, restaurant_id: int, *, guest_id: int | None = None, phone: str | None = None) -> Guest | None:
        """The restaurant's guest with this id, else the first (by id) with this E.164 ``phone``; or None."""

    async def guest_by_identity(self, restaurant_id: int, channel: str, external_id: str) -> Guest | None:
        """The restaurant's guest linked to the channel identity ``(channel, external_id)``, or None."""

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
        """The restaurant's active allocations overlapping ``[lo, hi)`` that started at most ``lookback``
        before ``lo`` (those of ``exclude_reservation_id`` left out); guests 0 without ``with_guests``."""

    # --- placing a booking (inside the attempt's transaction) ---

    async def lock_restaurant(self, restaurant_id: int) -> None:
        """Lock the restaurant's row (``FOR NO KEY UPDATE``) until the transaction ends."""

    async def lock_tables(self, restaurant_id: int, ids: list[int], *, skip_locked: bool) -> list[Table]:
        """Lock the restaurant's tables ``ids`` in id order and return them as locked; with ``skip_locked``
        a table another transaction holds is left out instead of waited for."""

    async def clashes(
        self, restaurant_id: int, ids: list[int], start: dt.datetime, until: dt.datetime, exclude_id: int | None
    ) -> bool:
        """True when an active allocation of a table in ``ids`` (not reservation ``exclude_id``'s) overlaps
        ``[start, until)``."""

    async def covers_starting(
        self, restaurant_id: int, lo: dt.datetime, hi: dt.datetime, exclude_id: int | None
    ) -> int:
        """The guests of the active reservations (but ``exclude_id``) starting in ``[lo, hi)``."""

    async def insert_booking(self, booking: NewBooking) -> Reservation | None:
        """Write ``booking`` (the reservation, the timeslot of its main table if generated, one allocation per
        table, its first history entry) unless an active allocation overlaps on one of its tables (then
        None). Returns it as written, with guest, table and allocations attached, without reading it back."""

    async def reactivation_clashes(self, restaurant_id: int, reservation_id: int, held: list[Held]) -> bool:
        """Before the allocations ``held`` of reservation ``reservation_id`` become active again: True when
        another active allocation overlaps one. Always False on PostgreSQL, whose exclusion constraints
        refuse the update instead."""

    # --- conversations ---

    async def claim_and_read(self, arrival: Arrival) -> Arrived:
        """Claim the message and read what its turn needs first: the chat's conversation (None when it has none
        yet), the guest and the integration row (:class:`Arrived`). One statement on PostgreSQL, several on
        SQLite. An unknown restaurant raises the database's ``IntegrityError``."""

    async def write_turn(self, turn: TurnWrite) -> list[int]:
        """Write ``turn`` all or nothing; the ids of its messages, in their order. One statement on PostgreSQL
        (data-modifying CTEs), one transaction on SQLite."""

    # --- generated rows ---

    async def insert_timeslots(
        self,
        restaurant_id: int,
        duration: int,
        grid: list[tuple[dt.date, dt.time]],
        tables: list[int],
        dates: tuple[dt.date, dt.date],
        now: dt.datetime,
    ) -> int:
        """Add the free timeslots of every table in ``tables`` at every ``(date, time)`` of ``grid`` (those
        already there kept); how many were added. ``dates`` bounds the grid; ``now`` stamps the rows."""
