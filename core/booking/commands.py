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

    The guest is ``guest_id``, else ``guest`` (found by phone or e-mail, or created). ``table_id``
    is a table staff chose (kept as asked, or refused). ``status`` may be ``created``,
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


@dataclass
class ReservationChanges:
    """What to change; ``None`` leaves a field as it is, ``comments=""`` clears the comments, ``tags=[]`` the tags.
    ``status`` moves along the state machine in the same transaction as the other changes."""

    date: str | date | None = None
    time: str | time | None = None
    guests: int | None = None
    table_id: int | None = None
    duration: int | None = None
    comments: str | None = None
    status: ReservationStatus | str | None = None
    tags: list[str] | None = None

    def changes_place(self) -> bool:
        """True when the date, time, party size or duration is to change."""
        return any(v is not None for v in (self.date, self.time, self.guests, self.duration))

    def only_status(self) -> bool:
        """True when nothing but (possibly) the status is to change."""
        return all(
            v is None
            for v in (self.date, self.time, self.guests, self.table_id, self.duration, self.comments, self.tags)
        )


def changed_ask(setting: Setting, current: Reservation, changes: ReservationChanges, now: datetime) -> Ask | None:
    """The new placement when date, time, party or duration change (None when they do not)."""
    if not changes.changes_place():
        return None
    guests = current.guests if changes.guests is None else changes.guests
    minutes = _changed_duration(setting, current, guests, changes.duration)
    probe = resolve(setting, changes.date or current.date, changes.time or current.time, guests, minutes, None)
    if (probe.date, probe.time) != (current.date, current.time):  # moved: the window and hours apply
        return resolve(setting, probe.date, probe.time, guests, minutes, now)
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
