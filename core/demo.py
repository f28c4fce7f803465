"""The demo restaurant that ``make run`` serves: tables, hours, an owner, guests, reservations.

Idempotent: running it again finds what exists and adds only what is missing.
"""

from __future__ import annotations

from datetime import timedelta

from core.accounts import create_user
from core.models import Guest, Restaurant, Table, User, UserRole

DEMO_EMAIL = "owner@demo.tobeout.local"
DEMO_PASSWORD = "demo-password"
DEMO_NAME = "ToBeOut Demo Bistro"

_DINNER = [{"open": "12:00", "close": "15:00"}, {"open": "18:00", "close": "23:00"}]
_LATE = [{"open": "12:00", "close": "15:00"}, {"open": "18:00", "close": "01:00"}]
DEMO_HOURS = {
    "monday": _DINNER,
    "tuesday": _DINNER,
    "wednesday": _DINNER,
    "thursday": _DINNER,
    "friday": _LATE,
    "saturday": _LATE,
    "sunday": [{"open": "12:00", "close": "22:00"}],
}
DEMO_TABLES = [
    # name, min, max, combinable, x, y
    ("T1", 1, 2, False, 1, 1),
    ("T2", 1, 2, False, 2, 1),
    ("T3", 2, 4, True, 1, 2),
    ("T4", 2, 4, True, 2, 2),
    ("T5", 2, 4, False, 3, 2),
    ("T6", 4, 6, True, 1, 3),
    ("T7", 4, 6, False, 2, 3),
    ("Chef's table", 6, 10, False, 3, 3),
]
DEMO_GUESTS = [
    ("Pavel", "+447700900101", "ru"),
    ("Oleg", "+447700900102", "ru"),
    ("Teg", "+447700900103", "en"),
    ("Misha", "+447700900104", "en"),
]


async def load_demo_data() -> str:
    """Create the demo restaurant and its data where missing; returns a one-line summary."""
    restaurant = await Restaurant.filter(name=DEMO_NAME).first()
    if restaurant is None:
        restaurant = await Restaurant.create(
            name=DEMO_NAME,
            address="1 Market Street, London",
            phone="+442079460000",
            email="hello@demo.tobeout.local",
            website="http://127.0.0.1:8000/",
            cuisine_type="Modern European",
            price_range="$$",
            capacity=40,
            avg_reservation_duration=120,
            opening_hours=DEMO_HOURS,
            timezone="Europe/London",
            turn_times=[{"minGuests": 1, "maxGuests": 2, "minutes": 90}, {"minGuests": 7, "minutes": 150}],
            allowed_origins=["http://127.0.0.1:8000", "http://localhost:8000"],
        )
    if not await User.filter(email=DEMO_EMAIL).exists():
        await create_user(
            email=DEMO_EMAIL, name="Demo Owner", password=DEMO_PASSWORD, role=UserRole.RESTAURANT, restaurant=restaurant
        )
    for name, low, high, combinable, x, y in DEMO_TABLES:
        await Table.get_or_create(
            restaurant=restaurant,
            name=name,
            defaults={
                "min_guests": low,
                "max_guests": high,
                "combinable": combinable,
                "position_x": x,
                "position_y": y,
            },
        )
    guests = []
    for name, phone, language in DEMO_GUESTS:
        guest, _ = await Guest.get_or_create(
            restaurant=restaurant, phone=phone, defaults={"name": name, "language": language}
        )
        guests.append(guest)
    booked = await _demo_reservations(restaurant, guests)
    return (
        f"demo restaurant #{restaurant.id} {restaurant.name!r}: {len(DEMO_TABLES)} tables, {len(guests)} guests, "
        f"{booked} new reservations; staff login {DEMO_EMAIL} / {DEMO_PASSWORD}"
    )


async def _demo_reservations(restaurant: Restaurant, guests: list[Guest]) -> int:
    """A few bookings over the next days, made through the booking engine (skipped when present)."""
    from core.booking.service import BookingRequest, BookingService
    from core.clock import utcnow
    from core.errors import DomainError
    from core.events import EventBus
    from core.models import Reservation

    if await Reservation.filter(restaurant=restaurant).exists():
        return 0
    service = BookingService(EventBus())
    today = utcnow().date()
    made = 0
    plan = ((1, guests[0], "19:00", 2), (1, guests[1], "20:00", 4), (2, guests[2], "13:00", 3))
    for offset, guest, time, party in plan:
        try:
            await service.create(
                restaurant.id,
                BookingRequest(
                    date=(today + timedelta(days=offset)).isoformat(),
                    time=time,
                    guests=party,
                    guest_id=guest.id,
                    source="demo",
                ),
            )
            made += 1
        except DomainError:
            continue
    return made
