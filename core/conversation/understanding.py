"""The one understanding step: each guest message is read once into an :class:`Understanding`.

The guided dialog acts on that result only (it never runs the parsers itself): the intent
(book, change, cancel, list, human, info, thanks, greeting, reset), the date (with a note when
it is past or was moved to next year), the time (and whether it was approximate: "8ish"),
the party size, a phone number (``phonenumbers``' matcher), yes/no, reservation numbers
and the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from core.conversation import parsing
from core.conversation.vocabulary import GREETINGS, RESET_WORDS


@dataclass(frozen=True)
class Understanding:
    """What one message says; None (or empty) where it does not say."""

    text: str
    language: str
    intent: str | None = None  # book, change, cancel, list, human, info, thanks, greeting, reset
    info: str | None = None  # hours, address, phone, website, cuisine, price (intent "info")
    date: date | None = None
    date_note: str | None = None  # "past" (before today) or "next_year" (a day and month already past this year)
    time: time | None = None
    approximate: bool = False
    guests: int | None = None
    phone: str | None = None
    yes_no: bool | None = None
    numbers: tuple[int, ...] = ()  # every number written (reservation ids are looked up among them)

    @property
    def slots(self) -> dict[str, object]:
        """The booking details given: ``{"date": "YYYY-MM-DD", "time": "HH:MM", "guests": n}``."""
        found: dict[str, object] = {}
        if self.date is not None:
            found["date"] = self.date.isoformat()
        if self.time is not None:
            found["time"] = self.time.strftime("%H:%M")
        if self.guests is not None:
            found["guests"] = self.guests
        return found


def _date_note(text: str, found: date, today: date) -> str | None:
    if found < today:
        return "past"
    if found.year > today.year and str(found.year) not in text and (found.month, found.day) != (2, 29):
        # read from the start of this year, the same words give this year's date: it already passed
        if parsing.parse_date(text, date(today.year, 1, 1)) == found.replace(year=today.year):
            return "next_year"
    return None


def _intent(text: str, low: str, guests: int | None, when: bool) -> tuple[str | None, str | None]:
    if low in RESET_WORDS or low.split(" ")[0] == "/start":
        return "reset", None
    if parsing.wants_human(text):
        return "human", None
    if parsing.wants_cancel(text):
        return "cancel", None
    if parsing.wants_change(text):
        return "change", None
    if parsing.wants_list(text):
        return "list", None
    topic = parsing.info_topic(text)
    if topic is not None and guests is None and not parsing.wants_booking(text):
        return "info", topic
    if parsing.wants_booking(text) or when or guests is not None:
        return "book", None
    if parsing.is_thanks(text):
        return "thanks", None
    if low in GREETINGS:
        return "greeting", None
    return None, None


def understand(
    text: str,
    today: date,
    *,
    language: str,
    region: str | None = None,
    expecting: str | None = None,
    detect: bool = True,
) -> Understanding:
    """Read ``text`` once. ``today`` is the restaurant's local date, ``language`` the conversation's so far
    (with ``detect=False``: already the language of this message, as the engine decided it), ``region`` the
    restaurant's country (for national phone numbers), ``expecting`` the detail just asked for ("time",
    "guests"...), so that a bare "8" or "4" is read as that."""
    text = text.strip()
    low = text.lower().strip(" !.?")
    day = parsing.parse_date(text, today)
    at = parsing.parse_time(text)
    if at is None and expecting == "time" and re.fullmatch(r"\d{1,2}", text):
        at = parsing.parse_time(f"at {text}")
    guests = parsing.parse_party_size(text, expecting=expecting == "guests")
    intent, info = _intent(text, low, guests, day is not None or at is not None)
    return Understanding(
        text=text,
        language=parsing.detect_language(text, language) if detect else language,
        intent=intent,
        info=info,
        date=day,
        date_note=_date_note(text, day, today) if day is not None else None,
        time=at,
        approximate=at is not None and parsing.is_approximate(text),
        guests=guests,
        phone=parsing.find_phone(text, region),
        yes_no=parsing.parse_yes_no(text),
        numbers=tuple(int(n) for n in re.findall(r"\d+", text)),
    )
