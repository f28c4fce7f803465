"""The reservation reports (bookings, channels, lead time, heat map, utilisation), computed by hand for a
small London fixture around the end of summer time (Sunday 25 October 2026), on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.errors import ValidationError
from core.models import Restaurant
from core.reports import MAX_DAYS, Period, build
from core.reports.period import Grouping
from tests.core.booking.helpers import book, make_restaurant, make_service, make_tables

C0 = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


async def fixture_bookings(restaurant: Restaurant) -> None:
    """Eight bookings of Fri 23 .. Mon 26 October, through the booking service at the times staff would act.

    Summer time ends on Sunday 25 at 01:00 UTC: Saturday's 19:00 is 18:00 UTC, Sunday's is 19:00 UTC."""
    service = make_service(C0)

    def at(when: datetime):  # the same engine, its clock at another instant
        return make_service(when)

    rid = restaurant.id
    a = await book(service, restaurant, "19:00", 2, date="2026-10-24", source="staff")
    await at(utc(24, 18, 5)).set_status(rid, a.id, "seated")
    await at(utc(24, 20)).set_status(rid, a.id, "completed")
    b = await book(service, restaurant, "19:00", 4, date="2026-10-25", source="staff")
    await at(utc(25, 20)).set_status(rid, b.id, "no_show")
    c = await book(service, restaurant, "20:00", 3, date="2026-10-25", source="staff")
    await service.set_status(rid, c.id, "confirmed")
    d = await book(service, restaurant, "12:30", 2, date="2026-10-26", source="form")
    await at(utc(26, 8)).cancel(rid, d.id)  # 4.5 hours before: a late cancellation
    e = await book(service, restaurant, "18:00", 6, date="2026-10-23", source="form")
    await service.cancel(rid, e.id)  # three weeks ahead
    f = await book(service, restaurant, "19:00", 2, date="2026-10-26", source="api")
    await at(utc(26, 19, 2)).set_status(rid, f.id, "seated")
    # booked 24.5 real hours ahead across the clock change (23.5 hours by the wall clock)
    await book(at(utc(24, 11, 30)), restaurant, "12:00", 2, date="2026-10-25", source="sms")
    await book(at(utc(26, 12)), restaurant, "13:00", 5, date="2026-10-26", source="sms")  # an hour ahead


@pytest.fixture
async def london(db) -> Restaurant:
    restaurant = await make_restaurant()
    await make_tables(restaurant, ("T1", 1, 4), ("T2", 1, 8))
    await fixture_bookings(restaurant)
    other = await make_restaurant(name="Other Place")  # restaurant B: the same days, never in A's reports
    await make_tables(other, ("B1", 1, 8))
    service = make_service(C0)
    for day in ("2026-10-23", "2026-10-24", "2026-10-25", "2026-10-26"):
        done = await book(service, other, "19:00", 8, date=day, source="staff")
        await make_service(utc(int(day[-2:]), 17, 30)).set_status(other.id, done.id, "seated", confirm_seating=True)
    return restaurant


def period(restaurant: Restaurant, by: Grouping = "day", start: str = "2026-10-23", end: str = "2026-10-26") -> Period:
    return Period(restaurant.id, date.fromisoformat(start), date.fromisoformat(end), restaurant.timezone, by)


def as_dicts(report) -> list[dict]:
    return [dict(zip(report.columns, row, strict=True)) for row in report.rows]


async def test_bookings_by_week_across_the_clock_change(london):
    report = await build("bookings", period(london, "week"))
    weeks = as_dicts(report)
    assert [w["period"] for w in weeks] == ["2026-10-19", "2026-10-26"]
    first, second = weeks
    assert first == {
        "period": "2026-10-19",
        "bookings": 5,
        "covers": 7,
        "created": 1,
        "confirmed": 1,
        "seated": 0,
        "completed": 1,
        "canceled": 1,
        "no_show": 1,
        "late_canceled": 0,
        "no_show_rate": 0.25,
        "late_cancel_rate": 0.0,
        "avg_party": 2.75,
    }
    assert (second["bookings"], second["covers"], second["canceled"], second["late_canceled"]) == (3, 7, 1, 1)
    assert (second["seated"], second["created"], second["no_show_rate"]) == (1, 1, 0.0)
    assert (second["late_cancel_rate"], second["avg_party"]) == (0.3333, 3.5)
    assert dict(report.totals) == {
        "bookings": 8,
        "covers": 14,
        "created": 2,
        "confirmed": 1,
        "seated": 1,
        "completed": 1,
        "canceled": 2,
        "no_show": 1,
        "late_canceled": 1,
        "no_show_rate": 0.1667,
        "late_cancel_rate": 0.125,
        "avg_party": 3.0,
    }


async def test_bookings_by_day_has_every_day_even_without_bookings(london):
    days = as_dicts(await build("bookings", period(london, "day", "2026-10-22", "2026-10-26")))
    assert [(d["period"], d["bookings"], d["covers"]) for d in days] == [
        ("2026-10-22", 0, 0),
        ("2026-10-23", 1, 0),
        ("2026-10-24", 1, 2),
        ("2026-10-25", 3, 5),
        ("2026-10-26", 3, 7),
    ]
    assert days[0]["no_show_rate"] is None and days[0]["avg_party"] is None  # no rate of nothing
    assert days[1]["no_show_rate"] is None and days[1]["late_cancel_rate"] == 0.0


async def test_archived_bookings_count_as_they_ended(london):
    service = make_service(utc(30, 12))
    from core.models import Reservation

    for row in await Reservation.filter(restaurant_id=london.id, status__in=["completed", "no_show", "canceled"]):
        await service.set_status(london.id, row.id, "archived")
    totals = (await build("bookings", period(london, "week"))).totals
    assert (totals["completed"], totals["no_show"], totals["canceled"], totals["late_canceled"]) == (1, 1, 2, 1)


async def test_channels_share_and_covers(london):
    rows = as_dicts(await build("channels", period(london)))
    assert [(r["source"], r["bookings"], r["covers"], r["share"]) for r in rows] == [
        ("staff", 3, 5, 0.375),
        ("form", 2, 0, 0.25),
        ("sms", 2, 7, 0.25),
        ("api", 1, 2, 0.125),
    ]
    assert all(r["llm"] == 0 and r["guided"] == 0 for r in rows)  # no conversations: no chat channel


async def test_lead_time_counts_real_hours_across_the_clock_change(london):
    rows = {r["lead_time"]: r for r in as_dicts(await build("lead_time", period(london)))}
    assert list(rows) == ["under_2h", "2h_to_1d", "1_to_3d", "3_to_7d", "7_to_14d", "14_to_30d", "30d_plus"]
    assert {k: v["bookings"] for k, v in rows.items() if v["bookings"]} == {"under_2h": 1, "1_to_3d": 1, "14_to_30d": 6}
    assert (rows["14_to_30d"]["covers"], rows["14_to_30d"]["share"]) == (19, 0.75)


async def test_heatmap_uses_the_local_hour_on_both_sides_of_the_change(london):
    report = await build("heatmap", period(london))
    assert len(report.rows) == 7 * 24
    busy = {(r["weekday"], r["hour"]): r["covers"] for r in as_dicts(report) if r["covers"]}
    assert busy == {("saturday", 19): 2, ("sunday", 12): 2, ("sunday", 20): 3, ("monday", 13): 5, ("monday", 19): 2}
    assert dict(report.totals) == {"covers": 14, "busiest_weekday": "monday", "busiest_hour": 13}


async def test_utilisation_per_table(london):
    report = await build("utilisation", period(london))
    rows = {r["table"]: r for r in as_dicts(report)}
    assert set(rows) == {"T1", "T2"}  # restaurant B's table is not listed
    assert rows["T1"] == {
        "table": "T1",
        "bookings": 2,
        "seated_minutes": 240,
        "open_minutes": 2640,
        "utilisation": 0.0909,
    }
    assert rows["T2"]["seated_minutes"] == 0 and rows["T2"]["utilisation"] == 0.0
    assert dict(report.totals) == {"seated_minutes": 240, "open_minutes": 5280, "utilisation": 0.0455}


async def test_open_minutes_follow_the_real_length_of_a_night_service(db):
    late = {day: [{"open": "20:00", "close": "04:00"}] for day in ("saturday",)}
    restaurant = await make_restaurant(opening_hours=late)
    await make_tables(restaurant, ("T1", 1, 4))
    report = await build("utilisation", period(restaurant, "day", "2026-10-24", "2026-10-24"))
    assert report.rows[0][3] == 9 * 60  # 20:00 BST to 04:00 GMT: nine hours, not eight


async def test_another_restaurant_sees_only_its_own(london):
    other = await Restaurant.get(name="Other Place")
    totals = (await build("bookings", period(other))).totals
    assert (totals["bookings"], totals["covers"], totals["seated"]) == (4, 32, 4)
    assert [r[0] for r in (await build("channels", period(other))).rows] == ["staff"]


async def test_bad_ranges_are_refused_with_a_reason(db):
    with pytest.raises(ValidationError, match="after 'to'"):
        Period(1, date(2026, 10, 2), date(2026, 10, 1), "Europe/London")
    with pytest.raises(ValidationError, match=f"at most {MAX_DAYS}"):
        Period(1, date(2025, 1, 1), date(2026, 1, 2), "Europe/London")
    assert len(Period(1, date(2024, 1, 1), date(2024, 12, 31), "UTC").days()) == 366
