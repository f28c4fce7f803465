"""A refusal of the booking rules, or a full slot, in English sentences: what the staff API and the model are told.

Names of days and months come from the rules' own tables (:mod:`core.booking.hours_values`), never from the
process locale. A guest is told in their own language by the guided flow's catalogs
(:func:`core.conversation.guided_texts.refusal`), from the same :class:`~core.booking.refusal_reasons.Refusal`.
"""

from __future__ import annotations

from datetime import date, time

from core.booking.hours_values import MONTHS, WEEKDAYS
from core.booking.refusal_reasons import Reason, Refusal, SeatingWarning, Unavailable, hhmm


def day_name(d: date) -> str:
    """ "Friday, 27 November"."""
    return f"{WEEKDAYS[d.weekday()].capitalize()}, {d.day} {MONTHS[d.month - 1]}"


def _notice(minutes: int) -> str:
    n, unit = (minutes // 60, "hour") if minutes and minutes % 60 == 0 else (minutes, "minute")
    return f"1 {unit}'s" if n == 1 else f"{n} {unit}s'"


def _days(days: int) -> str:
    return f"{days} day{'' if days == 1 else 's'}"


def _at(value: time | None) -> str:
    return hhmm(value) if value is not None else "?"


def _on(value: date | None) -> str:
    return day_name(value) if value is not None else "that day"


def _ends_late(r: Refusal) -> str:
    text = f"A {r.duration}-minute booking at {_at(r.at)} would end after we close at {_at(r.closes)}."
    if r.latest_start is not None:
        text += f" The latest start for that length is {hhmm(r.latest_start)}."
    return text


def english(refusal: Refusal) -> str:
    """The refusal in English, as a person can act on it."""
    r = refusal
    match r.reason:
        case Reason.NONEXISTENT_TIME:
            return (
                f"There is no {_at(r.at)} on {_on(r.day)}: the clocks go forward that night. "
                "Please choose another time."
            )
        case Reason.IN_PAST:
            return "That time has already passed."
        case Reason.TOO_SOON:
            return f"We need at least {_notice(r.notice_minutes or 0)} notice."
        case Reason.TOO_FAR:
            return f"We take bookings up to {_days(r.max_advance_days or 0)} ahead."
        case Reason.CLOSED:
            return f"We are closed on {_on(r.day)}."
        case Reason.OUTSIDE_HOURS if r.last_seating is not None:
            return f"Our last seating is at {hhmm(r.last_seating)} (we close at {_at(r.closes)})."
        case Reason.OUTSIDE_HOURS:
            return f"That time is outside our opening hours ({', '.join(r.hours)})."
        case Reason.ENDS_AFTER_CLOSE:
            return _ends_late(r)
        case Reason.NO_TABLES:
            return "We have no tables to book online. Please contact the restaurant."
        case Reason.PARTY_TOO_LARGE:
            return (
                f"We cannot take a booking for {r.guests} online; the most we can seat is {r.max_guests}. "
                "Please contact the restaurant."
            )
        case Reason.NO_SUITABLE_TABLE:
            return f"We have no table that suits a party of {r.guests}. Please contact the restaurant."


def _day(d: date) -> str:
    """ "Friday 12 June"."""
    return f"{WEEKDAYS[d.weekday()].capitalize()} {d.day} {MONTHS[d.month - 1]}"


def unavailable_english(unavailable: Unavailable) -> str:
    """A full slot in English: what is not free, and the nearest free times (the asked day's by time alone)."""
    u = unavailable
    when = f"at {hhmm(u.at)} on {_day(u.day)}"
    names = " + ".join(t.name for t in u.tables)
    if not u.tables:
        text = f"Sorry, we have no table free for {u.guests} {when}."
    elif len(u.tables) == 1:
        text = f"Sorry, table {names} is taken {when}."
    else:
        text = f"Sorry, tables {names} are not all free {when}."
    if u.alternatives:
        free = (hhmm(s.at) if s.day == u.day else f"{_day(s.day)} {hhmm(s.at)}" for s in u.alternatives)
        text += " Free nearby: " + ", ".join(free) + "."
    return text


def seating_english(warning: SeatingWarning) -> str:
    """ "Table T1 seats 4; the party is 6. Booked as chosen." """
    w = warning
    what = f"Table {w.names[0]} seats" if len(w.names) == 1 else f"Tables {' + '.join(w.names)} seat"
    return f"{what} {w.seats}; the party is {w.guests}. Booked as chosen."
