"""The one JSON shape of a :class:`~core.booking.views.ReservationView`, for where core itself writes JSON:
the conversation tools' results, event payloads and history entries, and the few API answers that carry a
reservation as a plain JSON object (a guest's recent reservations, the bookings a change of hours would leave
outside). The API's own answers are written by its pydantic schema, which names the same fields the same way.

camelCase keys; ``date`` "YYYY-MM-DD" and ``time`` "HH:MM" (restaurant-local); ``startsAt``/``endsAt``/
``createdAt`` ISO-8601 instants; ``guest`` ``{id, name, phone, email, tags}`` and ``table``
``{id, name, minGuests, maxGuests}`` (``None`` when it has no table).
"""

from __future__ import annotations

from datetime import datetime

from core.booking.views import GuestBrief, ReservationView, TableBrief
from core.jsontypes import JSON, JSONObject


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _guest(guest: GuestBrief) -> JSONObject:
    return {"id": guest.id, "name": guest.name, "phone": guest.phone, "email": guest.email, "tags": list(guest.tags)}


def _table(table: TableBrief | None) -> JSONObject | None:
    if table is None:
        return None
    return {"id": table.id, "name": table.name, "minGuests": table.min_guests, "maxGuests": table.max_guests}


def reservation_json(view: ReservationView) -> JSONObject:
    """``view`` as JSON (the module docstring)."""
    return {
        "id": view.id,
        "restaurantId": view.restaurant_id,
        "guestId": view.guest_id,
        "tableId": view.table_id,
        "timeslotId": view.timeslot_id,
        "date": view.date.isoformat(),
        "time": f"{view.time:%H:%M}",
        "duration": view.duration,
        "guests": view.guests,
        "status": str(view.status),
        "allowedStatuses": [str(s) for s in view.allowed_statuses],
        "corrections": [str(s) for s in view.corrections],
        "comments": view.comments,
        "tags": list[JSON](view.tags),
        "source": view.source,
        "confirmation1h": view.confirmation_1h,
        "confirmation2h": view.confirmation_2h,
        "createdAt": _iso(view.created_at),
        "startsAt": _iso(view.starts_at),
        "endsAt": _iso(view.ends_at),
        "tableIds": list[JSON](view.table_ids),
        "guest": _guest(view.guest),
        "table": _table(view.table),
    }
