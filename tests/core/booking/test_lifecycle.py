"""The lifecycle the worker runs: no-shows, completed visits, archiving, as the system; guests' counts follow."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.booking.lifecycle import sweep
from core.booking.queries import guest_history
from core.booking.service import BookingService
from core.events import EventBus
from core.models import Reservation, ReservationStatus
from plugins.notifications.notifier import kind_of
from tests.core.booking.helpers import DAY, NOW, Recorder, book, make_restaurant, make_service, make_tables

S = ReservationStatus
START = datetime(2026, 6, 2, 18, 0, tzinfo=NOW.tzinfo)  # 19:00 in London on DAY


def at(delta: timedelta) -> BookingService:
    return BookingService(EventBus(), clock=lambda: START + delta)


async def test_no_show_after_the_restaurants_minutes_completed_after_the_end_archived_after_days(db):
    restaurant = await make_restaurant(no_show_after_minutes=20, archive_after_days=3)
    await make_tables(restaurant, ("T1", 1, 4), ("T2", 1, 4))
    service = make_service()
    late = await book(service, restaurant, "19:00")
    seated = await book(service, restaurant, "19:00")
    await service.set_status(restaurant.id, seated.id, "seated", confirm_seating=True)  # seated early
    bus = EventBus()
    seen = Recorder(bus)

    async def run(delta: timedelta):
        return await sweep(BookingService(bus, clock=lambda: START + delta), START + delta)

    assert (await run(timedelta(minutes=19))).total == 0
    assert (await run(timedelta(minutes=20))).no_show == 1
    assert (await Reservation.get(id=late.id)).status == S.NO_SHOW
    assert (await run(timedelta(minutes=119))).completed == 0  # the seated party's two hours are not over
    assert (await run(timedelta(minutes=120))).completed == 1
    assert (await Reservation.get(id=seated.id)).status == S.COMPLETED

    history = await guest_history(restaurant.id, seated.guest_id)
    assert (history.visits, history.no_shows) == (1, 0)
    assert (await guest_history(restaurant.id, late.guest_id)).no_shows == 1

    assert (await run(timedelta(days=3))).archived == 0  # three days after the *end*
    result = await run(timedelta(days=3, minutes=120))
    assert result.archived == 2
    assert {r.status for r in await Reservation.filter(restaurant_id=restaurant.id)} == {S.ARCHIVED}
    # Archived bookings still count as what they were.
    assert (await guest_history(restaurant.id, seated.guest_id)).visits == 1
    assert (await guest_history(restaurant.id, late.guest_id)).no_shows == 1
    # The worker acts as the system, and nobody is notified of its moves.
    assert {e.actor for e in seen.events} == {"system"}
    assert [e.data["status"] for e in seen.events] == ["no_show", "completed", "archived", "archived"]
    assert all(kind_of(e) is None for e in seen.events)
    assert (await run(timedelta(days=30))).total == 0  # nothing left to do


async def test_each_restaurant_has_its_own_settings_and_confirmed_bookings_become_no_shows(db):
    patient = await make_restaurant(no_show_after_minutes=60)
    strict = await make_restaurant(no_show_after_minutes=0)
    for r in (patient, strict):
        await make_tables(r, ("T1", 1, 4))
    service = make_service()
    a = await book(service, patient, "19:00")
    b = await book(service, strict, "19:00")
    await service.set_status(strict.id, b.id, "confirmed")
    await sweep(at(timedelta(minutes=1)), START + timedelta(minutes=1))
    assert (await Reservation.get(id=a.id)).status == S.CREATED
    assert (await Reservation.get(id=b.id)).status == S.NO_SHOW
    await sweep(at(timedelta(minutes=60)), START + timedelta(minutes=60))
    assert (await Reservation.get(id=a.id)).status == S.NO_SHOW
    assert DAY


async def test_a_restaurant_that_switched_no_shows_off_keeps_its_bookings_and_does_not_starve_others(db):
    off = await make_restaurant(no_show_after_minutes=None)
    on = await make_restaurant(no_show_after_minutes=30)
    for r in (off, on):
        await make_tables(r, ("T1", 1, 4), ("T2", 1, 4))
    service = make_service()
    kept = [await book(service, off, "19:00"), await book(service, off, "19:00")]
    marked = await book(service, on, "19:00")
    # limit=1: were the switched-off restaurant's bookings candidates, they would fill every sweep.
    result = await sweep(at(timedelta(hours=1)), START + timedelta(hours=1), limit=1)
    assert result.no_show == 1
    assert (await Reservation.get(id=marked.id)).status == S.NO_SHOW
    assert [(await Reservation.get(id=r.id)).status for r in kept] == [S.CREATED, S.CREATED]


def test_only_what_staff_did_is_told_to_the_guest():
    from core.events import DomainEvent

    def event(kind: str, actor: str, **data):
        booking = {"guestId": 5, "reservationId": 9, "date": "2026-12-11", "time": "19:00", "guests": 2}
        return DomainEvent(kind, 1, {**booking, "status": "created", **data}, actor=actor)

    assert kind_of(event("reservation.created", "staff")) == "created"
    assert kind_of(event("reservation.created", "guest", source="instagram")) is None  # no channel list guessed
    assert kind_of(event("reservation.status_changed", "staff", status="confirmed")) == "confirmed"
    assert kind_of(event("reservation.status_changed", "staff", status="seated")) is None
    assert kind_of(event("reservation.canceled", "staff")) == "canceled"
    assert kind_of(event("reservation.canceled", "guest")) is None
    assert kind_of(event("reservation.status_changed", "system", status="no_show")) is None
