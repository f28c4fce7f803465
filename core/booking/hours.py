"""Opening hours, time zones and the booking window: pure functions, no I/O, no clock (``now`` is passed in).

Guests and staff speak the restaurant's local date and time; this module turns
them into absolute instants (aware datetimes in UTC) with the restaurant's IANA
zone and decides whether a start instant is bookable. Conventions:

* A request at local date D matches the intervals that start on D **and** the
  intervals of D-1 that run past midnight: with Friday 18:00-02:00, "Saturday
  00:30" is accepted (as part of Friday's service).
* Nonexistent local times (the spring-forward gap) are refused by
  :func:`to_instant` with ``Refused`` (``Reason.NONEXISTENT_TIME``).
  Ambiguous ones (fall-back) mean the first occurrence (``fold=0``), unless the
  ``time`` given carries ``fold=1`` (as :func:`to_local` returns for the second
  occurrence, so instants round-trip exactly).
* Opening-hours boundaries that fall in a gap are shifted forward by the gap
  (02:30 on a spring-forward night opens at 03:30), and ambiguous ones use the
  first occurrence. Durations are always real elapsed minutes.
* Offered starts (:func:`candidate_starts`) step in local wall-clock time from
  each interval's open, so each one reads back as the same instant when a guest
  asks for its local date and time; explicit requests may use any minute.

The values the rules are made of are checked and parsed in :mod:`core.booking.hours_values`, and
hours are written for people in :mod:`core.booking.hours_text`; their public names are
re-exported here (``__all__``), so ``core.booking.hours`` stays the one place to import from.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from core.booking.hours_text import describe_hours
from core.booking.hours_values import (
    MAX_DURATION,
    MIN_DURATION,
    WEEKDAYS,
    Intervals,
    format_interval,
    interval_minutes,
    minute_of_day,
    parse_local_date,
    parse_local_time,
    validate_exceptions,
    validate_opening_hours,
    validate_timezone,
    validate_turn_times,
    whole_number,
)
from core.booking.refusals import Reason, Refusal, Refused
from core.errors import BookingRefused, ValidationError

__all__ = [
    "MAX_DURATION",
    "MIN_DURATION",
    "WEEKDAYS",
    "BookingRules",
    "Interval",
    "candidate_starts",
    "check_bookable",
    "describe_hours",
    "duration_for",
    "parse_local_date",
    "parse_local_time",
    "service_intervals",
    "to_instant",
    "to_local",
    "validate_exceptions",
    "validate_opening_hours",
    "validate_timezone",
    "validate_turn_times",
]

Interval = tuple[datetime, datetime]


# --- the rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingRules:
    """A restaurant's booking rules, built from plain values (validated and normalised).

    Raises ``ValidationError`` for a bad value. ``buffer_minutes`` and
    ``pacing_max_covers`` are carried for availability; this module ignores them.
    """

    timezone: str = "UTC"
    opening_hours: Intervals = field(default_factory=dict)
    exceptions: Intervals = field(default_factory=dict)
    min_notice_minutes: int = 30
    max_advance_days: int = 60
    slot_interval_minutes: int = 15
    default_duration: int = 120
    turn_times: tuple[dict[str, int], ...] | list[dict[str, int]] = ()
    buffer_minutes: int = 0
    last_seating_minutes: int | None = None
    pacing_max_covers: int | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "timezone", validate_timezone(self.timezone))
        put(self, "opening_hours", validate_opening_hours(self.opening_hours))
        put(self, "exceptions", validate_exceptions(self.exceptions))
        put(self, "turn_times", tuple(validate_turn_times(self.turn_times)))
        whole_number(self.min_notice_minutes, "minNoticeMinutes", 0)
        whole_number(self.max_advance_days, "maxAdvanceDays", 0)
        whole_number(self.slot_interval_minutes, "slotIntervalMinutes", 1, 1440)
        whole_number(self.default_duration, "defaultDuration", MIN_DURATION, MAX_DURATION)
        whole_number(self.buffer_minutes, "bufferMinutes", 0)
        for value, where, lo in (
            (self.last_seating_minutes, "lastSeatingMinutes", 0),
            (self.pacing_max_covers, "pacingMaxCovers", 1),
        ):
            if value is not None:
                whole_number(value, where, lo)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# --- conversion ------------------------------------------------------------------------------


def _zone(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _aware(dt: datetime, name: str) -> datetime:
    if not isinstance(dt, datetime) or dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return dt.astimezone(UTC)


def to_instant(local_date: date, local_time: time, tz: str | tzinfo) -> datetime:
    """Local wall date + time in ``tz`` -> aware UTC instant.

    Refuses nonexistent times (``BookingRefused`` code ``nonexistent_time``);
    an ambiguous time is its first occurrence unless ``local_time.fold == 1``.
    """
    zone = _zone(tz)
    local = datetime.combine(local_date, local_time.replace(tzinfo=None), tzinfo=zone)
    instant = local.astimezone(UTC)
    back = instant.astimezone(zone)
    if (back.date(), back.time()) != (local_date, local_time.replace(tzinfo=None)):
        raise Refused(Refusal(Reason.NONEXISTENT_TIME, day=local_date, at=local_time.replace(tzinfo=None)))
    return instant


def to_local(instant: datetime, tz: str | tzinfo) -> tuple[date, time]:
    """Aware instant -> (local date, naive local time); the time keeps ``fold`` for repeated hours."""
    local = _aware(instant, "instant").astimezone(_zone(tz))
    return local.date(), local.time()


def _lenient(local_date: date, minute_of_day: int, zone: tzinfo) -> datetime:
    """Like to_instant for hours boundaries: gap times shift forward, ambiguous take fold=0."""
    return datetime.combine(local_date, time(*divmod(minute_of_day, 60)), tzinfo=zone).astimezone(UTC)


# --- durations and hours ------------------------------------------------------------------


def duration_for(guests: int, rules: BookingRules, requested: int | None = None) -> int:
    """Minutes a party occupies: ``requested`` (15..720) if given, else the first matching turn time,
    else ``rules.default_duration``."""
    if isinstance(guests, bool) or not isinstance(guests, int) or guests < 1:
        raise ValidationError("The party must be at least 1 guest.", details={"field": "guests"})
    if requested is not None:
        return _checked_duration(requested)
    for tt in rules.turn_times:
        if tt["minGuests"] <= guests and ("maxGuests" not in tt or guests <= tt["maxGuests"]):
            return int(tt["minutes"])
    return rules.default_duration


def _checked_duration(requested: int) -> int:
    """``requested`` when it is a whole number of minutes from 15 to 720; ``ValidationError`` otherwise."""
    ok = isinstance(requested, int) and not isinstance(requested, bool)
    if not ok or not MIN_DURATION <= requested <= MAX_DURATION:
        raise ValidationError(
            f"A booking must last between {MIN_DURATION} and {MAX_DURATION} minutes.", details={"field": "duration"}
        )
    return requested


def _day_hours(local_date: date, rules: BookingRules) -> list[dict[str, str]]:
    hours: list[dict[str, str]] = rules.exceptions.get(
        local_date.isoformat(), rules.opening_hours[WEEKDAYS[local_date.weekday()]]
    )
    return hours


def service_intervals(local_date: date, rules: BookingRules) -> list[Interval]:
    """Aware UTC ``[open, close)`` of the intervals that start on ``local_date``, sorted."""
    out = []
    for iv in _day_hours(local_date, rules):
        o = minute_of_day(iv["open"])
        end = o + interval_minutes(iv)
        opens = _lenient(local_date, o, rules.tz)
        closes = _lenient(local_date + timedelta(days=end // 1440), end % 1440, rules.tz)
        out += [(opens, closes)] if closes > opens else []
    return sorted(out)


# --- the booking check ------------------------------------------------------------------


def _local(instant: datetime, zone: tzinfo) -> time:
    """The restaurant-local wall-clock time of ``instant``."""
    return instant.astimezone(zone).time()


def check_bookable(start: datetime, duration_minutes: int, rules: BookingRules, now: datetime) -> None:
    """Raise ``BookingRefused`` unless a booking may start at ``start`` and last ``duration_minutes``.

    Codes: ``in_past``, ``too_soon``, ``too_far``, ``closed``, ``outside_hours``
    (also used for a start after last seating), ``ends_after_close``.
    Any minute is accepted; the slot grid only shapes :func:`candidate_starts`.
    """
    start, now = _aware(start, "start"), _aware(now, "now")
    whole_number(duration_minutes, "duration", 1)
    _check_window(start, rules, now)
    day, _ = to_local(start, rules.tz)
    todays = service_intervals(day, rules)
    matching = [iv for iv in service_intervals(day - timedelta(days=1), rules) + todays if iv[0] <= start < iv[1]]
    if not matching:
        raise _outside_hours(day, rules, closed=not todays)
    duration = timedelta(minutes=duration_minutes)
    last = rules.last_seating_minutes
    for _opens, closes in matching:
        if (start + duration <= closes) if last is None else (start <= closes - timedelta(minutes=last)):
            return
    raise _ends_late(start, duration_minutes, rules, max(matching, key=lambda iv: iv[1]))


def _check_window(start: datetime, rules: BookingRules, now: datetime) -> None:
    """Raise ``BookingRefused`` (``in_past``, ``too_soon``, ``too_far``) unless ``start`` is in the booking window."""
    if start < now:
        raise Refused(Refusal(Reason.IN_PAST))
    earliest = now + timedelta(minutes=rules.min_notice_minutes)
    if start < earliest:
        raise Refused(Refusal(Reason.TOO_SOON, notice_minutes=rules.min_notice_minutes, earliest=earliest))
    if start - now > timedelta(days=rules.max_advance_days):
        raise Refused(Refusal(Reason.TOO_FAR, max_advance_days=rules.max_advance_days))


def _outside_hours(day: date, rules: BookingRules, *, closed: bool) -> Refused:
    """The refusal of a start in no service interval: ``closed`` on a day without one, else ``outside_hours``."""
    if closed:
        return Refused(Refusal(Reason.CLOSED, day=day))
    hours = tuple(format_interval(iv) for iv in _day_hours(day, rules))
    return Refused(Refusal(Reason.OUTSIDE_HOURS, hours=hours))


def _ends_late(start: datetime, duration_minutes: int, rules: BookingRules, interval: Interval) -> Refused:
    """The refusal of a start too late in its service ``interval``: after the last seating, or ending after close."""
    zone, (opens, closes) = rules.tz, interval
    if rules.last_seating_minutes is not None:
        latest = closes - timedelta(minutes=rules.last_seating_minutes)
        return Refused(Refusal(Reason.OUTSIDE_HOURS, last_seating=_local(latest, zone), closes=_local(closes, zone)))
    latest = closes - timedelta(minutes=duration_minutes)
    return Refused(
        Refusal(
            Reason.ENDS_AFTER_CLOSE,
            duration=duration_minutes,
            at=_local(start, zone),
            closes=_local(closes, zone),
            latest_start=_local(latest, zone) if latest >= opens else None,
        )
    )


def candidate_starts(local_date: date, duration_minutes: int, rules: BookingRules, now: datetime) -> list[datetime]:
    """Bookable start instants whose local date is ``local_date``, sorted and unique.

    Starts step by ``slot_interval_minutes`` in local wall-clock time from the
    open of every interval overlapping the date (those starting on it and the
    previous day's past-midnight ones); gap times are skipped and each start
    must pass :func:`check_bookable`.
    """
    zone = rules.tz
    found = set()
    for day in (local_date - timedelta(days=1), local_date):
        for iv in _day_hours(day, rules):
            o = minute_of_day(iv["open"])
            for offset in range(0, interval_minutes(iv), rules.slot_interval_minutes):
                days, minute = divmod(o + offset, 1440)
                if day + timedelta(days=days) != local_date:
                    continue
                with suppress(BookingRefused):  # a gap time, or not bookable
                    start = to_instant(local_date, time(*divmod(minute, 60)), zone)
                    check_bookable(start, duration_minutes, rules, now)
                    found.add(start)
    return sorted(found)
