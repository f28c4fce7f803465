"""The booking engine's events, typed: one payload class per event kind, read back from a :class:`DomainEvent`.

On the wire (Redis, ``/api/events``) an event's ``data`` stays the camelCase JSON described in
:mod:`core.booking.notify`; a consumer in Python reads it through these instead of
``int(event.data["guestId"])``: ``ReservationPayload.of(event).guest_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time

from core.events import (
    HOURS_CHANGED,
    RESERVATION_CANCELED,
    RESERVATION_CREATED,
    RESERVATION_STATUS_CHANGED,
    RESERVATION_UPDATED,
    TABLE_CHANGED,
    Actor,
    DomainEvent,
)
from core.jsontypes import JSON
from core.models import ReservationStatus

RESERVATION_EVENTS = frozenset(
    {RESERVATION_CREATED, RESERVATION_UPDATED, RESERVATION_STATUS_CHANGED, RESERVATION_CANCELED}
)


def _expect(event: DomainEvent, kinds: frozenset[str] | str) -> None:
    if event.type not in (kinds if isinstance(kinds, frozenset) else {kinds}):
        raise ValueError(f"a {event.type} event has no such payload")


@dataclass(frozen=True)
class FieldChange:
    """One field of a reservation that changed: its JSON values before and after (as the API shows them)."""

    before: object
    after: object


@dataclass(frozen=True)
class ReservationPayload:
    """``reservation.created``, ``.updated``, ``.status_changed`` and ``.canceled``: the reservation as it is
    after the change (restaurant-local ``date`` and ``time``), who acted, and for updates and status moves
    what changed, by the API's camelCase field name."""

    reservation_id: int
    guest_id: int | None
    date: date
    time: time
    guests: int
    status: ReservationStatus
    table_id: int | None
    table_ids: tuple[int, ...]
    source: str | None
    tags: tuple[str, ...]
    actor: Actor
    changes: Mapping[str, FieldChange] = field(default_factory=dict)

    @classmethod
    def of(cls, event: DomainEvent) -> ReservationPayload:
        """The payload of a reservation event (``ValueError`` for another kind)."""
        _expect(event, RESERVATION_EVENTS)
        data = event.data
        changes = data.get("changes")
        guest_id, table_id = data.get("guestId"), data.get("tableId")
        return cls(
            reservation_id=_int(data["reservationId"]),
            guest_id=None if guest_id is None else _int(guest_id),
            date=date.fromisoformat(str(data["date"])),
            time=time.fromisoformat(str(data["time"])),
            guests=_int(data["guests"]),
            status=ReservationStatus(str(data["status"])),
            table_id=None if table_id is None else _int(table_id),
            table_ids=tuple(_int(t) for t in _items(data.get("tableIds"))),
            source=None if data.get("source") is None else str(data.get("source")),
            tags=tuple(str(t) for t in _items(data.get("tags"))),
            actor=Actor(str(data.get("actor") or event.actor)),
            changes={
                name: FieldChange(c.get("from"), c.get("to"))
                for name, c in (changes.items() if isinstance(changes, dict) else ())
                if isinstance(c, dict)
            },
        )


def _int(value: JSON) -> int:
    """A whole number of a payload (sent as a number, or as its digits)."""
    if isinstance(value, int | str):
        return int(value)
    raise ValueError(f"not a whole number: {value!r}")


def _items(value: JSON) -> list[JSON]:
    """A payload's list (None or anything else reads as empty)."""
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class TablePayload:
    """``table.changed``: which table, and whether it was ``created``, ``updated`` or ``deleted``."""

    table_id: int
    action: str

    @classmethod
    def of(cls, event: DomainEvent) -> TablePayload:
        """The payload of a ``table.changed`` event (``ValueError`` for another kind)."""
        _expect(event, TABLE_CHANGED)
        return cls(_int(event.data["tableId"]), str(event.data["action"]))


@dataclass(frozen=True)
class HoursPayload:
    """``hours.changed``: the restaurant whose opening hours, exceptions or booking rules changed."""

    restaurant_id: int

    @classmethod
    def of(cls, event: DomainEvent) -> HoursPayload:
        """The payload of an ``hours.changed`` event (``ValueError`` for another kind)."""
        _expect(event, HOURS_CHANGED)
        return cls(_int(event.data["restaurantId"]))
