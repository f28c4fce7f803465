"""The restaurant profile: the seed's fields plus time zone, hours and booking rules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from api.schemas import ApiModel, Sent
from api.schemas.common import Email, Language, Name, Origin, ShortText, domain_check
from core.booking.hours import validate_exceptions, validate_opening_hours, validate_timezone, validate_turn_times

Timezone = Annotated[str, AfterValidator(domain_check(validate_timezone))]
OpeningHours = Annotated[Any, AfterValidator(domain_check(validate_opening_hours))]
Exceptions = Annotated[Any, AfterValidator(domain_check(validate_exceptions))]
TurnTimes = Annotated[Any, AfterValidator(domain_check(validate_turn_times))]


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
    created_at: datetime
    updated_at: datetime | None = None


class RestaurantUpdate(ApiModel):
    """``PUT /api/restaurants/profile``: only the fields sent change; ``null`` clears the optional ones.

    ``openingHours`` is ``{"monday": [{"open": "12:00", "close": "22:00"}], ...}`` (a missing
    day is closed; close at or before open runs past midnight); ``hoursExceptions`` is
    ``{"2025-12-24": [...]}`` (``[]`` closed that date); ``turnTimes`` is
    ``[{"minGuests": 1, "maxGuests": 2, "minutes": 90}]``.
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
