"""Availability (core.booking.availability) on both backends: overlap, buffer, pacing, combinations,
day view, alternatives, DST and after-midnight hours."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta

import pytest

from core.booking.availability import check_availability, day_slots, day_view, find_alternatives
from core.booking.hours import WEEKDAYS
from core.booking.refusal_reasons import free_time_json
from core.errors import BookingRefused, SlotUnavailable
from core.models import Reservation, TableStatus
from tests.core.booking.helpers import DAY, NOW, book, make_restaurant, make_service, make_tables


def hm(times: list[dt.time]) -> list[str]:
    """Local times as "HH:MM"."""
    return [f"{t:%H:%M}" for t in times]


async def test_a_free_table_is_offered_with_the_booking_duration(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 2), ("T2", 2, 4))
    result = await check_availability(r.id, DAY, "19:00", 2, now=NOW)
    assert result.available
    assert (result.date.isoformat(), f"{result.time:%H:%M}", result.duration) == (DAY, "19:00", 120)
    assert [[t.name for t in o] for o in result.options] == [["T1"], ["T2"]]
    assert result.alternatives == []


async def test_a_booking_at_19_blocks_19_30_but_not_back_to_back(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    await book(service, r, "19:00")
    assert not (await check_availability(r.id, DAY, "19:30", 2, now=NOW)).available
    assert not (await check_availability(r.id, DAY, "17:15", 2, now=NOW)).available  # would end 19:15
    assert (await check_availability(r.id, DAY, "21:00", 2, now=NOW)).available  # back to back after
    assert (await check_availability(r.id, DAY, "17:00", 2, now=NOW)).available  # back to back before
    with pytest.raises(SlotUnavailable):
        await book(service, r, "19:30")
    await book(service, r, "21:00")
    await book(service, r, "17:00")
    assert await Reservation.filter(restaurant_id=r.id).count() == 3


async def test_the_buffer_separates_seatings_both_ways(db):
    r = await make_restaurant(buffer_minutes=15)
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    await book(service, r, "18:00")  # 18:00-20:00, held until 20:15
    times = {
        t: (await check_availability(r.id, DAY, t, 2, now=NOW)).available for t in ("15:45", "16:00", "20:00", "20:15")
    }
    assert times == {"15:45": True, "16:00": False, "20:00": False, "20:15": True}


async def test_canceled_and_finished_reservations_free_the_table(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    first = await book(service, r, "19:00")
    await service.cancel(r.id, first.id)
    assert (await check_availability(r.id, DAY, "19:30", 2, now=NOW)).available
    second = await book(service, r, "19:30")
    await service.set_status(r.id, second.id, "seated", confirm_seating=True)  # the host seats them early
    assert not (await check_availability(r.id, DAY, "20:00", 2, now=NOW)).available
    await service.set_status(r.id, second.id, "completed")
    assert (await check_availability(r.id, DAY, "20:00", 2, now=NOW)).available


async def test_unavailable_tables_and_wrong_sizes_are_not_offered(db):
    r = await make_restaurant()
    small, big, broken = await make_tables(r, ("S", 1, 2), ("B", 5, 8), ("X", 1, 4))
    broken.status = TableStatus.UNAVAILABLE
    await broken.save()
    assert [[t.name for t in o] for o in (await check_availability(r.id, DAY, "19:00", 2, now=NOW)).options] == [["S"]]
    with pytest.raises(BookingRefused) as info:  # only the unavailable table could seat 4
        await check_availability(r.id, DAY, "19:00", 4, now=NOW)
    assert info.value.code == "no_suitable_table"


async def test_a_party_no_table_can_ever_hold_is_refused(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4, True), ("T2", 1, 4, True), ("T3", 2, 6))
    with pytest.raises(BookingRefused) as info:
        await check_availability(r.id, DAY, "19:00", 9, now=NOW)
    assert info.value.code == "party_too_large"
    assert info.value.details["maxGuests"] == 8
    with pytest.raises(BookingRefused):
        await day_view(r.id, DAY, 9, now=NOW)


async def test_rule_refusals_come_from_the_hours(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    for day, time, code in [
        ("2026-05-31", "19:00", "in_past"),
        ("2026-06-01", "09:15", "too_soon"),
        ("2026-09-01", "19:00", "too_far"),
        (DAY, "10:00", "outside_hours"),
        (DAY, "22:00", "ends_after_close"),
    ]:
        with pytest.raises(BookingRefused) as info:
            await check_availability(r.id, day, time, 2, now=NOW)
        assert info.value.code == code, (day, time)


async def test_a_combination_blocks_each_of_its_tables(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 2), ("T2", 2, 4, True), ("T3", 2, 4, True))
    service = make_service()
    big = await book(service, r, "19:00", 7)
    assert big.table_id is not None
    assert sorted(a.table_id for a in big.allocations) == sorted(t.id for t in await r.tables.filter(combinable=True))
    result = await check_availability(r.id, DAY, "19:30", 3, now=NOW)
    assert not result.available
    assert (await check_availability(r.id, DAY, "19:30", 2, now=NOW)).options[0][0].name == "T1"


async def test_pacing_caps_covers_starting_in_one_slot(db):
    r = await make_restaurant(pacing_max_covers=6)
    await make_tables(r, ("T1", 1, 4), ("T2", 1, 4), ("T3", 1, 4))
    service = make_service()
    await book(service, r, "19:00", 4)
    assert (await check_availability(r.id, DAY, "19:00", 2, now=NOW)).available
    assert not (await check_availability(r.id, DAY, "19:00", 3, now=NOW)).available
    await book(service, r, "19:05", 2)
    refused = await check_availability(r.id, DAY, "19:10", 1, now=NOW)
    assert not refused.available and free_time_json(refused.alternatives[0]) == {"date": DAY, "time": "19:15"}
    with pytest.raises(SlotUnavailable):
        await book(service, r, "19:10", 1)
    assert (await check_availability(r.id, DAY, "19:15", 4, now=NOW)).available
    with pytest.raises(BookingRefused) as info:
        await check_availability(r.id, DAY, "19:00", 7, now=NOW)
    assert info.value.code == "party_too_large"


async def test_day_view_lists_every_bookable_start(db):
    r = await make_restaurant(
        opening_hours={d: [{"open": "18:00", "close": "22:00"}] for d in WEEKDAYS}, slot_interval_minutes=30
    )
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    assert hm(await day_view(r.id, DAY, 2, now=NOW)) == ["18:00", "18:30", "19:00", "19:30", "20:00"]
    await book(service, r, "19:00")
    assert hm(await day_view(r.id, DAY, 2, now=NOW)) == []  # 18:00 would end at 20:00, after 19:00
    assert hm(await day_view(r.id, DAY, 2, duration=60, now=NOW)) == ["18:00", "21:00"]
    slots = await day_slots(r.id, DAY, 2, duration=60, now=NOW)
    assert [(s.end - s.start, s.tables[0].name) for s in slots] == [(timedelta(minutes=60), "T1")] * 2


async def test_alternatives_nearest_same_day_then_following_days(db):
    r = await make_restaurant(
        opening_hours={d: [{"open": "18:00", "close": "22:00"}] for d in WEEKDAYS}, slot_interval_minutes=30
    )
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    await book(service, r, "18:30", duration=60)  # 18:30-19:30
    result = await check_availability(r.id, DAY, "19:00", 2, duration=60, now=NOW)
    assert not result.available
    assert [free_time_json(f) for f in result.alternatives[:3]] == [
        {"date": DAY, "time": "19:30"},
        {"date": DAY, "time": "20:00"},
        {"date": DAY, "time": "20:30"},
    ]
    found = await find_alternatives(r.id, DAY, "19:00", 2, duration=60, now=NOW, limit=6)
    assert [free_time_json(f) for f in found] == [
        {"date": DAY, "time": "19:30"},
        {"date": DAY, "time": "20:00"},
        {"date": DAY, "time": "20:30"},
        {"date": DAY, "time": "21:00"},
        {"date": "2026-06-03", "time": "19:00"},
        {"date": "2026-06-03", "time": "18:30"},
    ]
    earlier = await find_alternatives(r.id, DAY, "20:00", 2, duration=60, now=NOW, limit=3)
    assert [free_time_json(f) for f in earlier] == [
        {"date": DAY, "time": "19:30"},
        {"date": DAY, "time": "20:30"},
        {"date": DAY, "time": "21:00"},
    ]


async def test_modifying_ignores_the_reservation_itself(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    booked = await book(make_service(), r, "19:00")
    assert not (await check_availability(r.id, DAY, "19:30", 2, now=NOW)).available
    assert (await check_availability(r.id, DAY, "19:30", 2, now=NOW, exclude_reservation_id=booked.id)).available


# --- time: DST and past midnight -------------------------------------------------------------

LATE_FRIDAY = {"friday": [{"open": "18:00", "close": "02:00"}], "saturday": [{"open": "18:00", "close": "23:00"}]}


async def test_after_midnight_bookings_belong_to_the_date_they_fall_on(db):
    r = await make_restaurant(opening_hours=LATE_FRIDAY, slot_interval_minutes=30)
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    assert hm(await day_view(r.id, "2026-06-06", 2, duration=60, now=NOW))[:3] == ["00:00", "00:30", "01:00"]
    late = await book(service, r, "00:30", date="2026-06-06", duration=60)
    assert (late.date.isoformat(), late.starts_at) == ("2026-06-06", datetime(2026, 6, 5, 23, 30, tzinfo=UTC))
    assert not (await check_availability(r.id, "2026-06-06", "00:00", 2, duration=60, now=NOW)).available
    assert (await check_availability(r.id, "2026-06-05", "22:30", 2, duration=60, now=NOW)).available
    with pytest.raises(BookingRefused) as info:
        await check_availability(r.id, "2026-06-06", "01:30", 2, duration=60, now=NOW)
    assert info.value.code == "ends_after_close"


NIGHT = {d: [{"open": "22:00", "close": "06:00"}] for d in WEEKDAYS}


async def test_spring_forward_durations_are_real_minutes(db):
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    r = await make_restaurant(opening_hours=NIGHT, slot_interval_minutes=30)
    await make_tables(r, ("T1", 1, 4))
    times = hm(await day_view(r.id, "2026-03-29", 2, duration=60, now=now))
    assert "01:00" not in times and "01:30" not in times  # those local times do not exist
    assert times[:4] == ["00:00", "00:30", "02:00", "02:30"]
    service = make_service(now)
    first = await book(service, r, "00:30", date="2026-03-29")  # 00:30 GMT, 120 real minutes
    assert first.ends_at - first.starts_at == timedelta(minutes=120)
    assert first.ends_at == datetime(2026, 3, 29, 2, 30, tzinfo=UTC)  # 03:30 BST
    assert not (await check_availability(r.id, "2026-03-29", "03:00", 2, now=now)).available
    assert (await check_availability(r.id, "2026-03-29", "03:30", 2, now=now)).available
    with pytest.raises(BookingRefused) as info:
        await check_availability(r.id, "2026-03-29", "01:30", 2, now=now)
    assert info.value.code == "nonexistent_time"


async def test_fall_back_repeated_hour(db):
    now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    r = await make_restaurant(opening_hours=NIGHT, slot_interval_minutes=30)
    await make_tables(r, ("T1", 1, 4))
    # the repeated hour is offered once, as its first (BST) occurrence
    before = hm(await day_view(r.id, "2026-10-25", 2, duration=60, now=now))
    assert before[:5] == ["00:00", "00:30", "01:00", "01:30", "02:00"]
    service = make_service(now)
    first = await book(service, r, "00:30", date="2026-10-25")  # 00:30 BST = 23:30 UTC, ends 01:30 GMT
    assert first.ends_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    # 01:30 is read as its first occurrence (BST, 00:30 UTC): inside the booking
    assert not (await check_availability(r.id, "2026-10-25", "01:30", 2, duration=60, now=now)).available
    assert (await check_availability(r.id, "2026-10-25", "02:00", 2, duration=60, now=now)).available
    assert hm(await day_view(r.id, "2026-10-25", 2, duration=60, now=now))[0] == "02:00"


async def test_the_lean_reads_match_the_orm(db):
    from core.booking import reads
    from core.models import Restaurant, Table

    r = await make_restaurant(pacing_max_covers=8)
    made = await make_tables(r, ("T1", 1, 2, True, 3), ("T2", 2, 4))
    fast = await reads.tables(r.id)
    orm = await Table.filter(restaurant_id=r.id).order_by("id")
    fields = (
        "id",
        "restaurant_id",
        "name",
        "min_guests",
        "max_guests",
        "status",
        "combinable",
        "priority",
        "created_at",
        "shape",
    )
    assert [[getattr(t, f) for f in fields] for t in fast] == [[getattr(t, f) for f in fields] for t in orm]
    assert fast[0].status == TableStatus.FREE and isinstance(fast[0].status, TableStatus)
    fast[1].name = "Window"
    await fast[1].save()  # a lean table is a real, saved model
    assert (await Table.get(id=made[1].id)).name == "Window"
    assert (await reads.restaurant(r.id)).pacing_max_covers == 8
    assert await reads.restaurant(r.id + 1000) is None
    assert isinstance(await Restaurant.get(id=r.id), Restaurant)
    async with reads.pinned():
        assert len(await reads.tables(r.id)) == 2
