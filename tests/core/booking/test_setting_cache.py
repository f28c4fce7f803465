"""The restaurant and tables the engine keeps between calls are never stale: changes made by anyone
(another process, a direct UPDATE) count at once, for availability and for booking."""

from __future__ import annotations

from typing import Any

import pytest

from core.booking.availability import check_availability
from core.errors import BookingRefused, SlotUnavailable
from core.models import Restaurant, Table, TableStatus
from tests.core.booking.helpers import DAY, NOW, book, make_restaurant, make_service, make_tables


def _names(result: Any) -> list[list[str]]:
    return [[t.name for t in option] for option in result.options]


async def test_table_changes_count_at_once(db):
    r = await make_restaurant()
    first, _ = await make_tables(r, ("T1", 1, 2), ("T2", 2, 4))
    assert _names(await check_availability(r.id, DAY, "19:00", 2, now=NOW)) == [["T1"], ["T2"]]

    await Table.filter(id=first.id).update(status=TableStatus.UNAVAILABLE)
    assert _names(await check_availability(r.id, DAY, "19:00", 2, now=NOW)) == [["T2"]]

    await Table.create(restaurant=r, name="T3", min_guests=1, max_guests=2)
    assert _names(await check_availability(r.id, DAY, "19:00", 2, now=NOW)) == [["T3"], ["T2"]]

    await Table.filter(restaurant_id=r.id, name="T2").delete()
    assert _names(await check_availability(r.id, DAY, "19:00", 2, now=NOW)) == [["T3"]]

    await Table.filter(restaurant_id=r.id).update(status=TableStatus.UNAVAILABLE)
    with pytest.raises((BookingRefused, SlotUnavailable)):
        await book(make_service(), r, "19:00")


async def test_hours_and_rules_changes_count_at_once(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    assert (await check_availability(r.id, DAY, "19:00", 2, now=NOW)).available
    await Restaurant.filter(id=r.id).update(
        opening_hours={
            day: [{"open": "12:00", "close": "15:00"}]
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        }
    )
    with pytest.raises(BookingRefused) as refused:
        await check_availability(r.id, DAY, "19:00", 2, now=NOW)
    assert refused.value.code == "outside_hours"
    with pytest.raises(BookingRefused):
        await book(make_service(), r, "19:00")
    await Restaurant.filter(id=r.id).update(avg_reservation_duration=60)
    assert (await check_availability(r.id, DAY, "13:00", 2, now=NOW)).duration == 60
