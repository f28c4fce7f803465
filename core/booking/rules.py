"""A restaurant's booking rules, read from its columns."""

from __future__ import annotations

from core.booking.hours import BookingRules, validate_exceptions, validate_opening_hours, validate_turn_times
from core.models import Restaurant


def rules_for(restaurant: Restaurant) -> BookingRules:
    """The :class:`BookingRules` of ``restaurant`` (timezone, hours, exceptions, window, durations,
    buffer, last seating, pacing). Raises ``ValidationError`` if a stored value is invalid."""
    return BookingRules(
        timezone=restaurant.timezone or "UTC",
        opening_hours=validate_opening_hours(restaurant.opening_hours or {}),
        exceptions=validate_exceptions(restaurant.hours_exceptions),
        min_notice_minutes=restaurant.min_notice_minutes,
        max_advance_days=restaurant.max_advance_days,
        slot_interval_minutes=restaurant.slot_interval_minutes,
        default_duration=restaurant.avg_reservation_duration,
        turn_times=validate_turn_times(restaurant.turn_times),
        buffer_minutes=restaurant.buffer_minutes,
        last_seating_minutes=restaurant.last_seating_minutes,
        pacing_max_covers=restaurant.pacing_max_covers,
    )
