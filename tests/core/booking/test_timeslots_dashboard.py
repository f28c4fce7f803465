"""Timeslots (generation, stats that agree with reservations, linking) and dashboard figures."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.booking.dashboard import dashboard_stats, upcoming
from core.booking.hours import WEEKDAYS
from core.booking.service import ReservationChanges
from core.booking.timeslots import generate_timeslots, list_timeslots, timeslot_stats
from core.events import Actor
from core.models import Timeslot, TimeslotStatus
from tests.core.booking.helpers import DAY, NOW, book, make_restaurant, make_service, make_tables

EVENINGS = {d: [{"open": "18:00", "close": "22:00"}] for d in WEEKDAYS}


async def test_generate_is_idempotent_and_follows_hours(db):
    r = await make_restaurant(opening_hours={**EVENINGS, "sunday": []}, slot_interval_minutes=30)
    await make_tables(r, ("T1", 1, 2), ("T2", 2, 4))
    # Mon 1 June .. Sun 7 June (closed): 6 open days x 8 half-hours x 2 tables
    assert await generate_timeslots(r.id, days=7, now=NOW) == 96
    assert await generate_timeslots(r.id, days=7, now=NOW) == 0
    assert await generate_timeslots(r.id, days=8, now=NOW) == 16  # Monday 8 June added
    slots = await Timeslot.filter(restaurant_id=r.id, date=date(2026, 6, 2)).order_by("time", "table_id")
    assert [f"{s.time:%H:%M}" for s in slots[::2]] == [
        "18:00",
        "18:30",
        "19:00",
        "19:30",
        "20:00",
        "20:30",
        "21:00",
        "21:30",
    ]
    assert {s.duration for s in slots} == {30}


async def test_after_midnight_slots_belong_to_the_date_they_fall_on(db):
    r = await make_restaurant(opening_hours={"friday": [{"open": "22:00", "close": "01:00"}]}, slot_interval_minutes=60)
    await make_tables(r, ("T1", 1, 2))
    assert await generate_timeslots(r.id, days=2, start=date(2026, 6, 5), now=NOW) == 3
    got = await Timeslot.filter(restaurant_id=r.id).order_by("date", "time").values_list("date", "time")
    assert [(d.isoformat(), f"{t:%H:%M}") for d, t in got] == [
        ("2026-06-05", "22:00"),
        ("2026-06-05", "23:00"),
        ("2026-06-06", "00:00"),
    ]


async def test_stats_agree_with_the_reservations(db):
    r = await make_restaurant(opening_hours=EVENINGS, slot_interval_minutes=30)
    t1, t2 = await make_tables(r, ("T1", 1, 2), ("T2", 2, 4))
    await generate_timeslots(r.id, days=3, now=NOW)
    assert await timeslot_stats(r.id, DAY) == {"total": 16, "free": 16, "pending": 0, "occupied": 0}
    service = make_service()
    booking = await book(service, r, "19:00", 2)  # T1 19:00-21:00: four half-hour slots
    assert booking.timeslot_id is not None
    linked = await Timeslot.get(id=booking.timeslot_id)
    assert (linked.table_id, f"{linked.time:%H:%M}", linked.date.isoformat()) == (t1.id, "19:00", DAY)
    assert await timeslot_stats(r.id, DAY) == {"total": 16, "free": 12, "pending": 4, "occupied": 0}
    await service.set_status(r.id, booking.id, "confirmed")
    assert await timeslot_stats(r.id, DAY) == {"total": 16, "free": 12, "pending": 0, "occupied": 4}
    listed = await list_timeslots(r.id, DAY)
    assert [f"{s.time:%H:%M}" for s in listed if s.status == TimeslotStatus.OCCUPIED] == [
        "19:00",
        "19:30",
        "20:00",
        "20:30",
    ]
    assert await Timeslot.filter(restaurant_id=r.id, status=TimeslotStatus.OCCUPIED).count() == 0  # reads write nothing
    moved = await service.modify(r.id, booking.id, ReservationChanges(time="18:00", guests=3))
    assert moved.table_id == t2.id and moved.timeslot_id != booking.timeslot_id
    assert await timeslot_stats(r.id, DAY) == {"total": 16, "free": 12, "pending": 0, "occupied": 4}
    await service.set_status(r.id, booking.id, "seated", confirm_seating=True)  # the host seats them early
    await service.set_status(r.id, booking.id, "completed")
    assert await timeslot_stats(r.id, DAY) == {"total": 16, "free": 16, "pending": 0, "occupied": 0}
    assert await timeslot_stats(r.id, "2026-06-20") == {"total": 0, "free": 0, "pending": 0, "occupied": 0}


async def test_dashboard_figures_use_the_restaurants_today(db):
    # 23:30 UTC on 1 June is already 2 June in London: "today" is the 2nd
    now = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 10), ("T2", 1, 10), ("T3", 1, 10))
    service = make_service(now)
    a = await book(service, r, "13:00", 2)  # today, created
    b = await book(service, r, "19:00", 4)  # today, confirmed
    c = await book(service, r, "19:00", 3)  # today, canceled
    d = await book(service, r, "19:00", 5, date="2026-06-03")  # tomorrow, confirmed
    e = await book(service, r, "21:00", 6)  # today, no-show
    await service.set_status(r.id, b.id, "confirmed")
    await service.cancel(r.id, c.id)
    await service.set_status(r.id, d.id, "confirmed")
    await service.set_status(r.id, e.id, "no_show", actor=Actor.SYSTEM)  # as the worker's lifecycle marks it
    assert await dashboard_stats(r.id, now=now) == {
        "todayReservations": 3,  # a, b, e (not the canceled c)
        "confirmedReservations": 2,  # b, d
        "pendingReservations": 1,  # a
        "totalGuests": 11,  # a + b + d still expected
    }
    other = await make_restaurant(name="Other")
    assert await dashboard_stats(other.id, now=now) == {
        "todayReservations": 0,
        "confirmedReservations": 0,
        "pendingReservations": 0,
        "totalGuests": 0,
    }
    nxt = await upcoming(r.id, now=now)
    assert [x.id for x in nxt] == [a.id, b.id, d.id]
    assert nxt[0].guest.name and nxt[0].table.name
    assert [x.id for x in await upcoming(r.id, now=now, limit=1)] == [a.id]
    assert [x.id for x in await upcoming(r.id, now=now, hours=24)] == [a.id, b.id]
    later = datetime(2026, 6, 2, 13, 30, tzinfo=UTC)  # 14:30 local: a (13:00-15:00) still on
    assert [x.id for x in await upcoming(r.id, now=later)] == [a.id, b.id, d.id]
