"""A booking's .ics (core.booking.calendar): read back with icalendar as a calendar program would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from core.booking.calendar import ics_filename, reservation_ics
from core.booking.service import BookingRequest, BookingService, GuestInput, ReservationChanges
from core.clock import utcnow
from core.events import EventBus
from core.models import Restaurant
from tests.core.booking.helpers import NOW, book, make_restaurant, make_service, make_tables

BERLIN = ZoneInfo("Europe/Berlin")


def event_of(ics: bytes):
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


async def berlin_restaurant() -> Restaurant:
    restaurant = await make_restaurant(
        name="Zur Linde", timezone="Europe/Berlin", address="Lindenstraße 5, 10969 Berlin", phone="+49 30 1234567"
    )
    await make_tables(restaurant, ("T1", 1, 4), ("T2", 1, 4))
    return restaurant


async def test_the_event_is_at_the_restaurants_local_time_with_its_zone_name_and_address(db):
    restaurant = await berlin_restaurant()
    reservation = await book(make_service(), restaurant, "19:30", 3)
    ics = reservation_ics(
        reservation, restaurant, now=NOW, base_url="https://book.example.com", manage_url="https://x.test/manage/t"
    )
    calendar, event = event_of(ics)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == datetime(2026, 6, 2, 19, 30, tzinfo=BERLIN) and start.utcoffset() == timedelta(hours=2)
    assert str(start.tzinfo) == "Europe/Berlin" and end - start == timedelta(minutes=reservation.duration or 0)
    assert b"DTSTART;TZID=Europe/Berlin:20260602T193000" in ics
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["summary"]) == "Table for 3 at Zur Linde"
    assert str(event["location"]) == "Lindenstraße 5, 10969 Berlin"
    assert str(event["url"]) == "https://x.test/manage/t"
    description = str(event["description"])
    assert f"Booking #{reservation.id} at Zur Linde." in description
    assert "Phone: +49 30 1234567" in description and "Change or cancel: https://x.test/manage/t" in description
    assert str(event["uid"]) == f"reservation-{reservation.id}-{restaurant.id}@book.example.com"
    assert str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstamp") == NOW
    assert ics_filename(reservation) == f"booking-{reservation.id}.ics"


@pytest.mark.parametrize(
    ("language", "summary", "manage"),
    [
        ("ru", "Столик на 2 гостей — Zur Linde", "Изменить или отменить: https://x.test/m"),
        ("de", "Tisch für 2 Personen – Zur Linde", "Ändern oder stornieren: https://x.test/m"),
        ("xx", "Table for 2 at Zur Linde", "Change or cancel: https://x.test/m"),
    ],
)
async def test_the_words_are_in_the_guests_language(pg_db, language, summary, manage):
    restaurant = await berlin_restaurant()
    reservation = await book(make_service(), restaurant, "19:30", 2)
    ics = reservation_ics(
        reservation, restaurant, now=NOW, base_url="http://t", language=language, manage_url="https://x.test/m"
    )
    _, event = event_of(ics)
    assert str(event["summary"]) == summary and manage in str(event["description"])


async def test_without_address_phone_or_link_the_event_says_only_what_is_known(pg_db):
    restaurant = await make_restaurant(timezone="America/New_York")
    await make_tables(restaurant, ("T1", 1, 4))
    reservation = await book(make_service(), restaurant, "18:00", 2)
    _, event = event_of(reservation_ics(reservation, restaurant, now=NOW, base_url="http://t"))
    assert "location" not in event and "url" not in event
    assert str(event["description"]) == f"Booking #{reservation.id} at Test Bistro."
    assert event.decoded("dtstart") == datetime(2026, 6, 2, 18, 0, tzinfo=ZoneInfo("America/New_York"))


async def test_a_moved_booking_updates_the_same_event_and_a_cancelled_one_says_so(pg_db):
    restaurant = await berlin_restaurant()
    service = BookingService(EventBus(), clock=utcnow)  # the real clock: what production stamps
    day = (datetime.now(UTC) + timedelta(days=7)).date()
    reservation = await service.create(
        restaurant.id,
        BookingRequest(date=day, time="19:00", guests=2, guest=GuestInput(name="Lena", phone="+4915112345678")),
    )
    _, first = event_of(reservation_ics(reservation, restaurant, now=utcnow(), base_url="http://t"))
    moved = await service.modify(restaurant.id, reservation.id, ReservationChanges(time="20:00"))
    _, second = event_of(reservation_ics(moved, restaurant, now=utcnow(), base_url="http://t"))
    assert second["uid"] == first["uid"]
    assert second.decoded("dtstart").hour == 20
    assert int(second["sequence"]) >= int(first["sequence"])
    assert second.decoded("dtstamp") >= first.decoded("dtstamp")
    canceled = await service.cancel(restaurant.id, reservation.id)
    _, third = event_of(reservation_ics(canceled, restaurant, now=utcnow(), base_url="http://t"))
    assert str(third["status"]) == "CANCELLED" and third["uid"] == first["uid"]


async def test_another_restaurants_row_is_refused(pg_db):
    restaurant = await berlin_restaurant()
    other = await make_restaurant(name="Other")
    reservation = await book(make_service(), restaurant, "19:30", 2)
    with pytest.raises(ValueError):
        reservation_ics(reservation, other, now=NOW, base_url="http://t")
