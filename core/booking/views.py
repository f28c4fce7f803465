"""A reservation as its readers see it: :class:`ReservationView`, snake_case and Python-typed.

The booking service, the queries and the tools answer with it; the API describes it once with its pydantic
schema (``api.schemas.reservations.ReservationOut``), and where core itself writes JSON (a tool's result for
the model, an event's payload, a history entry's changes) it goes through
:func:`core.booking.view_json.reservation_json`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from core.booking.states import CORRECTIONS, TRANSITIONS
from core.models import Reservation, ReservationStatus


@dataclass(frozen=True)
class GuestBrief:
    """The reservation's guest: who, and how to reach them (``None`` when not loaded)."""

    id: int
    name: str | None
    phone: str | None
    email: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class TableBrief:
    """The reservation's main table and the party sizes it seats."""

    id: int
    name: str
    min_guests: int
    max_guests: int


@dataclass(frozen=True)
class ReservationView:
    """The seed's reservation join: the reservation's columns, ``table_ids`` (every table of a combination, the
    main one first), ``allowed_statuses`` (what the state machine lets the status become next), ``corrections``
    (the live statuses a wrong final one may be put back to), ``tags`` (lowercase slugs, :mod:`core.booking.tags`),
    the ``guest`` and the ``table`` (``None`` when it has none). ``date`` and ``time`` are restaurant-local;
    ``starts_at``/``ends_at``/``created_at`` are instants."""

    id: int
    restaurant_id: int
    guest_id: int
    table_id: int | None
    timeslot_id: int | None
    date: date
    time: time
    duration: int | None
    guests: int
    status: ReservationStatus
    allowed_statuses: tuple[ReservationStatus, ...]
    corrections: tuple[ReservationStatus, ...]
    comments: str | None
    tags: tuple[str, ...]
    source: str | None
    confirmation_1h: bool
    confirmation_2h: bool
    created_at: datetime | None
    starts_at: datetime
    ends_at: datetime
    table_ids: tuple[int, ...]
    guest: GuestBrief
    table: TableBrief | None


def _strings(value: object) -> tuple[str, ...]:
    """A JSON list column as read: a list from a model, maybe a JSON string from a joined row."""
    if isinstance(value, str):
        value = json.loads(value)
    return tuple(str(item) for item in value) if isinstance(value, list | tuple) else ()


def _fetched(reservation: Reservation, name: str) -> Any:
    """The related object/list if it was fetched (prefetch or fetch_related), else None."""
    related = getattr(reservation, f"_{name}", None)
    if related is None:
        return None
    if hasattr(related, "_fetched"):  # reverse relation
        return list(related) if related._fetched else None
    return related


def table_ids(reservation: Reservation) -> list[int]:
    """Every table the reservation holds: the main table first, then the others of a combination by id.
    Falls back to ``[table_id]`` when the allocations were not fetched."""
    allocations = _fetched(reservation, "allocations")
    return _main_first(reservation.table_id, {a.table_id for a in allocations} if allocations else ())


def _main_first(main: int | None, held: Iterable[int]) -> list[int]:
    ids = sorted(held)
    return ids if main is None else [main] + [i for i in ids if i != main]


#: The reservation's own columns in a view (what :func:`view_of_row` reads from a row).
COLUMNS = (
    "id",
    "restaurant_id",
    "guest_id",
    "table_id",
    "timeslot_id",
    "date",
    "time",
    "duration",
    "guests",
    "status",
    "comments",
    "tags",
    "source",
    "confirmation_1h",
    "confirmation_2h",
    "created_at",
    "starts_at",
    "ends_at",
)
#: The guest's and the table's columns joined to a row, by the names :func:`view_of_row` reads.
JOINED = {
    "guest_name": "guest__name",
    "guest_phone": "guest__phone",
    "guest_email": "guest__email",
    "guest_tags": "guest__tags",
    "table_name": "table__name",
    "table_min_guests": "table__min_guests",
    "table_max_guests": "table__max_guests",
}


def _view(r: Mapping[str, Any], held: list[int], guest: GuestBrief, table: TableBrief | None) -> ReservationView:
    status = ReservationStatus(r["status"])
    return ReservationView(
        id=r["id"],
        restaurant_id=r["restaurant_id"],
        guest_id=r["guest_id"],
        table_id=r["table_id"],
        timeslot_id=r["timeslot_id"],
        date=r["date"],
        time=r["time"],
        duration=r["duration"],
        guests=r["guests"],
        status=status,
        allowed_statuses=tuple(sorted(TRANSITIONS[status], key=str)),
        corrections=tuple(sorted(CORRECTIONS.get(status, ()), key=str)),
        comments=r["comments"],
        tags=_strings(r["tags"]),
        source=r["source"],
        confirmation_1h=r["confirmation_1h"],
        confirmation_2h=r["confirmation_2h"],
        created_at=r["created_at"],
        starts_at=r["starts_at"],
        ends_at=r["ends_at"],
        table_ids=tuple(held),
        guest=guest,
        table=table,
    )


def reservation_view(reservation: Reservation) -> ReservationView:
    """The view of a loaded reservation. Fetch ``guest``, ``table`` and ``allocations`` first (the booking
    service returns them fetched); unfetched relations are rendered from their ids alone."""
    guest = _fetched(reservation, "guest")
    table = _fetched(reservation, "table")
    return _view(
        {name: getattr(reservation, name) for name in COLUMNS},
        table_ids(reservation),
        (
            GuestBrief(guest.id, guest.name, guest.phone, guest.email, tuple(guest.tags or ()))
            if guest is not None
            else GuestBrief(reservation.guest_id, None, None, None, ())
        ),
        TableBrief(table.id, table.name, table.min_guests, table.max_guests) if table is not None else None,
    )


def view_of_row(row: Mapping[str, Any], held: Iterable[int]) -> ReservationView:
    """:func:`reservation_view` of a row read with ``.values(*COLUMNS, **JOINED)`` (no model built),
    given the ids of the tables its allocations hold (``held``)."""
    table = None
    if row["table_id"] is not None:
        table = TableBrief(row["table_id"], row["table_name"], row["table_min_guests"], row["table_max_guests"])
    guest = GuestBrief(
        row["guest_id"], row["guest_name"], row["guest_phone"], row["guest_email"], _strings(row["guest_tags"])
    )
    return _view(row, _main_first(row["table_id"], held), guest, table)
