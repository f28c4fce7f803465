"""The one JSON shape of a reservation, used by the API, the conversation tools and notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.booking.states import TRANSITIONS
from core.models import Reservation


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


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
    ids = sorted({a.table_id for a in allocations}) if allocations else []
    main = reservation.table_id
    if main is not None:
        ids = [main] + [i for i in ids if i != main]
    return ids


def serialize_reservation(reservation: Reservation) -> dict[str, Any]:
    """The seed's reservation join in camelCase: the reservation's columns, ``tableIds`` (all tables of a
    combination), ``allowedStatuses`` (what the state machine lets the status become next), ``guest``
    ``{id, name, phone, email}`` and ``table`` ``{id, name, minGuests, maxGuests}``
    (``None`` when it has no table). ``date`` is "YYYY-MM-DD" and ``time`` "HH:MM" (restaurant-local);
    ``startsAt``/``endsAt``/``createdAt`` are ISO-8601 instants. Fetch ``guest``, ``table`` and
    ``allocations`` first (the booking service returns them fetched); unfetched relations are
    rendered from their ids alone."""
    guest = _fetched(reservation, "guest")
    table = _fetched(reservation, "table")
    return {
        "id": reservation.id,
        "restaurantId": reservation.restaurant_id,
        "guestId": reservation.guest_id,
        "tableId": reservation.table_id,
        "timeslotId": reservation.timeslot_id,
        "date": reservation.date.isoformat(),
        "time": f"{reservation.time:%H:%M}",
        "duration": reservation.duration,
        "guests": reservation.guests,
        "status": str(reservation.status),
        "allowedStatuses": sorted(str(s) for s in TRANSITIONS[reservation.status]),
        "comments": reservation.comments,
        "source": reservation.source,
        "confirmation1h": reservation.confirmation_1h,
        "confirmation2h": reservation.confirmation_2h,
        "createdAt": _iso(reservation.created_at),
        "startsAt": _iso(reservation.starts_at),
        "endsAt": _iso(reservation.ends_at),
        "tableIds": table_ids(reservation),
        "guest": (
            {"id": guest.id, "name": guest.name, "phone": guest.phone, "email": guest.email}
            if guest is not None
            else {"id": reservation.guest_id, "name": None, "phone": None, "email": None}
        ),
        "table": (
            {"id": table.id, "name": table.name, "minGuests": table.min_guests, "maxGuests": table.max_guests}
            if table is not None
            else None
        ),
    }
