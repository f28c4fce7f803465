"""Opening hours written for people: a compact weekly summary with the coming date exceptions,
in English or in a guest's language (Babel's CLDR names). Re-exported by :mod:`core.booking.hours`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Protocol

from babel.dates import format_date, get_day_names

from core.booking.hours_values import MONTHS, SHORT_DAYS, WEEKDAYS, Intervals, format_interval


class Hours(Protocol):
    """What the text needs of :class:`core.booking.hours.BookingRules` (which re-exports this module's names)."""

    @property
    def opening_hours(self) -> Intervals:
        """Intervals by weekday name."""
        ...

    @property
    def exceptions(self) -> Intervals:
        """Intervals by ISO date, replacing the weekday's."""
        ...

    @property
    def max_advance_days(self) -> int:
        """How far ahead bookings are taken (the exceptions listed)."""
        ...


def _day_ranges(days: list[int], names: Sequence[str] = SHORT_DAYS) -> str:
    runs: list[list[int]] = []
    for d in days:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ", ".join(names[r[0]] if len(r) == 1 else f"{names[r[0]]}-{names[r[-1]]}" for r in runs)


def _hours_text(intervals: list[dict[str, str]], closed: str = "closed") -> str:
    return ", ".join(format_interval(iv) for iv in intervals) or closed


def describe_hours(
    rules: Hours,
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
    names: Sequence[str] = SHORT_DAYS
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
                    else f"{SHORT_DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1][:3]}"
                )
                parts.append(f"{label} {_hours_text(intervals, closed)}")
    return "; ".join(parts)
