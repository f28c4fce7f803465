"""The booking events read back as typed payloads (core.booking.payloads), from what the service published."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.booking.payloads import FieldChange, HoursPayload, ReservationPayload, TablePayload
from core.booking.service import ReservationChanges
from core.events import Actor, DomainEvent, EventBus
from core.models import ReservationStatus
from tests.core.booking.helpers import DAY, Recorder, book, make_restaurant, make_service, make_tables


async def test_reservation_events_read_back_typed(db):
    r = await make_restaurant()
    t1, t2 = await make_tables(r, ("T1", 2, 4), ("T2", 2, 4))
    bus = EventBus()
    seen = Recorder(bus)
    service = make_service(bus=bus)
    booking = await book(service, r, "19:00", source="telegram", tags=["birthday"])
    await service.modify(r.id, booking.id, ReservationChanges(time="19:30", table_id=t2.id))
    await service.cancel(r.id, booking.id, guest_id=booking.guest_id)
    created, updated, canceled = (ReservationPayload.of(e) for e in seen.events)

    assert created.reservation_id == booking.id and created.guest_id == booking.guest_id
    assert (created.date, created.time, created.guests) == (date.fromisoformat(DAY), time(19, 0), 2)
    assert created.status is ReservationStatus.CREATED and created.actor is Actor.STAFF
    assert (created.table_id, created.table_ids) == (t1.id, (t1.id,))
    assert (created.source, created.tags, created.changes) == ("telegram", ("birthday",), {})
    assert updated.time == time(19, 30) and updated.table_ids == (t2.id,)
    assert updated.changes["time"] == FieldChange("19:00", "19:30")
    assert updated.changes["tableId"] == FieldChange(t1.id, t2.id)
    assert canceled.status is ReservationStatus.CANCELED and canceled.actor is Actor.GUEST
    assert canceled.changes == {"status": FieldChange("created", "canceled")}


def test_table_and_hours_events_and_a_wrong_kind():
    table = DomainEvent("table.changed", 3, {"tableId": 9, "action": "deleted"}, actor=Actor.STAFF)
    assert TablePayload.of(table) == TablePayload(9, "deleted")
    assert HoursPayload.of(DomainEvent("hours.changed", 3, {"restaurantId": 3})) == HoursPayload(3)
    with pytest.raises(ValueError, match="table.changed"):
        ReservationPayload.of(table)
