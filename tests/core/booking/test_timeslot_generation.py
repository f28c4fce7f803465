"""Timeslot generation in set operations, on both backends: the grid, idempotence, the horizon cap."""

from __future__ import annotations

from datetime import date, time

from core.booking.timeslots import MAX_DAYS, generate_timeslots
from core.models import Restaurant, Table, Timeslot
from tests.clock import NOW

HOURS = {
    d: [{"open": "18:00", "close": "20:00"}]
    for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


async def test_generation_makes_the_grid_once_and_stops_at_the_horizon(db):
    restaurant = await Restaurant.create(name="Grid", timezone="UTC", opening_hours=HOURS, slot_interval_minutes=30)
    tables = [
        await Table.create(restaurant_id=restaurant.id, name=f"T{i}", min_guests=1, max_guests=4) for i in range(2)
    ]
    start = date(2026, 12, 1)
    assert await generate_timeslots(restaurant.id, days=2, start=start, now=NOW) == 2 * 2 * 4
    assert await generate_timeslots(restaurant.id, days=3, start=start, now=NOW) == 2 * 4  # only the third day
    slots = await Timeslot.filter(restaurant_id=restaurant.id, table_id=tables[0].id, date=start).order_by("time")
    assert [s.time for s in slots] == [time(18, 0), time(18, 30), time(19, 0), time(19, 30)]
    assert {s.status.value for s in slots} == {"free"} and {s.duration for s in slots} == {30}
    made = await generate_timeslots(restaurant.id, days=10 * MAX_DAYS, start=start, now=NOW)
    assert made == 2 * 4 * (MAX_DAYS - 3)
    assert await Timeslot.filter(restaurant_id=restaurant.id).count() == 2 * 4 * MAX_DAYS
