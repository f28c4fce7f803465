"""The guided flow's state between two turns: the step it waits on and what the guest asked for so far.

It is kept as JSON in ``conversation.state["guided"]``, loaded once at the start of a turn
(:meth:`GuidedState.load`) and saved once at its end (:meth:`GuidedState.save`)::

    {"step": "date"|"time"|"guests"|"name"|"phone"|"confirm_book"|"pick_cancel"|"confirm_cancel"
             |"pick_change"|"change"|"confirm_change",
     "date": "YYYY-MM-DD", "time": "HH:MM", "guests": 4, "name": "Anna", "phone": "+44...",
     "requests": ["a nut allergy"], "tags": ["allergy"],
     "checked": "YYYY-MM-DD HH:MM 4",   # the slot last found free
     "reservation_id": 12,              # the one to cancel or change
     "change": {"date": ..., "time": ..., "guests": ..., "more": ...}}  # the change asked for

Only what is set is written (an idle flow is ``{}``). Reading is lenient, since rows written by an
earlier release (or by hand) may hold keys this one does not know, miss some, or hold ``null``: an
unknown key is ignored, and a missing or unreadable value reads as not given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

from core.jsontypes import JSON, JSONObject

if TYPE_CHECKING:
    from core.models import Conversation

KEY = "guided"  # where in ``conversation.state`` the guided flow keeps its state

Slot = tuple[date, time, int]  # a day, a time and a party size


@dataclass
class Change:
    """The change asked for one of the guest's reservations: what is new (None: as booked)."""

    date: date | None = None
    time: time | None = None
    guests: int | None = None
    more: int | None = None  # people added to the party, when the new size is not said

    @classmethod
    def from_json(cls, value: object) -> Change:
        """Read a change written by :meth:`to_json`, or the details of a message (:attr:`Understanding.changes`)."""
        values = value if isinstance(value, Mapping) else {}
        return cls(
            _date(values.get("date")), _time(values.get("time")), _int(values.get("guests")), _int(values.get("more"))
        )

    def to_json(self) -> JSONObject:
        """The change as the ``modify_reservation`` tool takes it: only what is new."""
        found: JSONObject = {}
        if self.date is not None:
            found["date"] = self.date.isoformat()
        if self.time is not None:
            found["time"] = _hhmm(self.time)
        if self.guests is not None:
            found["guests"] = self.guests
        if self.more is not None:
            found["more"] = self.more
        return found

    def updated(self, newer: Change) -> Change:
        """This change with what ``newer`` says on top of it."""
        return Change(
            newer.date if newer.date is not None else self.date,
            newer.time if newer.time is not None else self.time,
            newer.guests if newer.guests is not None else self.guests,
            newer.more if newer.more is not None else self.more,
        )


@dataclass
class GuidedState:
    """Where one guided conversation stands: the step it waits on, the booking asked for, the reservation picked."""

    step: str | None = None  # the detail or answer asked for last (see the module's docstring)
    date: date | None = None  # the booking asked for, as far as it is given
    time: time | None = None
    guests: int | None = None
    name: str | None = None
    phone: str | None = None
    requests: list[str] = field(default_factory=list)  # special requests, in the guest's words
    tags: list[str] = field(default_factory=list)  # their kinds (allergy, birthday...)
    checked: Slot | None = None  # the slot last found free (checked again once it changes)
    reservation_id: int | None = None  # the guest's reservation being canceled or changed
    change: Change = field(default_factory=Change)  # the change asked for it

    @classmethod
    def load(cls, conversation: Conversation) -> GuidedState:
        """The state the conversation's last guided turn saved (an empty one when there is none)."""
        return cls.from_json((conversation.state or {}).get(KEY))

    def save(self, conversation: Conversation) -> None:
        """Write this state back to the conversation (its other keys stay as they are)."""
        conversation.state = {**(conversation.state or {}), KEY: self.to_json()}

    @staticmethod
    def clear(conversation: Conversation) -> None:
        """Remove the guided flow's state from the conversation (its next turn starts afresh; other keys stay)."""
        conversation.state = {k: v for k, v in (conversation.state or {}).items() if k != KEY}

    @classmethod
    def from_json(cls, value: object) -> GuidedState:
        """Read a stored state, leniently (unknown keys ignored, missing or unreadable values not given)."""
        values = value if isinstance(value, Mapping) else {}
        return cls(
            step=_text(values.get("step")),
            date=_date(values.get("date")),
            time=_time(values.get("time")),
            guests=_int(values.get("guests")),
            name=_text(values.get("name")),
            phone=_text(values.get("phone")),
            requests=_texts(values.get("requests")),
            tags=_texts(values.get("tags")),
            checked=_slot(values.get("checked")),
            reservation_id=_int(values.get("reservation_id")),
            change=Change.from_json(values.get("change")),
        )

    def to_json(self) -> JSONObject:
        """The state as stored: only what is set."""
        found: JSONObject = {}
        if self.step is not None:
            found["step"] = self.step
        found.update(self.slots())
        for key, text in (("name", self.name), ("phone", self.phone)):
            if text is not None:
                found[key] = text
        for key, texts in (("requests", self.requests), ("tags", self.tags)):
            if texts:
                found[key] = list[JSON](texts)
        if self.checked is not None:
            found["checked"] = slot_key(self.checked)
        if self.reservation_id is not None:
            found["reservation_id"] = self.reservation_id
        if change := self.change.to_json():
            found["change"] = change
        return found

    def slots(self) -> JSONObject:
        """The date, time and party size asked for so far, as :attr:`Understanding.slots` gives them."""
        return Change(self.date, self.time, self.guests).to_json()

    def take(self, slots: Mapping[str, object]) -> bool:
        """Take the date, time and party size of ``slots`` (as :attr:`Understanding.slots`); whether any
        of them is new."""
        given = Change.from_json(slots)
        before = (self.date, self.time, self.guests)
        self.date = given.date if "date" in slots else self.date
        self.time = given.time if "time" in slots else self.time
        self.guests = given.guests if "guests" in slots else self.guests
        return (self.date, self.time, self.guests) != before

    def slot(self) -> Slot:
        """The day, time and party size asked for (all given by now; ValueError otherwise)."""
        if self.date is None or self.time is None or self.guests is None:
            raise ValueError("the booking asked for is not complete")
        return self.date, self.time, self.guests


def slot_key(slot: Slot) -> str:
    """``"YYYY-MM-DD HH:MM n"``: a slot as the state stores it."""
    day, at, guests = slot
    return f"{day.isoformat()} {_hhmm(at)} {guests}"


def _hhmm(at: time) -> str:
    return at.strftime("%H:%M")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _texts(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _time(value: object) -> time | None:
    try:
        return time.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _slot(value: object) -> Slot | None:
    parts = value.split() if isinstance(value, str) else []
    if len(parts) != 3:
        return None
    day, at, guests = _date(parts[0]), _time(parts[1]), _int(parts[2])
    return (day, at, guests) if day is not None and at is not None and guests is not None else None
