"""What callers ask the booking service to do: a new booking, the changes to a reservation, and who a
booking is for; and where a change puts the reservation (:func:`changed_ask`).

Plain values in the restaurant's local date and time; :class:`core.booking.service.BookingService`
acts on them (and re-exports the three classes, so callers import them from there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from core.booking.availability import Ask, Setting, resolve
from core.booking.hours import duration_for
from core.models import Reservation, ReservationStatus


@dataclass
class GuestInput:
    """Who a booking is for, when no guest id is known (found by phone, else by e-mail, else created)."""

    name: str
    phone: str | None = None
    email: str | None = None
    language: str | None = None


@dataclass
class BookingRequest:
    """A new booking in the restaurant's local date and time.

    The guest is ``guest_id``, else ``guest`` (found by phone or e-mail, or created). ``table_ids``
    (or the one ``table_id``) are the tables staff chose, the main one first: kept as asked, combined by hand
    whatever their seats (a party larger than them is placed, with a warning:
    :func:`core.booking.chosen_tables.seating_warning`), refused only when taken. ``status`` may be ``created``,
    ``confirmed`` or ``seated`` (a walk-in: the booking window and hours are not applied).
    ``tags`` are cleaned by :func:`core.booking.tags.clean_tags` (``ValidationError`` for a bad one).
    """

    date: str | date
    time: str | time
    guests: int
    duration: int | None = None
    table_id: int | None = None
    comments: str | None = None
    source: str | None = None
    guest_id: int | None = None
    guest: GuestInput | None = None
    status: ReservationStatus = ReservationStatus.CREATED
    tags: list[str] = field(default_factory=list)
    table_ids: list[int] | None = None

    def chosen_ids(self) -> list[int] | None:
        """The tables staff chose, main first (None: the engine chooses)."""
        return chosen_ids(self.table_ids, self.table_id)


@dataclass
class ReservationChanges:
    """What to change; ``None`` leaves a field as it is, ``comments=""`` clears the comments, ``tags=[]`` the tags.
    ``table_ids`` (or ``table_id``): the tables staff put it on, main first, as in :class:`BookingRequest`.
    ``status`` moves along the state machine in the same transaction as the other changes; ``confirm_seating``
    answers the host stand's question about seating far from the booked time (:mod:`core.booking.guards`)."""

    date: str | date | None = None
    time: str | time | None = None
    guests: int | None = None
    table_id: int | None = None
    duration: int | None = None
    comments: str | None = None
    status: ReservationStatus | str | None = None
    tags: list[str] | None = None
    table_ids: list[int] | None = None
    confirm_seating: bool = False

    def chosen_ids(self) -> list[int] | None:
        """The tables staff chose, main first (None: keep them, or let the engine choose)."""
        return chosen_ids(self.table_ids, self.table_id)

    def changes_place(self) -> bool:
        """True when the date, time, party size or duration is to change."""
        return any(v is not None for v in (self.date, self.time, self.guests, self.duration))

    def only_status(self) -> bool:
        """True when nothing but (possibly) the status is to change."""
        return all(
            v is None
            for v in (
                self.date,
                self.time,
                self.guests,
                self.table_id,
                self.table_ids,
                self.duration,
                self.comments,
                self.tags,
            )
        )


def chosen_ids(table_ids: list[int] | None, table_id: int | None) -> list[int] | None:
    """The tables staff chose: ``table_ids`` when given (and not empty), else ``[table_id]``, else None."""
    if table_ids:
        return list(table_ids)
    return None if table_id is None else [table_id]


def changed_ask(setting: Setting, current: Reservation, changes: ReservationChanges, now: datetime) -> Ask | None:
    """The new placement when date, time, party or duration change (None when they do not). A party no
    table could seat is refused unless staff chose the tables."""
    if not changes.changes_place():
        return None
    guests = current.guests if changes.guests is None else changes.guests
    minutes = _changed_duration(setting, current, guests, changes.duration)
    seatable = changes.chosen_ids() is None
    when = (changes.date or current.date, changes.time or current.time)
    probe = resolve(setting, *when, guests, minutes, None, seatable=seatable)
    if (probe.date, probe.time) != (current.date, current.time):  # moved: the window and hours apply
        return resolve(setting, probe.date, probe.time, guests, minutes, now, seatable=seatable)
    return None if (guests, minutes) == (current.guests, current.duration) else probe


def _changed_duration(setting: Setting, current: Reservation, guests: int, asked: int | None) -> int:
    """The duration after a change: the one asked, else the turn time for the new party when the old
    duration was the default for the old party, else the old duration (or the default)."""
    rules = setting.rules
    if asked is not None:
        return asked
    if guests != current.guests and current.duration == duration_for(current.guests, rules):
        return duration_for(guests, rules)
    return current.duration or duration_for(guests, rules)
