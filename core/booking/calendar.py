"""A booking as an iCalendar file (``.ics``, RFC 5545), written with the ``icalendar`` library.

One ``VEVENT`` per file, in the restaurant's own time zone (``DTSTART;TZID=Europe/Berlin:...`` with
the zone's ``VTIMEZONE`` included, so a calendar shows the right hour wherever the guest is), with
the restaurant's name in the title and its address as the location. The event's ``UID`` is stable
for a reservation and its ``SEQUENCE`` grows with every change, so importing the file of a moved
booking updates the event already in the guest's calendar; a cancelled booking's file says
``STATUS:CANCELLED``.

The words (title, description) come from the catalogs in ``core/booking/locales`` in the guest's
language, English for any other.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from core.conversation.i18n import Catalogs
from core.models import Reservation, ReservationStatus, Restaurant

CATALOGS = Catalogs(Path(__file__).resolve().parent / "locales")
#: The media type of the file (with the charset calendars expect).
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODUCT_ID = "-//ToBeOut//Reservations//EN"
_ENDED = (ReservationStatus.CANCELED, ReservationStatus.NO_SHOW)


def ics_filename(reservation: Reservation) -> str:
    """The file name to offer (``booking-42.ics``)."""
    return f"booking-{reservation.id}.ics"


def event_uid(reservation: Reservation, base_url: str) -> str:
    """The event's stable ``UID``: the reservation and restaurant at the service's host
    (``reservation-42-7@book.example.com``)."""
    host = urlsplit(base_url).hostname or "tobeout"
    return f"reservation-{reservation.id}-{reservation.restaurant_id}@{host}"


def _sequence(reservation: Reservation) -> int:
    """Grows with every change: the whole seconds from the booking's creation to its last update."""
    if reservation.updated_at is None or reservation.created_at is None:
        return 0
    return max(0, int((reservation.updated_at - reservation.created_at).total_seconds()))


def _description(reservation: Reservation, restaurant: Restaurant, language: str | None, url: str | None) -> str:
    lines = [CATALOGS.say(language, "ics_booking", id=reservation.id, restaurant=restaurant.name)]
    if restaurant.phone:
        lines.append(CATALOGS.say(language, "ics_phone", phone=restaurant.phone))
    if url:
        lines.append(CATALOGS.say(language, "ics_manage", url=url))
    return "\n".join(lines)


def reservation_ics(
    reservation: Reservation,
    restaurant: Restaurant,
    *,
    now: datetime,
    base_url: str,
    language: str | None = None,
    manage_url: str | None = None,
) -> bytes:
    """The ``.ics`` file of ``reservation`` at ``restaurant`` (its own row, not another's).

    ``now`` is the file's ``DTSTAMP``; ``base_url`` (``PUBLIC_BASE_URL``) names the ``UID``'s host;
    ``language`` is the guest's (title and description); ``manage_url``, when given, is the event's
    ``URL`` and is written in its description. Times are the booking's ``starts_at``/``ends_at`` in
    the restaurant's time zone.
    """
    if reservation.restaurant_id != restaurant.id:
        raise ValueError("the reservation is not this restaurant's")
    zone = ZoneInfo(restaurant.timezone or "UTC")
    event = Event()
    event.add("uid", event_uid(reservation, base_url))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", reservation.starts_at.astimezone(zone))
    event.add("dtend", reservation.ends_at.astimezone(zone))
    event.add("sequence", _sequence(reservation))
    event.add(
        "summary",
        CATALOGS.plural(language, "ics_summary", reservation.guests, restaurant=restaurant.name),
    )
    if restaurant.address:
        event.add("location", restaurant.address)
    event.add("description", _description(reservation, restaurant, language, manage_url))
    if manage_url:
        event.add("url", manage_url)
    event.add("status", "CANCELLED" if reservation.status in _ENDED else "CONFIRMED")
    event.add("transp", "OPAQUE")

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    # The zone's rules around the booking only (a year either side), not since 1970: a smaller file.
    day = reservation.starts_at.date()
    calendar.add_missing_timezones(first_date=day - timedelta(days=366), last_date=day + timedelta(days=366))
    ics: bytes = calendar.to_ical()  # the library leaves this return type unsaid
    return ics
