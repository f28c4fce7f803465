"""The booking service (core.booking.service) on both backends: create, modify, cancel, the state
machine, guest scoping, events and the serialised view."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.booking.service import BookingRequest, GuestInput, ReservationChanges
from core.booking.states import TRANSITIONS
from core.booking.view_json import reservation_json
from core.booking.views import reservation_view
from core.errors import BookingRefused, InvalidTransition, NotFound, SlotUnavailable, ValidationError
from core.events import EventBus
from core.models import ACTIVE_STATUSES, Guest, Reservation, ReservationStatus, ReservationTable
from tests.core.booking.helpers import (
    DAY,
    EVENING,
    Recorder,
    book,
    guest_input,
    make_restaurant,
    make_service,
    make_tables,
)

S = ReservationStatus


async def test_create_assigns_the_best_table_and_returns_the_seed_join(db):
    r = await make_restaurant(phone="+442079460000")
    big, small = await make_tables(r, ("Big", 1, 6), ("Small", 1, 2))
    service = make_service()
    reservation = await service.create(
        r.id,
        BookingRequest(
            date=DAY,
            time="19:00",
            guests=2,
            comments="  window please ",
            source="webchat",
            guest=GuestInput(name="Ann", phone="07700 900123", email="ann@example.com", language="de"),
        ),
    )
    view = reservation_json(reservation_view(reservation))
    assert view["tableId"] == small.id and view["tableIds"] == [small.id]
    assert view["table"] == {"id": small.id, "name": "Small", "minGuests": 1, "maxGuests": 2}
    assert view["guest"] == {
        "id": reservation.guest_id,
        "name": "Ann",
        "phone": "+447700900123",
        "email": "ann@example.com",
        "tags": [],
    }
    assert {k: view[k] for k in ("date", "time", "duration", "guests", "status", "comments", "source")} == {
        "date": DAY,
        "time": "19:00",
        "duration": 120,
        "guests": 2,
        "status": "created",
        "comments": "window please",
        "source": "webchat",
    }
    assert view["startsAt"] == "2026-06-02T18:00:00+00:00" and view["endsAt"] == "2026-06-02T20:00:00+00:00"
    assert view["restaurantId"] == r.id and view["timeslotId"] is None
    assert not view["confirmation1h"] and not view["confirmation2h"] and view["createdAt"]
    alloc = await ReservationTable.get(reservation_id=reservation.id)
    assert (alloc.table_id, alloc.active, alloc.blocked_until) == (small.id, True, reservation.ends_at)


async def test_turn_times_set_the_duration(db):
    r = await make_restaurant(
        turn_times=[{"minGuests": 1, "maxGuests": 2, "minutes": 90}, {"minGuests": 7, "minutes": 150}]
    )
    await make_tables(r, ("T1", 1, 10), ("T2", 1, 10), ("T3", 1, 10))
    service = make_service()
    assert [(await book(service, r, "19:00", n)).duration for n in (2, 4, 8)] == [90, 120, 150]
    assert (await book(service, r, "12:00", 2, duration=45)).duration == 45


async def test_create_refusals(db):
    r = await make_restaurant()
    t1, _ = await make_tables(r, ("T1", 1, 4), ("T2", 1, 8))
    service = make_service()
    with pytest.raises(BookingRefused):
        await book(service, r, "08:00")
    with pytest.raises(ValidationError):
        await book(service, r, "25:00")
    with pytest.raises(NotFound):
        await book(service, r, "19:00", guest_id=999)
    with pytest.raises(NotFound):
        await book(service, r, "19:00", table_id=999)
    with pytest.raises(ValidationError) as info:  # a table named twice (its seats alone are only warned about)
        await book(service, r, "19:00", 5, table_ids=[t1.id, t1.id])
    with pytest.raises(ValidationError):
        await service.create(r.id, BookingRequest(date=DAY, time="19:00", guests=2))
    with pytest.raises(ValidationError):
        await book(service, r, "19:00", status=S.CANCELED)
    with pytest.raises(NotFound):
        await service.create(12345, BookingRequest(date=DAY, time="19:00", guests=2, guest=guest_input()))
    assert info.value.code == "table_unsuitable"
    assert await Reservation.all().count() == 0


async def test_slot_unavailable_carries_alternatives(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    await book(service, r, "19:00")
    with pytest.raises(SlotUnavailable) as info:
        await book(service, r, "19:30")
    details = info.value.details
    assert details["alternatives"][0] == {"date": DAY, "time": "21:00"}
    assert (details["date"], details["time"], details["guests"]) == (DAY, "19:30", 2)
    assert "21:00" in info.value.message and info.value.code == "slot_unavailable"


async def test_a_table_staff_chose_is_kept_or_refused(db):
    r = await make_restaurant()
    small, big = await make_tables(r, ("Small", 1, 2), ("Big", 4, 8))
    service = make_service()
    chosen = await book(service, r, "19:00", 2, table_id=big.id)  # below its minimum: staff may
    assert chosen.table_id == big.id
    with pytest.raises(SlotUnavailable) as info:
        await book(service, r, "19:30", 2, table_id=big.id)
    assert info.value.details["tableId"] == big.id and "Big" in info.value.message


async def test_walk_ins_are_seated_without_the_booking_window(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    now = datetime(2026, 6, 2, 18, 5, tzinfo=UTC)  # 19:05 in London
    walk_in = await make_service(now).create(
        r.id, BookingRequest(date=DAY, time="19:05", guests=2, status=S.SEATED, guest=GuestInput(name="Walk-in"))
    )
    assert walk_in.status == S.SEATED and walk_in.guest.phone is None


async def test_modify_moves_time_and_keeps_the_table_when_free(db):
    r = await make_restaurant()
    t1, t2 = await make_tables(r, ("T1", 1, 4), ("T2", 1, 4))
    service = make_service()
    first = await book(service, r, "18:00")
    assert first.table_id == t1.id
    moved = await service.modify(r.id, first.id, ReservationChanges(time="18:30"))  # overlaps only itself
    assert (f"{moved.time:%H:%M}", moved.table_id) == ("18:30", t1.id)
    other = await book(service, r, "20:30")
    assert other.table_id == t1.id
    later = await service.modify(r.id, first.id, ReservationChanges(time="19:30"))  # T1 taken from 20:30
    assert later.table_id == t2.id
    assert [a.table_id for a in later.allocations] == [t2.id]
    assert await ReservationTable.filter(reservation_id=first.id).count() == 1


async def test_modify_party_size_reassigns_and_follows_turn_times(db):
    r = await make_restaurant(turn_times=[{"minGuests": 1, "maxGuests": 2, "minutes": 90}])
    small, big = await make_tables(r, ("Small", 1, 2), ("Big", 1, 6))
    service = make_service()
    booking = await book(service, r, "19:00", 2)
    assert (booking.table_id, booking.duration) == (small.id, 90)
    bigger = await service.modify(r.id, booking.id, ReservationChanges(guests=5))
    assert (bigger.table_id, bigger.duration, bigger.guests) == (big.id, 120, 5)
    smaller = await service.modify(r.id, booking.id, ReservationChanges(guests=2))
    assert smaller.table_id == big.id  # still fits and free: kept
    own = await service.modify(r.id, booking.id, ReservationChanges(duration=60, comments="birthday"))
    assert (own.duration, own.comments) == (60, "birthday")
    cleared = await service.modify(r.id, booking.id, ReservationChanges(comments=""))
    assert cleared.comments is None
    to_small = await service.modify(r.id, booking.id, ReservationChanges(table_id=small.id))
    assert to_small.table_id == small.id


async def test_modify_refusals_leave_the_reservation_as_it_was(db):
    r = await make_restaurant()
    (t1,) = await make_tables(r, ("T1", 1, 4))
    service = make_service()
    first = await book(service, r, "19:00")
    await book(service, r, "21:00")
    with pytest.raises(SlotUnavailable):
        await service.modify(r.id, first.id, ReservationChanges(time="20:00"))
    with pytest.raises(BookingRefused):
        await service.modify(r.id, first.id, ReservationChanges(time="11:00"))
    with pytest.raises(BookingRefused):
        await service.modify(r.id, first.id, ReservationChanges(guests=9))
    again = await service.get(r.id, first.id)
    assert (f"{again.time:%H:%M}", again.guests, again.table_id) == ("19:00", 2, t1.id)
    await service.cancel(r.id, first.id)
    with pytest.raises(InvalidTransition):
        await service.modify(r.id, first.id, ReservationChanges(time="18:00"))


async def test_nothing_to_change_is_a_no_op(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    bus = EventBus()
    seen = Recorder(bus)
    service = make_service(bus=bus)
    booking = await book(service, r, "19:00")
    same = await service.modify(r.id, booking.id, ReservationChanges(time="19:00", guests=2))
    assert same.id == booking.id and seen.types() == ["reservation.created"]


def _path(target: ReservationStatus) -> list[ReservationStatus]:
    return {
        S.CREATED: [],
        S.CONFIRMED: [S.CONFIRMED],
        S.SEATED: [S.SEATED],
        S.COMPLETED: [S.SEATED, S.COMPLETED],
        S.CANCELED: [S.CANCELED],
        S.NO_SHOW: [S.NO_SHOW],
        S.ARCHIVED: [S.CANCELED, S.ARCHIVED],
    }[target]


async def test_state_machine_every_move(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    service, evening = make_service(), make_service(EVENING)  # booked the day before, moved during the evening
    allowed = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert (S.CREATED, S.SEATED) in allowed  # walk-ins and unconfirmed arrivals
    outcomes = {}
    for start in S:
        for target in S:
            booking = await book(service, r, "19:00")
            for step in _path(start):
                await evening.set_status(r.id, booking.id, step)
            try:
                after = await evening.set_status(r.id, booking.id, target)
                outcomes[(start, target)] = True
                assert after.status == target
            except InvalidTransition as exc:
                outcomes[(start, target)] = False
                assert exc.details == {
                    "from": str(start),
                    "to": str(target),
                    "allowed": sorted(str(s) for s in TRANSITIONS[start]),
                }
            final = await service.get(r.id, booking.id)
            actives = {a.active for a in final.allocations}
            assert actives == {final.status in ACTIVE_STATUSES}
            if final.status in ACTIVE_STATUSES:
                await evening.set_status(r.id, booking.id, S.CANCELED if final.status != S.SEATED else S.COMPLETED)
    assert {k for k, ok in outcomes.items() if ok and k[0] != k[1]} == allowed
    assert all(outcomes[(s, s)] for s in S)  # the same status again is a no-op
    assert not outcomes[(S.SEATED, S.CANCELED)] and not outcomes[(S.ARCHIVED, S.CREATED)]


async def test_invalid_transition_message_is_clear(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    booking = await book(service, r, "19:00")
    await make_service(EVENING).set_status(r.id, booking.id, "seated")
    with pytest.raises(InvalidTransition) as info:
        await service.cancel(r.id, booking.id)
    assert info.value.message == "A seated reservation cannot become canceled; it can become completed."
    with pytest.raises(ValidationError):
        await service.set_status(r.id, booking.id, "eaten")


async def test_guest_scoping_hides_other_guests_reservations(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4), ("T2", 1, 4))
    other_restaurant = await make_restaurant(name="Elsewhere")
    service = make_service()
    ann = await book(service, r, "19:00")
    bob = await book(service, r, "19:00")
    assert ann.guest_id != bob.guest_id
    for call in (
        service.get(r.id, ann.id, guest_id=bob.guest_id),
        service.modify(r.id, ann.id, ReservationChanges(time="20:00"), guest_id=bob.guest_id),
        service.cancel(r.id, ann.id, guest_id=bob.guest_id),
        service.get(other_restaurant.id, ann.id),
        service.set_status(other_restaurant.id, ann.id, "confirmed"),
    ):
        with pytest.raises(NotFound):
            await call
    assert (await service.get(r.id, ann.id, guest_id=ann.guest_id)).status == S.CREATED
    assert [x.id for x in await service.list_for_guest(r.id, ann.guest_id)] == [ann.id]
    await service.cancel(r.id, ann.id, guest_id=ann.guest_id)
    assert await service.list_for_guest(r.id, ann.guest_id) == []
    assert [x.id for x in await service.list_for_guest(r.id, ann.guest_id, upcoming_only=False)] == [ann.id]
    with pytest.raises(NotFound):
        await service.create(
            other_restaurant.id,
            BookingRequest(date=DAY, time="19:00", guests=2),
            guest=await Guest.get(id=ann.guest_id),
        )


async def test_every_change_publishes_an_event_after_commit(db):
    r = await make_restaurant()
    t1, t2 = await make_tables(r, ("T1", 1, 4), ("T2", 1, 4))
    bus = EventBus()
    seen = Recorder(bus)
    committed = []

    async def check_committed(event):  # the row is visible to a fresh query when the event arrives
        committed.append(await Reservation.filter(id=event.data["reservationId"]).values_list("status", flat=True))

    bus.add_handler(check_committed)
    service = make_service(bus=bus)
    booking = await book(service, r, "19:00", source="telegram")
    await service.modify(r.id, booking.id, ReservationChanges(time="19:30", comments="late"))
    await service.set_status(r.id, booking.id, "confirmed")
    await service.cancel(r.id, booking.id, guest_id=booking.guest_id)
    with pytest.raises(InvalidTransition):  # refusals publish nothing
        await service.modify(r.id, booking.id, ReservationChanges(time="20:00"))
    await service.cancel(r.id, booking.id)  # already canceled: no-op, no event
    assert seen.types() == [
        "reservation.created",
        "reservation.updated",
        "reservation.status_changed",
        "reservation.canceled",
    ]
    created, updated, confirmed, canceled = seen.events
    assert all(e.restaurant_id == r.id for e in seen.events)
    assert created.data == {
        "reservationId": booking.id,
        "guestId": booking.guest_id,
        "date": DAY,
        "time": "19:00",
        "guests": 2,
        "status": "created",
        "tableId": t1.id,
        "tableIds": [t1.id],
        "source": "telegram",
        "tags": [],
        "actor": "staff",
    }
    assert updated.data["changes"] == {
        "time": {"from": "19:00", "to": "19:30"},
        "comments": {"from": None, "to": "late"},
    }
    assert confirmed.data["changes"] == {"status": {"from": "created", "to": "confirmed"}}
    assert canceled.data["status"] == "canceled"
    # Every event says who acted, creation included (the service's default is staff; a guest_id scope is the guest).
    assert [e.data.get("actor") for e in seen.events] == ["staff", "staff", "staff", "guest"]
    assert [e.actor for e in seen.events] == ["staff", "staff", "staff", "guest"]
    assert committed == [["created"], ["created"], ["confirmed"], ["canceled"]]


async def test_a_full_slot_is_refused_in_words_that_do_not_follow_the_process_locale(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    await book(service, r, "19:00")
    with pytest.raises(SlotUnavailable) as refused:
        await book(service, r, "19:00")
    assert DAY == "2026-06-02"  # a Tuesday
    assert refused.value.message.startswith("Sorry, we have no table free for 2 at 19:00 on Tuesday 2 June.")
