"""Why the booking rules refuse a request, as data: a :class:`Reason` and the values it names.

The rules (:mod:`core.booking.hours`, :mod:`core.booking.availability`) raise
:class:`core.booking.refusals.Refused` with a :class:`Refusal`; the sentence is written where it is shown,
in the reader's language: :mod:`core.booking.refusal_text` for staff and the model (English), the guided
flow's catalogs for a guest. :func:`refusal_details` is the refusal's JSON (an error answer's ``details``).

A full slot is :class:`Unavailable` (raised as :class:`core.booking.refusals.Taken`): what was asked and the
nearest free :class:`FreeTime` s; :func:`unavailable_details` is its JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from core.jsontypes import JSON, JSONObject


class Reason(StrEnum):
    """Which booking rule refused (the value is the error's ``code`` on the wire)."""

    IN_PAST = "in_past"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    CLOSED = "closed"
    OUTSIDE_HOURS = "outside_hours"
    ENDS_AFTER_CLOSE = "ends_after_close"
    NONEXISTENT_TIME = "nonexistent_time"
    NO_TABLES = "no_tables"
    PARTY_TOO_LARGE = "party_too_large"
    NO_SUITABLE_TABLE = "no_suitable_table"


@dataclass(frozen=True)
class Refusal:
    """A refusal and what its sentence names; each reason sets the fields it needs, the rest stay empty.

    - ``NONEXISTENT_TIME``: ``day``, ``at`` (a local time the clocks skip that day).
    - ``TOO_SOON``: ``notice_minutes``, ``earliest`` (the first instant bookable).
    - ``TOO_FAR``: ``max_advance_days``.
    - ``CLOSED``: ``day``.
    - ``OUTSIDE_HOURS``: ``hours`` (the day's intervals, "12:00-15:00"), or after the last seating
      ``last_seating`` and ``closes``.
    - ``ENDS_AFTER_CLOSE``: ``duration`` (minutes), ``at`` (the start), ``closes`` and, when the interval
      has room for that length at all, ``latest_start``.
    - ``NO_TABLES``, ``NO_SUITABLE_TABLE``: ``guests``; ``PARTY_TOO_LARGE`` also ``max_guests``.

    Times are restaurant-local.
    """

    reason: Reason
    day: date | None = None
    at: time | None = None
    earliest: datetime | None = None
    notice_minutes: int | None = None
    max_advance_days: int | None = None
    hours: tuple[str, ...] = ()
    last_seating: time | None = None
    closes: time | None = None
    latest_start: time | None = None
    duration: int | None = None
    guests: int | None = None
    max_guests: int | None = None


def hhmm(value: time) -> str:
    """A local time as "HH:MM"."""
    return f"{value:%H:%M}"


def _set(**values: JSON | None) -> JSONObject:
    return {key: value for key, value in values.items() if value is not None}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _hhmm(value: time | None) -> str | None:
    return hhmm(value) if value is not None else None


def refusal_details(refusal: Refusal) -> JSONObject:
    """The refusal's JSON ``details`` (camelCase): what a client or the model may act on, by reason."""
    r = refusal
    match r.reason:
        case Reason.NONEXISTENT_TIME:
            return _set(date=_iso(r.day), time=_hhmm(r.at))
        case Reason.TOO_SOON:
            return _set(earliest=_iso(r.earliest))
        case Reason.TOO_FAR:
            return _set(maxAdvanceDays=r.max_advance_days)
        case Reason.CLOSED:
            return _set(date=_iso(r.day))
        case Reason.OUTSIDE_HOURS if r.last_seating is not None:
            return {"lastSeating": hhmm(r.last_seating)}
        case Reason.OUTSIDE_HOURS:
            return {"hours": list[JSON](r.hours)}
        case Reason.ENDS_AFTER_CLOSE:
            return _set(closes=_hhmm(r.closes), latestStart=_hhmm(r.latest_start))
        case _:
            return _set(guests=r.guests, maxGuests=r.max_guests)


@dataclass(frozen=True)
class FreeTime:
    """A free start: a restaurant-local date and time."""

    day: date
    at: time


@dataclass(frozen=True)
class ChosenTable:
    """A table staff chose for the booking (its id and its name)."""

    id: int
    name: str


@dataclass(frozen=True)
class Unavailable:
    """Nothing is free at the asked slot: the local ``day`` and ``at``, the party, the ``tables`` staff chose
    (main first; none when the engine chose) and the nearest free ``alternatives``."""

    day: date
    at: time
    guests: int
    tables: tuple[ChosenTable, ...] = ()
    alternatives: tuple[FreeTime, ...] = ()


def free_time_json(slot: FreeTime) -> JSONObject:
    """A free start as ``{"date": "YYYY-MM-DD", "time": "HH:MM"}``."""
    return {"date": slot.day.isoformat(), "time": hhmm(slot.at)}


def unavailable_details(unavailable: Unavailable) -> JSONObject:
    """The refusal's JSON ``details``: ``alternatives``, ``date``, ``time``, ``guests`` and, for tables staff
    chose, ``tableId`` (the main one) and ``tableIds``."""
    u = unavailable
    details: JSONObject = {
        "alternatives": [free_time_json(s) for s in u.alternatives],
        "date": u.day.isoformat(),
        "time": hhmm(u.at),
        "guests": u.guests,
    }
    if u.tables:
        details["tableId"] = u.tables[0].id
        details["tableIds"] = [t.id for t in u.tables]
    return details


@dataclass(frozen=True)
class SeatingWarning:
    """Not a refusal: staff put the party of ``guests`` on tables (``names``, main first) that seat only
    ``seats``; booked as chosen, and said so."""

    names: tuple[str, ...]
    seats: int
    guests: int
