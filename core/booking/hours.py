"""Opening hours, time zones and the booking window: pure functions, no I/O, no clock (``now`` is passed in).

Guests and staff speak the restaurant's local date and time; this module turns
them into absolute instants (aware datetimes in UTC) with the restaurant's IANA
zone and decides whether a start instant is bookable. Conventions:

* A request at local date D matches the intervals that start on D **and** the
  intervals of D-1 that run past midnight: with Friday 18:00-02:00, "Saturday
  00:30" is accepted (as part of Friday's service).
* Nonexistent local times (the spring-forward gap) are refused by
  :func:`to_instant` with ``BookingRefused(code="nonexistent_time")``.
  Ambiguous ones (fall-back) mean the first occurrence (``fold=0``), unless the
  ``time`` given carries ``fold=1`` (as :func:`to_local` returns for the second
  occurrence, so instants round-trip exactly).
* Opening-hours boundaries that fall in a gap are shifted forward by the gap
  (02:30 on a spring-forward night opens at 03:30), and ambiguous ones use the
  first occurrence. Durations are always real elapsed minutes.
* Offered starts (:func:`candidate_starts`) step in local wall-clock time from
  each interval's open, so each one reads back as the same instant when a guest
  asks for its local date and time; explicit requests may use any minute.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, get_day_names

from core.errors import BookingRefused, ValidationError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")
MIN_DURATION, MAX_DURATION = 15, 720
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")

Interval = tuple[datetime, datetime]


# --- validation of stored settings (staff API -> 400) ---------------------------------

def validate_timezone(name: Any) -> str:
    """Return ``name`` if it is a known IANA zone, else raise ``ValidationError``."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("timezone must be an IANA time zone name such as 'Europe/London'")
    name = name.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"unknown time zone {name!r}", details={"field": "timezone"}) from None
    return str(name)


def _hhmm(value: Any, where: str, *, allow_24: bool = False) -> str:
    if isinstance(value, str):
        v = value.strip()
        if allow_24 and v == "24:00":
            return "00:00"
        m = _HHMM.match(v)
        if m:
            return f"{int(m.group(1)):02d}:{m.group(2)}"
    raise ValidationError(f"{where} must be HH:MM", details={"field": where})


def _check_keys(item: Any, at: str, allowed: set[str], what: str) -> None:
    if not isinstance(item, dict):
        raise ValidationError(f"{at} must be {what}", details={"field": at})
    if extra := sorted(set(item) - allowed):
        raise ValidationError(f"{at} has unknown key {extra[0]!r}", details={"field": at})


def _intervals(value: Any, where: str) -> list[dict[str, str]]:
    if value is None:
        return []
    if isinstance(value, dict):  # a single {"open", "close"} is accepted for one interval
        value = [value]
    if not isinstance(value, list):
        raise ValidationError(f"{where} must be a list of {{open, close}} intervals", details={"field": where})
    out = []
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        _check_keys(item, at, {"open", "close"}, "an object with open and close")
        out.append({"open": _hhmm(item.get("open"), f"{at}.open"),
                    "close": _hhmm(item.get("close"), f"{at}.close", allow_24=True)})
    out.sort(key=lambda iv: iv["open"])
    for i in range(1, len(out)):
        prev_open, prev_len = _minutes(out[i - 1]["open"]), _span(out[i - 1])
        if _minutes(out[i]["open"]) < prev_open + prev_len:
            raise ValidationError(f"{where}: {_fmt(out[i])} overlaps {_fmt(out[i - 1])}", details={"field": where})
    return out


def validate_opening_hours(value: Any) -> dict[str, list[dict[str, str]]]:
    """Normalise weekly hours: all seven lowercase weekdays, intervals sorted, times "HH:MM".

    A missing day, ``None`` or ``[]`` means closed; ``None`` for the whole value
    means closed every day. ``close`` at or before ``open`` runs past midnight
    (equal = 24 hours; "24:00" is read as "00:00"). Overlaps within a day are refused.
    Raises ``ValidationError`` naming the bad entry.
    """
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise ValidationError("opening hours must be an object keyed by weekday", details={"field": "openingHours"})
    out: dict[str, list[dict[str, str]]] = {day: [] for day in WEEKDAYS}
    for key, intervals in value.items():
        day = key.strip().lower() if isinstance(key, str) else key
        if day not in out:
            raise ValidationError(f"unknown weekday {key!r}", details={"field": "openingHours"})
        out[day] = _intervals(intervals, day)
    return out


def validate_exceptions(value: Any) -> dict[str, list[dict[str, str]]]:
    """Normalise date exceptions ``{"YYYY-MM-DD": [intervals]}`` (``[]`` = closed that date)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError("exceptions must be an object keyed by date YYYY-MM-DD", details={"field": "exceptions"})
    out = {}
    for key, intervals in value.items():
        try:
            day = parse_local_date(key)
        except ValidationError:
            raise ValidationError(f"exception date {key!r} must be a real date YYYY-MM-DD",
                                  details={"field": "exceptions"}) from None
        out[day.isoformat()] = _intervals(intervals, day.isoformat())
    return dict(sorted(out.items()))


def _int(value: Any, where: str, lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lo or (hi is not None and value > hi):
        rng = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise ValidationError(f"{where} must be a whole number {rng}", details={"field": where})
    return value


def validate_turn_times(value: Any) -> list[dict[str, int]]:
    """Normalise ``[{"minGuests", "maxGuests"?, "minutes"}]`` (order kept: first match wins)."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ValidationError("turnTimes must be a list", details={"field": "turnTimes"})
    out = []
    for i, item in enumerate(value):
        at = f"turnTimes[{i}]"
        _check_keys(item, at, {"minGuests", "maxGuests", "minutes"}, "an object")
        entry = {"minGuests": _int(item.get("minGuests", 1), f"{at}.minGuests", 1),
                 "minutes": _int(item.get("minutes"), f"{at}.minutes", MIN_DURATION, MAX_DURATION)}
        if item.get("maxGuests") is not None:
            entry["maxGuests"] = _int(item["maxGuests"], f"{at}.maxGuests", entry["minGuests"])
        out.append(entry)
    return out


# --- the rules ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BookingRules:
    """A restaurant's booking rules, built from plain values (validated and normalised).

    Raises ``ValidationError`` for a bad value. ``buffer_minutes`` and
    ``pacing_max_covers`` are carried for availability; this module ignores them.
    """

    timezone: str = "UTC"
    opening_hours: dict[str, Any] = field(default_factory=dict)
    exceptions: dict[str, Any] = field(default_factory=dict)
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
        _int(self.min_notice_minutes, "minNoticeMinutes", 0)
        _int(self.max_advance_days, "maxAdvanceDays", 0)
        _int(self.slot_interval_minutes, "slotIntervalMinutes", 1, 1440)
        _int(self.default_duration, "defaultDuration", MIN_DURATION, MAX_DURATION)
        _int(self.buffer_minutes, "bufferMinutes", 0)
        for value, where, lo in ((self.last_seating_minutes, "lastSeatingMinutes", 0),
                                 (self.pacing_max_covers, "pacingMaxCovers", 1)):
            if value is not None:
                _int(value, where, lo)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# --- parsing and conversion ----------------------------------------------------------------

def parse_local_date(s: Any) -> date:
    """Parse "YYYY-MM-DD" (a ``date`` passes through)."""
    if isinstance(s, date) and not isinstance(s, datetime):
        return s
    if isinstance(s, str) and _DATE.match(s.strip()):
        with suppress(ValueError):
            return date.fromisoformat(s.strip())
    raise ValidationError(f"{s!r} is not a valid date; use YYYY-MM-DD, e.g. 2026-12-31", details={"field": "date"})


def parse_local_time(s: Any) -> time:
    """Parse "HH:MM" or "HH:MM:SS" into a naive ``time`` with ``fold=0`` (a naive ``time`` passes through)."""
    if isinstance(s, time) and s.tzinfo is None:
        return s
    m = _TIME.match(s.strip()) if isinstance(s, str) else None
    if m:
        h, mi, sec = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if h < 24 and mi < 60 and sec < 60:
            return time(h, mi, sec)
    raise ValidationError(f"{s!r} is not a valid time; use HH:MM (24-hour), e.g. 19:30", details={"field": "time"})


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
        raise BookingRefused(
            f"There is no {local_time:%H:%M} on {_day_name(local_date)}: the clocks go forward that night. "
            "Please choose another time.",
            code="nonexistent_time",
            details={"date": local_date.isoformat(), "time": f"{local_time:%H:%M}"},
        )
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
        ok = isinstance(requested, int) and not isinstance(requested, bool)
        if not ok or not MIN_DURATION <= requested <= MAX_DURATION:
            raise ValidationError(f"A booking must last between {MIN_DURATION} and {MAX_DURATION} minutes.",
                                  details={"field": "duration"})
        return requested
    for tt in rules.turn_times:
        if tt["minGuests"] <= guests and ("maxGuests" not in tt or guests <= tt["maxGuests"]):
            return int(tt["minutes"])
    return rules.default_duration


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def _span(iv: dict[str, str]) -> int:
    """Wall-clock length in minutes; close at or before open runs past midnight."""
    return (_minutes(iv["close"]) - _minutes(iv["open"])) % 1440 or 1440


def _fmt(iv: dict[str, str]) -> str:
    return f"{iv['open']}-{iv['close']}"


def _day_hours(local_date: date, rules: BookingRules) -> list[dict[str, str]]:
    hours: list[dict[str, str]] = rules.exceptions.get(
        local_date.isoformat(), rules.opening_hours[WEEKDAYS[local_date.weekday()]]
    )
    return hours


def service_intervals(local_date: date, rules: BookingRules) -> list[Interval]:
    """Aware UTC ``[open, close)`` of the intervals that start on ``local_date``, sorted."""
    out = []
    for iv in _day_hours(local_date, rules):
        o = _minutes(iv["open"])
        end = o + _span(iv)
        opens = _lenient(local_date, o, rules.tz)
        closes = _lenient(local_date + timedelta(days=end // 1440), end % 1440, rules.tz)
        out += [(opens, closes)] if closes > opens else []
    return sorted(out)


# --- the booking check ------------------------------------------------------------------

def _day_name(d: date) -> str:
    return f"{WEEKDAYS[d.weekday()].capitalize()}, {d.day} {_MONTHS[d.month - 1]}"


def _notice(minutes: int) -> str:
    n, unit = (minutes // 60, "hour") if minutes and minutes % 60 == 0 else (minutes, "minute")
    return f"1 {unit}'s" if n == 1 else f"{n} {unit}s'"


def _hm(instant: datetime, zone: tzinfo) -> str:
    return f"{instant.astimezone(zone):%H:%M}"


def check_bookable(start: datetime, duration_minutes: int, rules: BookingRules, now: datetime) -> None:
    """Raise ``BookingRefused`` unless a booking may start at ``start`` and last ``duration_minutes``.

    Codes: ``in_past``, ``too_soon``, ``too_far``, ``closed``, ``outside_hours``
    (also used for a start after last seating), ``ends_after_close``.
    Any minute is accepted; the slot grid only shapes :func:`candidate_starts`.
    """
    start, now = _aware(start, "start"), _aware(now, "now")
    _int(duration_minutes, "duration", 1)
    zone = rules.tz
    if start < now:
        raise BookingRefused("That time has already passed.", code="in_past")
    earliest = now + timedelta(minutes=rules.min_notice_minutes)
    if start < earliest:
        raise BookingRefused(f"We need at least {_notice(rules.min_notice_minutes)} notice.", code="too_soon",
                             details={"earliest": earliest.isoformat()})
    if start - now > timedelta(days=rules.max_advance_days):
        days = rules.max_advance_days
        raise BookingRefused(f"We take bookings up to {days} day{'' if days == 1 else 's'} ahead.", code="too_far",
                             details={"maxAdvanceDays": days})

    day, _ = to_local(start, zone)
    todays = service_intervals(day, rules)
    matching = [iv for iv in service_intervals(day - timedelta(days=1), rules) + todays if iv[0] <= start < iv[1]]
    if not matching:
        if not todays:
            raise BookingRefused(f"We are closed on {_day_name(day)}.", code="closed",
                                 details={"date": day.isoformat()})
        hours = [_fmt(iv) for iv in _day_hours(day, rules)]
        raise BookingRefused(f"That time is outside our opening hours ({', '.join(hours)}).", code="outside_hours",
                             details={"hours": hours})
    duration = timedelta(minutes=duration_minutes)
    last = rules.last_seating_minutes
    for _opens, closes in matching:
        if (start + duration <= closes) if last is None else (start <= closes - timedelta(minutes=last)):
            return
    opens, closes = max(matching, key=lambda iv: iv[1])
    if last is not None:
        latest = closes - timedelta(minutes=last)
        raise BookingRefused(f"Our last seating is at {_hm(latest, zone)} (we close at {_hm(closes, zone)}).",
                             code="outside_hours", details={"lastSeating": _hm(latest, zone)})
    latest = closes - duration
    msg = f"A {duration_minutes}-minute booking at {_hm(start, zone)} would end after we close at {_hm(closes, zone)}."
    details: dict[str, Any] = {"closes": _hm(closes, zone)}
    if latest >= opens:
        msg += f" The latest start for that length is {_hm(latest, zone)}."
        details["latestStart"] = _hm(latest, zone)
    raise BookingRefused(msg, code="ends_after_close", details=details)


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
            o = _minutes(iv["open"])
            for offset in range(0, _span(iv), rules.slot_interval_minutes):
                days, minute = divmod(o + offset, 1440)
                if day + timedelta(days=days) != local_date:
                    continue
                with suppress(BookingRefused):  # a gap time, or not bookable
                    start = to_instant(local_date, time(*divmod(minute, 60)), zone)
                    check_bookable(start, duration_minutes, rules, now)
                    found.add(start)
    return sorted(found)


# --- for people --------------------------------------------------------------------------

def _day_ranges(days: list[int], names: Sequence[str] = _SHORT) -> str:
    runs: list[list[int]] = []
    for d in days:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ", ".join(names[r[0]] if len(r) == 1 else f"{names[r[0]]}-{names[r[-1]]}" for r in runs)


def _hours_text(intervals: list[dict[str, str]], closed: str = "closed") -> str:
    return ", ".join(_fmt(iv) for iv in intervals) or closed


def describe_hours(
    rules: BookingRules,
    *,
    exceptions_from: date | None = None,
    locale: str | None = None,
    closed: str = "closed",
    date_pattern: str = "EEE d MMM",
) -> str:
    """Compact weekly summary, e.g. "Mon-Fri 12:00-15:00, 18:00-23:00; Sat 18:00-02:00; Sun closed".

    Days with the same hours are grouped (in weekday order of their first day).
    With ``exceptions_from``, date exceptions from that date up to
    ``max_advance_days`` later are appended ("; Fri 25 Dec closed; Thu 31 Dec 18:00-01:00").
    With ``locale`` ("ru", "de"...) day and month names are that language's (Babel's CLDR data)
    and ``closed`` is the word for a closed day; ``date_pattern`` (CLDR) writes an exception's date.
    """
    names: Sequence[str] = _SHORT
    if locale is not None:
        abbreviated = get_day_names("abbreviated", context="format", locale=locale)
        names = tuple(abbreviated[i] for i in range(7))
    groups: dict[str, list[int]] = {}
    for i, day in enumerate(WEEKDAYS):
        groups.setdefault(_hours_text(rules.opening_hours[day], closed), []).append(i)
    parts = [f"{_day_ranges(days, names)} {text}" for text, days in groups.items()]
    if exceptions_from is not None:
        until = exceptions_from + timedelta(days=rules.max_advance_days)
        for key, intervals in rules.exceptions.items():
            d = date.fromisoformat(key)
            if exceptions_from <= d <= until:
                label = (
                    format_date(d, date_pattern, locale=locale)
                    if locale is not None
                    else f"{_SHORT[d.weekday()]} {d.day} {_MONTHS[d.month - 1][:3]}"
                )
                parts.append(f"{label} {_hours_text(intervals, closed)}")
    return "; ".join(parts)
