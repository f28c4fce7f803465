"""Nothing is sent to a walk-in: the staff notification of a new booking skips the source ``walk_in``."""

from __future__ import annotations

from core.events import RESERVATION_CREATED, Actor, DomainEvent
from plugins.notifications.notifier import kind_of


def _created(source: str) -> DomainEvent:
    data = {"reservationId": 1, "guestId": 7, "source": source, "actor": "staff", "status": "created"}
    data |= {"date": "2026-12-11", "time": "19:00", "guests": 2}
    return DomainEvent(RESERVATION_CREATED, 1, data, actor=Actor.STAFF)


def test_a_walk_in_gets_no_notice_but_a_phone_booking_does():
    assert kind_of(_created("walk_in")) is None
    assert kind_of(_created("staff")) == "created"
