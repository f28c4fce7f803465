"""The one JSON shape of a reservation, used by the API, the conversation tools and notifications."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from core.booking.states import TRANSITIONS, corrections_of
from core.jsontypes import JSON, JSONObject
from core.models import Reservation


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _json_list(value: object) -> list[JSON]:
    """A JSON list column as read: a list from a model, maybe a JSON string from a joined row."""
    if isinstance(value, str):
        value = json.loads(value)
    return [str(item) for item in value] if isinstance(value, list | tuple) else []


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


def _view(r: Mapping[str, Any], held: list[int], guest: JSONObject, table: JSONObject | None) -> JSONObject:
    status = r["status"]
    return {
        "id": r["id"],
        "restaurantId": r["restaurant_id"],
        "guestId": r["guest_id"],
        "tableId": r["table_id"],
        "timeslotId": r["timeslot_id"],
        "date": r["date"].isoformat(),
        "time": f"{r['time']:%H:%M}",
        "duration": r["duration"],
        "guests": r["guests"],
        "status": str(status),
        "allowedStatuses": sorted(str(s) for s in TRANSITIONS[status]),
        "corrections": corrections_of(status),
        "comments": r["comments"],
        "tags": _json_list(r["tags"]),
        "source": r["source"],
        "confirmation1h": r["confirmation_1h"],
        "confirmation2h": r["confirmation_2h"],
        "createdAt": _iso(r["created_at"]),
        "startsAt": _iso(r["starts_at"]),
        "endsAt": _iso(r["ends_at"]),
        "tableIds": list[JSON](held),
        "guest": guest,
        "table": table,
    }


def serialize_reservation(reservation: Reservation) -> JSONObject:
    """The seed's reservation join in camelCase: the reservation's columns, ``tableIds`` (all tables of a
    combination), ``allowedStatuses`` (what the state machine lets the status become next), ``tags``
    (lowercase slugs, :mod:`core.booking.tags`), ``guest`` ``{id, name, phone, email, tags}`` and
    ``table`` ``{id, name, minGuests, maxGuests}``
    (``None`` when it has no table). ``date`` is "YYYY-MM-DD" and ``time`` "HH:MM" (restaurant-local);
    ``startsAt``/``endsAt``/``createdAt`` are ISO-8601 instants. Fetch ``guest``, ``table`` and
    ``allocations`` first (the booking service returns them fetched); unfetched relations are
    rendered from their ids alone."""
    guest = _fetched(reservation, "guest")
    table = _fetched(reservation, "table")
    return _view(
        {name: getattr(reservation, name) for name in COLUMNS},
        table_ids(reservation),
        (
            {
                "id": guest.id,
                "name": guest.name,
                "phone": guest.phone,
                "email": guest.email,
                "tags": list(guest.tags or []),
            }
            if guest is not None
            else {"id": reservation.guest_id, "name": None, "phone": None, "email": None, "tags": []}
        ),
        (
            {"id": table.id, "name": table.name, "minGuests": table.min_guests, "maxGuests": table.max_guests}
            if table is not None
            else None
        ),
    )


def view_of_row(row: Mapping[str, Any], held: Iterable[int]) -> JSONObject:
    """:func:`serialize_reservation` of a row read with ``.values(*COLUMNS, **JOINED)`` (no model built),
    given the ids of the tables its allocations hold (``held``)."""
    table = None
    if row["table_id"] is not None:
        table = {
            "id": row["table_id"],
            "name": row["table_name"],
            "minGuests": row["table_min_guests"],
            "maxGuests": row["table_max_guests"],
        }
    guest = {
        "id": row["guest_id"],
        "name": row["guest_name"],
        "phone": row["guest_phone"],
        "email": row["guest_email"],
        "tags": _json_list(row["guest_tags"]),
    }
    return _view(row, _main_first(row["table_id"], held), guest, table)
