"""Writes through the ORM that both databases share: the booking engine's moves and SQLite's new bookings
(:class:`core.storage.sqlite.SqliteStorage`) put rows the same way."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from core.jsontypes import JSONObject
from core.models import Reservation, ReservationChange, ReservationTable, Table, Timeslot
from core.storage.base import Slot


async def timeslot_id(restaurant_id: int, table_id: int, slot: Slot) -> int | None:
    """The id of the timeslot of ``table_id`` at the booking's local date and time, if generated."""
    ids = cast(
        list[int],
        await Timeslot.filter(restaurant_id=restaurant_id, table_id=table_id, date=slot.date, time=slot.time)
        .limit(1)
        .values_list("id", flat=True),
    )
    return ids[0] if ids else None


async def allocate(reservation: Reservation, tables: list[Table], slot: Slot) -> list[ReservationTable]:
    """Hold ``tables`` for the booking: one active allocation each, until its end plus the buffer."""
    made = []
    for table in tables:
        made.append(
            await ReservationTable.create(
                reservation_id=reservation.id,
                table_id=table.id,
                restaurant_id=reservation.restaurant_id,
                starts_at=slot.start,
                blocked_until=slot.until,
                active=True,
            )
        )
    return made


async def record_history(
    reservation: Reservation,
    event_type: str,
    actor: str,
    changes: JSONObject | None = None,
    at: datetime | None = None,
) -> None:
    """Write the history entry of ``event_type`` (``reservation.created`` ...) caused by ``actor``,
    stamped ``at`` (the engine's clock; the database's time when not given)."""
    entry = ReservationChange(
        restaurant_id=reservation.restaurant_id,
        reservation_id=reservation.id,
        type=event_type,
        changes=changes or None,
        actor=actor,
        source=reservation.source,
    )
    if at is not None:
        entry.created_at = at  # kept by the field's auto_now_add, which fills only an empty value
    await entry.save()
