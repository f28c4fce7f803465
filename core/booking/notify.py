"""Domain events of the booking engine, published after commit.

Reservation events carry ``data`` = ``{"reservationId", "guestId", "date", "time",
"guests", "status", "tableId", "tableIds", "source", "tags"}`` plus ``"changes"``
(``{field: {"from", "to"}}``, camelCase field names) for updates and status
changes. Every event says who acted, as :attr:`core.events.DomainEvent.actor` and as
``data["actor"]``: ``"guest"`` when the guest did it in a chat (the conversation passes
``actor=Actor.GUEST``; a change scoped with ``guest_id`` is the guest's too), ``"staff"``
for the staff API, ``"system"`` for the worker's lifecycle moves. Table and hours events
carry the ids needed to invalidate caches.
"""

from __future__ import annotations

from datetime import datetime

from core import metrics
from core.booking.view_json import reservation_json
from core.booking.views import ReservationView, reservation_view
from core.events import (
    HOURS_CHANGED,
    RESERVATION_CANCELED,
    RESERVATION_CREATED,
    TABLE_CHANGED,
    Actor,
    DomainEvent,
    EventBus,
)
from core.jsontypes import JSONObject
from core.models import Reservation
from core.storage.rows import record_history

#: The events counted in ``tobeout_bookings_total`` (:mod:`core.metrics`), by the label they get there.
COUNTED = {RESERVATION_CREATED: "created", RESERVATION_CANCELED: "canceled"}

#: Fields of :func:`~core.booking.view_json.reservation_json` compared to describe a modification.
TRACKED = ("date", "time", "duration", "guests", "status", "tableId", "tableIds", "comments", "tags")


def reservation_data(
    reservation: Reservation, *, changes: JSONObject | None = None, actor: Actor | None = None
) -> JSONObject:
    """The event payload for ``reservation`` (``changes`` and ``actor`` added when given)."""
    view = reservation_json(reservation_view(reservation))
    data: JSONObject = {
        "reservationId": view["id"],
        "guestId": view["guestId"],
        "date": view["date"],
        "time": view["time"],
        "guests": view["guests"],
        "status": view["status"],
        "tableId": view["tableId"],
        "tableIds": view["tableIds"],
        "source": view["source"],
        "tags": view["tags"],
    }
    if changes is not None:
        data["changes"] = changes
    if actor is not None:
        data["actor"] = actor
    return data


def diff(before: ReservationView, after: ReservationView) -> JSONObject:
    """``{field: {"from", "to"}}`` for the tracked fields that differ between two views, by their JSON names
    and values (as the API shows them)."""
    old, new = reservation_json(before), reservation_json(after)
    return {k: {"from": old.get(k), "to": new.get(k)} for k in TRACKED if old.get(k) != new.get(k)}


async def publish_reservation(
    bus: EventBus,
    event_type: str,
    reservation: Reservation,
    *,
    actor: Actor,
    changes: JSONObject | None = None,
    recorded: bool = False,
    at: datetime | None = None,
) -> None:
    """Record ``event_type`` (``reservation.created`` ...) caused by ``actor`` in the history (unless the write
    already did: ``recorded``), stamped ``at``, count it (creations and cancellations), then publish it."""
    data = reservation_data(reservation, changes=changes, actor=actor)
    if not recorded:
        await record_history(reservation, event_type, actor, changes, at)
    if event_type in COUNTED:
        metrics.count_booking(COUNTED[event_type], reservation.source, str(actor))
    await bus.publish(DomainEvent(event_type, reservation.restaurant_id, data, actor=actor))


async def publish_table_changed(
    bus: EventBus, restaurant_id: int, table_id: int, *, action: str = "updated", actor: Actor = Actor.STAFF
) -> None:
    """Publish ``table.changed`` (``action``: "created", "updated" or "deleted") after staff changed a table."""
    data: JSONObject = {"tableId": table_id, "action": action}
    await bus.publish(DomainEvent(TABLE_CHANGED, restaurant_id, data, actor=actor))


async def publish_hours_changed(bus: EventBus, restaurant_id: int, *, actor: Actor = Actor.STAFF) -> None:
    """Publish ``hours.changed`` after staff changed opening hours, exceptions or booking rules."""
    await bus.publish(DomainEvent(HOURS_CHANGED, restaurant_id, {"restaurantId": restaurant_id}, actor=actor))
