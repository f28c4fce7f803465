"""The read side of reservations: listing with filters and pages, and a guest's history.

The booking engine (``service.py``) is the only writer; these are the queries the
staff API (and anyone else who only reads) uses, so no reservation query is built
outside ``core/booking``. Every query is scoped by restaurant in the query itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from tortoise.expressions import RawSQL
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

from core.booking.guests import search_condition
from core.booking.hours import BookingRules, check_bookable
from core.booking.refusals import Reason, Refusal, Refused
from core.booking.tags import clean_tag
from core.booking.views import COLUMNS, JOINED, ReservationView, view_of_row
from core.models import (
    ACTIVE_STATUSES,
    OutboxMessage,
    Reservation,
    ReservationChange,
    ReservationStatus,
    ReservationTable,
)
from core.storage import storage

#: The refusals that mean "outside the opening hours" (not notice or window: those only bind new bookings).
HOURS_REFUSALS = frozenset({Reason.CLOSED, Reason.OUTSIDE_HOURS, Reason.ENDS_AFTER_CLOSE})

MAX_PAGE_SIZE = 200
#: The most rows one reservation's history or messages answer with (its latest; a guest's booking has a few dozen).
MAX_ROWS_OF_ONE = 500

M = TypeVar("M", bound=Model)


async def list_reservations(
    restaurant_id: int,
    *,
    date: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    statuses: Iterable[ReservationStatus | str] | None = None,
    q: str | None = None,
    region: str | None = None,
    guest_id: int | None = None,
    tag: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[ReservationView], int]:
    """One page of the restaurant's reservations (:class:`~core.booking.views.ReservationView`), ordered by date
    and time, and the total number matching the filters. The page is built from its rows joined
    to their guest and table, and their allocations' tables (no model objects). ``date_from``/``date_to`` are
    inclusive; ``q`` matches the guest as :func:`core.booking.guests.search_condition` does (``region`` reads
    national phone numbers); ``tag`` keeps the reservations tagged so or whose guest is."""
    page = max(1, page)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    query = Reservation.filter(restaurant_id=restaurant_id)
    if date is not None:
        query = query.filter(date=date)
    if date_from is not None:
        query = query.filter(date__gte=date_from)
    if date_to is not None:
        query = query.filter(date__lte=date_to)
    if statuses:
        query = query.filter(status__in=[ReservationStatus(s) for s in statuses])
    if guest_id is not None:
        query = query.filter(guest_id=guest_id)
    if q and q.strip():
        query = query.filter(search_condition(q, region, prefix="guest__"))
    if tag:
        query = tagged(query, tag, guest_column="guest_id")
    total = await query.count()
    page_query = query.order_by("date", "time", "id").offset((page - 1) * page_size).limit(page_size)
    return await views(restaurant_id, page_query), total


def tagged(query: QuerySet[M], tag: str, *, guest_column: str | None = None) -> QuerySet[M]:
    """``query`` (of reservations or guests) narrowed to the rows whose ``tags`` hold ``tag``; with
    ``guest_column`` (a reservation's guest id column) also those whose guest's tags hold it. Works on
    PostgreSQL (jsonb containment) and SQLite (``json_each``); the tag is cleaned first."""
    slug = clean_tag(tag)
    model: type[Model] = query.model
    table = f'"{model._meta.db_table}"'
    has_tag = storage().sql.json_list_has
    condition = has_tag(f'{table}."tags"', slug)
    if guest_column is not None:
        guests = 'SELECT 1 FROM "guests" g WHERE g.id = {table}."{column}" AND {has}'.format(
            table=table, column=guest_column, has=has_tag('g."tags"', slug)
        )
        condition = f"({condition}) OR EXISTS ({guests})"
    return query.annotate(tag_hit=RawSQL(f"CASE WHEN {condition} THEN 1 ELSE 0 END")).filter(tag_hit=1)


async def search_reservations(
    restaurant_id: int, q: str, *, now: dt.datetime, region: str | None = None, limit: int = 20
) -> tuple[list[ReservationView], int]:
    """Any of the restaurant's reservations whose guest matches ``q`` (name, phone or e-mail, as
    :func:`core.booking.guests.search_condition`), on any date and in any status: first the upcoming ones
    (not ended at ``now``) soonest first, then the past ones latest first; at most ``limit``. Returns their
    views and how many of them are upcoming."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    found = Reservation.filter(restaurant_id=restaurant_id).filter(search_condition(q, region, prefix="guest__"))
    upcoming = await views(restaurant_id, found.filter(ends_at__gt=now).order_by("starts_at", "id").limit(limit))
    past: list[ReservationView] = []
    if len(upcoming) < limit:
        past_query = found.filter(ends_at__lte=now).order_by("-starts_at", "-id").limit(limit - len(upcoming))
        past = await views(restaurant_id, past_query)
    return upcoming + past, len(upcoming)


async def views(restaurant_id: int, query: QuerySet[Reservation]) -> list[ReservationView]:
    """The views of the reservations of ``query`` (ordered and limited already), from their rows joined to
    guest and table and one query for their allocations' tables: no model objects are built."""
    rows = await query.values(*COLUMNS, **JOINED)
    held: dict[int, set[int]] = {row["id"]: set() for row in rows}
    if held:
        allocations = ReservationTable.filter(restaurant_id=restaurant_id, reservation_id__in=list(held))
        for reservation_id, table_id in await allocations.values_list("reservation_id", "table_id"):
            held[reservation_id].add(table_id)
    return [view_of_row(row, held[row["id"]]) for row in rows]


async def get_reservation(restaurant_id: int, reservation_id: int) -> Reservation | None:
    """The reservation with guest and table loaded, or None when it is not this restaurant's."""
    return (
        await Reservation.filter(restaurant_id=restaurant_id, id=reservation_id)
        .prefetch_related("guest", "table", "allocations")
        .first()
    )


@dataclass(frozen=True)
class GuestRecord:
    """A guest's record at a restaurant: completed or seated ``visits``, ``no_shows``, ``reservations`` in all,
    and the ``recent`` latest reservations, newest first."""

    visits: int
    no_shows: int
    reservations: int
    recent: tuple[ReservationView, ...]


async def guest_history(restaurant_id: int, guest_id: int, *, recent: int = 5) -> GuestRecord:
    """The guest's record at this restaurant, with their ``recent`` latest reservations. An archived
    reservation counts as the status it was archived from."""
    rows = (
        await Reservation.filter(restaurant_id=restaurant_id, guest_id=guest_id)
        .group_by("status", "archived_from")
        .annotate(n=Count("id"))
        .values("status", "archived_from", "n")
    )
    by_status: dict[ReservationStatus, int] = {}
    for row in rows:
        status = ReservationStatus(row["archived_from"] or row["status"])
        by_status[status] = by_status.get(status, 0) + int(row["n"])
    theirs = Reservation.filter(restaurant_id=restaurant_id, guest_id=guest_id)
    latest = await views(restaurant_id, theirs.order_by("-date", "-time", "-id").limit(recent))
    return GuestRecord(
        visits=by_status.get(ReservationStatus.COMPLETED, 0) + by_status.get(ReservationStatus.SEATED, 0),
        no_shows=by_status.get(ReservationStatus.NO_SHOW, 0),
        reservations=sum(by_status.values()),
        recent=tuple(latest),
    )


async def outside_hours(restaurant_id: int, rules: BookingRules, now: dt.datetime) -> list[tuple[Reservation, Refusal]]:
    """The restaurant's active reservations that have not ended by ``now`` and would not fit the opening
    hours, exceptions and last seating of ``rules`` (soonest first), each with its refusal.
    Used to warn before hours are changed; the reservations themselves are left as they are."""
    relaxed = replace(rules, min_notice_minutes=0, max_advance_days=100_000)
    rows = (
        await Reservation.filter(restaurant_id=restaurant_id, status__in=list(ACTIVE_STATUSES), ends_at__gt=now)
        .order_by("starts_at", "id")
        .prefetch_related("guest", "table", "allocations")
    )
    found = []
    for row in rows:
        minutes = max(1, int((row.ends_at - row.starts_at).total_seconds() // 60))
        try:
            check_bookable(row.starts_at, minutes, relaxed, row.starts_at)
        except Refused as refused:
            if refused.refusal.reason in HOURS_REFUSALS:
                found.append((row, refused.refusal))
    return found


async def reservation_history(restaurant_id: int, reservation_id: int) -> list[ReservationChange] | None:
    """The reservation's history, oldest first (its last :data:`MAX_ROWS_OF_ONE` entries); None when the
    reservation is not this restaurant's."""
    if not await Reservation.filter(restaurant_id=restaurant_id, id=reservation_id).exists():
        return None
    newest = ReservationChange.filter(restaurant_id=restaurant_id, reservation_id=reservation_id).order_by(
        "-created_at", "-id"
    )
    return list(reversed(await newest.limit(MAX_ROWS_OF_ONE)))


async def reservation_messages(restaurant_id: int, reservation_id: int) -> list[OutboxMessage] | None:
    """What the service sent (or tried to send) the guest about the reservation, oldest first: its outbox
    rows (confirmation, reminders, changes) with channel, address and delivery state (the last
    :data:`MAX_ROWS_OF_ONE`); None when the reservation is not this restaurant's."""
    if not await Reservation.filter(restaurant_id=restaurant_id, id=reservation_id).exists():
        return None
    newest = OutboxMessage.filter(restaurant_id=restaurant_id, reservation_id=reservation_id).order_by(
        "-created_at", "-id"
    )
    return list(reversed(await newest.limit(MAX_ROWS_OF_ONE)))
