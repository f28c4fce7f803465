"""The restaurant profile: the seed's fields plus time zone, hours and booking rules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from api.schemas import ApiModel, ErrorOut, PageQuery, Sent
from api.schemas.common import Email, Language, Name, Origin, ShortText, domain_check
from core.booking.hours import (
    WEEKDAYS,
    validate_exceptions,
    validate_opening_hours,
    validate_timezone,
    validate_turn_times,
)


def _weekdays_sent(value: Any) -> dict[str, list[dict[str, str]]] | None:
    """Normalised hours of only the weekdays sent (``None``: close every day); merged into the stored week."""
    if value is None:
        return None
    week = validate_opening_hours(value)
    sent = {key.strip().lower() for key in value if isinstance(key, str)}
    return {day: week[day] for day in WEEKDAYS if day in sent}


Timezone = Annotated[str, AfterValidator(domain_check(validate_timezone))]
OpeningHours = Annotated[Any, AfterValidator(domain_check(_weekdays_sent))]
Exceptions = Annotated[Any, AfterValidator(domain_check(validate_exceptions))]
TurnTimes = Annotated[Any, AfterValidator(domain_check(validate_turn_times))]


def _distinct_minutes(value: list[int]) -> list[int]:
    if len(set(value)) != len(value):
        raise ValueError("reminderMinutes must not repeat a value")
    return sorted(value, reverse=True)


#: Minutes before the start when guests are reminded: up to 5 moments, each 5 minutes to 7 days ahead.
ReminderMinutes = Annotated[
    list[Annotated[int, Field(ge=5, le=7 * 24 * 60)]], Field(max_length=5), AfterValidator(_distinct_minutes)
]


class RestaurantQuery(PageQuery):
    """``?q=`` matches part of the restaurant's name, case-insensitively."""

    q: str | None = Field(None, max_length=255)


class RestaurantOut(ApiModel):
    id: int
    user_id: int | None
    name: str
    address: str | None
    phone: str | None
    email: str | None
    website: str | None
    cuisine_type: str | None
    price_range: str | None
    capacity: int
    avg_reservation_duration: int
    opening_hours: dict | None
    timezone: str
    hours_exceptions: dict
    min_notice_minutes: int
    max_advance_days: int
    slot_interval_minutes: int
    buffer_minutes: int
    last_seating_minutes: int | None
    turn_times: list
    pacing_max_covers: int | None
    default_language: str
    allowed_origins: list[str]
    reminder_minutes: list[int]
    no_show_after_minutes: int | None
    archive_after_days: int
    correction_window_minutes: int = 180
    no_show_grace_minutes: int = 15
    seating_window_minutes: int = 60
    waitlist_hold_minutes: int = 10
    handoff_wait_minutes: int | None = None
    created_at: datetime
    updated_at: datetime | None = None


class RestaurantUpdate(ApiModel):
    """``PUT /api/restaurants/profile``: only the fields sent change; ``null`` clears the optional ones.

    ``openingHours`` is ``{"monday": [{"open": "12:00", "close": "22:00"}], ...}``: the weekdays sent
    replace those days, the others keep their hours (``[]`` closes a day, ``null`` every day; close at
    or before open runs past midnight); ``hoursExceptions`` is ``{"2025-12-24": [...]}`` (the whole set;
    ``[]`` closed that date); ``turnTimes`` is ``[{"minGuests": 1, "maxGuests": 2, "minutes": 90}]``.

    When the new hours would leave upcoming active bookings outside them, nothing is saved and the
    answer is ``409 {code: "bookings_outside_hours", reservations: [...]}``; send the change again with
    ``confirmOutsideHours: true`` to save it anyway (the bookings are kept).

    ``reminderMinutes`` are the moments before a booking's start when its guest is reminded on
    their channel (default ``[120, 60]``; ``[]`` turns reminders off). A booking still not seated
    ``noShowAfterMinutes`` (default 30; ``null``: never, staff mark no-shows) after its start
    becomes a no-show; finished bookings are
    archived ``archiveAfterDays`` (default 30) after their end.

    The host stand's guards: a wrong final status may be corrected within ``correctionWindowMinutes``
    (180) of the change; a no-show cannot be marked before the start plus ``noShowGraceMinutes`` (15);
    seating further than ``seatingWindowMinutes`` (60) from the booked start asks first. A table offered
    to a waiting party is held for ``waitlistHoldMinutes`` (10).

    A guest handed to staff whom no staff member answered within ``handoffWaitMinutes`` (1-1440, counted
    inside opening hours) is told so and offered the bot back; ``null`` (the default) uses the service's
    ``handoff_wait_minutes`` of plugins.toml (5 unless the operator changed it).
    """

    name: Sent[Name] = None
    address: str | None = Field(None, max_length=2000)
    phone: ShortText | None = None
    email: Email | None = None
    website: ShortText | None = None
    cuisine_type: str | None = Field(None, max_length=100)
    price_range: str | None = Field(None, max_length=50)
    capacity: Sent[int] = Field(None, ge=1, le=10_000)
    avg_reservation_duration: Sent[int] = Field(None, ge=15, le=720)
    opening_hours: OpeningHours = None
    timezone: Sent[Timezone] = None
    hours_exceptions: Exceptions = None
    min_notice_minutes: Sent[int] = Field(None, ge=0, le=60 * 24 * 30)
    max_advance_days: Sent[int] = Field(None, ge=1, le=730)
    slot_interval_minutes: Sent[int] = Field(None, ge=5, le=240)
    buffer_minutes: Sent[int] = Field(None, ge=0, le=240)
    last_seating_minutes: int | None = Field(None, ge=0, le=720)
    turn_times: TurnTimes = None
    pacing_max_covers: int | None = Field(None, ge=1, le=100_000)
    default_language: Sent[Language] = None
    allowed_origins: Sent[list[Origin]] = Field(None, max_length=50)
    reminder_minutes: Sent[ReminderMinutes] = None  # [] turns reminders off
    no_show_after_minutes: int | None = Field(None, ge=0, le=24 * 60)  # null: never marked by the worker
    archive_after_days: Sent[int] = Field(None, ge=1, le=3650)
    correction_window_minutes: Sent[int] = Field(None, ge=0, le=7 * 24 * 60)
    no_show_grace_minutes: Sent[int] = Field(None, ge=0, le=24 * 60)
    seating_window_minutes: Sent[int] = Field(None, ge=0, le=24 * 60)
    waitlist_hold_minutes: Sent[int] = Field(None, ge=1, le=24 * 60)
    handoff_wait_minutes: int | None = Field(None, ge=1, le=24 * 60)  # null: the service's default
    confirm_outside_hours: bool = False


class OutsideHoursOut(ErrorOut):
    """409 from ``PUT /api/restaurants/profile``: the upcoming bookings the new hours would leave outside."""

    code: str
    reservations: list[dict[str, Any]]
