"""The values opening hours are made of, checked and read: weekly hours, date exceptions, turn times,
the time zone, and a local date or time as guests and staff write them.

Pure functions, no I/O. A bad value raises ``ValidationError`` naming it (the staff API's 400).
:mod:`core.booking.hours` builds a restaurant's :class:`~core.booking.hours.BookingRules` from them
and re-exports the public names, so callers import them from there.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ValidationError

#: Opening intervals ``[{"open": "HH:MM", "close": "HH:MM"}]`` by weekday name or by ISO date, as validated.
Intervals = dict[str, list[dict[str, str]]]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MIN_DURATION, MAX_DURATION = 15, 720
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


# --- validation of stored settings (staff API -> 400) ---------------------------------


def validate_timezone(name: object) -> str:
    """Return ``name`` if it is a known IANA zone, else raise ``ValidationError``."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("timezone must be an IANA time zone name such as 'Europe/London'")
    name = name.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"unknown time zone {name!r}", details={"field": "timezone"}) from None
    return str(name)


def _hhmm(value: object, where: str, *, allow_24: bool = False) -> str:
    if isinstance(value, str):
        v = value.strip()
        if allow_24 and v == "24:00":
            return "00:00"
        m = _HHMM.match(v)
        if m:
            return f"{int(m.group(1)):02d}:{m.group(2)}"
    raise ValidationError(f"{where} must be HH:MM", details={"field": where})


def _check_keys(item: object, at: str, allowed: set[str], what: str) -> None:
    if not isinstance(item, dict):
        raise ValidationError(f"{at} must be {what}", details={"field": at})
    if extra := sorted(set(item) - allowed):
        raise ValidationError(f"{at} has unknown key {extra[0]!r}", details={"field": at})


def _intervals(value: object, where: str) -> list[dict[str, str]]:
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
        out.append(
            {
                "open": _hhmm(item.get("open"), f"{at}.open"),
                "close": _hhmm(item.get("close"), f"{at}.close", allow_24=True),
            }
        )
    out.sort(key=lambda iv: iv["open"])
    for i in range(1, len(out)):
        prev_open, prev_len = minute_of_day(out[i - 1]["open"]), interval_minutes(out[i - 1])
        if minute_of_day(out[i]["open"]) < prev_open + prev_len:
            raise ValidationError(
                f"{where}: {format_interval(out[i])} overlaps {format_interval(out[i - 1])}", details={"field": where}
            )
    return out


def validate_opening_hours(value: object) -> dict[str, list[dict[str, str]]]:
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


def validate_exceptions(value: object) -> dict[str, list[dict[str, str]]]:
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
            raise ValidationError(
                f"exception date {key!r} must be a real date YYYY-MM-DD", details={"field": "exceptions"}
            ) from None
        out[day.isoformat()] = _intervals(intervals, day.isoformat())
    return dict(sorted(out.items()))


def whole_number(value: object, where: str, lo: int, hi: int | None = None) -> int:
    """``value`` if it is an int (not a bool) in ``lo..hi``, else ``ValidationError`` naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < lo or (hi is not None and value > hi):
        rng = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise ValidationError(f"{where} must be a whole number {rng}", details={"field": where})
    return value


def validate_turn_times(value: object) -> list[dict[str, int]]:
    """Normalise ``[{"minGuests", "maxGuests"?, "minutes"}]`` (order kept: first match wins)."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ValidationError("turnTimes must be a list", details={"field": "turnTimes"})
    out = []
    for i, item in enumerate(value):
        at = f"turnTimes[{i}]"
        _check_keys(item, at, {"minGuests", "maxGuests", "minutes"}, "an object")
        entry = {
            "minGuests": whole_number(item.get("minGuests", 1), f"{at}.minGuests", 1),
            "minutes": whole_number(item.get("minutes"), f"{at}.minutes", MIN_DURATION, MAX_DURATION),
        }
        if item.get("maxGuests") is not None:
            entry["maxGuests"] = whole_number(item["maxGuests"], f"{at}.maxGuests", entry["minGuests"])
        out.append(entry)
    return out


# --- parsing ---------------------------------------------------------------------------------


def parse_local_date(s: object) -> date:
    """Parse "YYYY-MM-DD" (a ``date`` passes through)."""
    if isinstance(s, date) and not isinstance(s, datetime):
        return s
    if isinstance(s, str) and _DATE.match(s.strip()):
        with suppress(ValueError):
            return date.fromisoformat(s.strip())
    raise ValidationError(f"{s!r} is not a valid date; use YYYY-MM-DD, e.g. 2026-12-31", details={"field": "date"})


def parse_local_time(s: object) -> time:
    """Parse "HH:MM" or "HH:MM:SS" into a naive ``time`` with ``fold=0`` (a naive ``time`` passes through)."""
    if isinstance(s, time) and s.tzinfo is None:
        return s
    m = _TIME.match(s.strip()) if isinstance(s, str) else None
    if m:
        h, mi, sec = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if h < 24 and mi < 60 and sec < 60:
            return time(h, mi, sec)
    raise ValidationError(f"{s!r} is not a valid time; use HH:MM (24-hour), e.g. 19:30", details={"field": "time"})


# --- intervals -------------------------------------------------------------------------------


def minute_of_day(hhmm: str) -> int:
    """Minutes since midnight of a normalised "HH:MM"."""
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def interval_minutes(iv: dict[str, str]) -> int:
    """Wall-clock length in minutes; close at or before open runs past midnight."""
    return (minute_of_day(iv["close"]) - minute_of_day(iv["open"])) % 1440 or 1440


def format_interval(iv: dict[str, str]) -> str:
    """An interval as people read it: "18:00-23:00"."""
    return f"{iv['open']}-{iv['close']}"
