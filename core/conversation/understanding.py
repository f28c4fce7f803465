"""The one understanding step: each guest message is read once into an :class:`Understanding`.

The guided dialog acts on that result only (it never runs the parsers itself): the intent
(book, change, cancel, list, human, info, thanks, greeting, reset), the date (with a note when
it is past or was moved to next year), the time (and whether it was approximate: "8ish"),
the party size, a phone number (``phonenumbers``' matcher), yes/no, reservation numbers
and the language; and the details around them (:mod:`core.conversation.parsing_details`): the name
the guest introduces themself with, special requests (their words and tags), values the guest says
no to ("9 not 8": ``rejected``), with typos in day words corrected first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from functools import cache, lru_cache

from core.conversation import parsing, parsing_details, word_forms
from core.conversation.parsing_text import _norm
from core.conversation.vocabulary import GREETINGS, LANGUAGES, RESET_WORDS


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
    name: str | None = None  # "I'm Tom", "меня зовут Ольга"
    requests: tuple[str, ...] = ()  # special requests, in the guest's words ("one of us has a nut allergy")
    tags: tuple[str, ...] = ()  # their kinds: allergy, dietary, birthday, anniversary, occasion, high_chair...
    rejected: tuple[str, ...] = ()  # values the guest says no to: "9 not 8" -> ("8",)
    bare: tuple[int, ...] = ()  # numbers that are neither a date, a time, a party size nor a phone
    now: bool = False  # "are you open now?"
    more: int | None = None  # people added to the party ("one more person"), when the new size is not said

    @property
    def changes(self) -> dict[str, object]:
        """The details of a change: :attr:`slots`, plus ``{"more": n}`` for people added to the party."""
        found = self.slots
        if self.more is not None and self.guests is None:
            found["more"] = self.more
        return found

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
    if parsing.wants_human(text) or word_forms.mentions(text, "human_words"):
        return "human", None
    if parsing.wants_cancel(text) or word_forms.mentions(text, "cancel_words"):
        return "cancel", None
    if parsing.wants_change(text):
        return "change", None
    if parsing.wants_list(text):
        return "list", None
    return _other_intent(text, low, guests, when)


def _other_intent(text: str, low: str, guests: int | None, when: bool) -> tuple[str | None, str | None]:
    topic = parsing.info_topic(text)
    if topic is not None and guests is None and not parsing.wants_booking(text) and (topic == "hours" or not when):
        return "info", topic
    if parsing.wants_booking(text) or when or guests is not None:
        return "book", None
    if parsing.is_thanks(text):
        return "thanks", None
    if low in GREETINGS:
        return "greeting", None
    return None, None


def _guests(read: str, requests: tuple[str, ...], expecting: str | None) -> int | None:
    """The party size: parts added up first ("2 adults and 2 kids"), special requests left out
    ("one of us has a nut allergy" is not a party of one); after people added ("one more person, make it
    3") the one other count written is the new size."""
    found = parsing_details.compound_party(read)
    more = parsing_details.added_people(read)
    read = parsing_details.without_more(read)
    if found is None:
        rest = parsing_details.without(read, (word_forms.correct_typos(r) for r in requests))
        found = parsing.parse_party_size(rest, expecting=expecting == "guests")
    if found is None and requests:  # "Anniversary dinner for 2": the request holds the party too
        found = parsing.parse_party_size(read, expecting=expecting == "guests")
    if found is None and more is not None:
        found = parsing.parse_party_size(read, expecting=True)
    return found


def _now(low: str) -> bool:
    return _now_re(tuple(w for words in LANGUAGES.values() for w in words.now_words)).search(low) is not None


@cache
def _now_re(now_words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the languages' "now" words, as a word (one pattern per set of languages loaded)."""
    return re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in now_words) or '(?!)'})\b")


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
    "guests"...), so that a bare "8" or "4" is read as that.

    The same message read the same way is read once: guests' most common messages ("yes", "ok", "thanks")
    come again and again, and the reading (frozen) depends on nothing else."""
    return _understood(text, today, language, region, expecting, detect)


def forget_texts() -> None:
    """Forget every message read so far, and the stems and details read from them (the per-word stems stay):
    a benchmark reading the same messages again measures them as new."""
    _understood.cache_clear()
    word_forms.forget_texts()
    parsing.forget_texts()


@lru_cache(maxsize=4096)
def _understood(
    text: str, today: date, language: str, region: str | None, expecting: str | None, detect: bool
) -> Understanding:
    text = text.strip()
    low = text.lower().strip(" !.?")
    correction = parsing_details.take_out_rejected(word_forms.correct_typos(text) if expecting != "name" else text)
    read = parsing_details.after_meant(correction.kept)
    requests, tags = parsing_details.special_requests(text)
    day = parsing.parse_date(read, today)
    at = parsing.parse_time(read)
    if at is None and expecting == "time" and re.fullmatch(r"\d{1,2}", text):
        at = parsing.parse_time(f"at {text}")
    guests = _guests(read, requests, expecting)
    phone = parsing.find_phone(text, region)
    intent, info = _intent(read, low, guests, day is not None or at is not None)
    if intent == "change":
        at, new_hour = _changed_time(read, at)
        if new_hour is not None:  # "перенесите на 8": the 8 is the new time, not a party of 8
            start, end = new_hour
            guests = _guests(read[:start] + " " * (end - start) + read[end:], requests, expecting)
    if intent == "book" and correction.rejected and (day or at or guests):
        intent = "change"  # "не в 20, а в 20:30": a change of what was asked or booked before
    added = parsing_details.added_people(read)
    more = added if guests is None else None
    if intent in ("book", None) and added is not None:
        intent = "change"  # "one more person is joining us": a change of the party asked or booked before
    spoken = parsing.detect_language(text, language) if detect else language
    return Understanding(
        text=text,
        language=spoken,
        intent=intent,
        info=info,
        date=day,
        date_note=_date_note(read, day, today) if day is not None else None,
        time=at,
        approximate=at is not None and parsing.is_approximate(text),
        guests=guests,
        phone=phone,
        yes_no=parsing.parse_yes_no(text),
        numbers=tuple(int(n) for n in re.findall(r"\d+", text)),
        name=parsing_details.find_name(
            _phones_apart(text, region), listed=bool(day or at or guests or phone), language=spoken
        ),
        requests=requests,
        tags=tags,
        rejected=correction.rejected,
        bare=_bare(read, day, at, guests, phone),
        now=_now(_norm(text)),
        more=more,
    )


def _phones_apart(text: str, region: str | None) -> str:
    """``text`` with each phone number set apart as an item of its own ("Thanks, Mark Evans 07700900123": the
    name is the item before the number)."""
    for start, end in reversed(parsing.phone_spans(text, region)):
        text = f"{text[:start]}{parsing_details.PHONE_MARK}{' ' * (end - start - 1)}{text[end:]}"
    return text


@cache
def _change_to() -> re.Pattern[str]:
    found = "|".join(f"(?:{w.change_to_re})" for w in LANGUAGES.values() if w.change_to_re)
    return re.compile(rf"(?:{found})\s+" if found else r"(?!x)x")


def _changed_time(read: str, at: time | None) -> tuple[time | None, tuple[int, int] | None]:
    """In a change, a time written after "to" ("we've got a table friday at 7, could we push it to 8?",
    "перенести на 20:30") is the new one; an hour alone there is read as it would be after "at" (never a
    party: "to 4 people"), and its span is returned too (that number is no party size)."""
    for m in reversed(list(_change_to().finditer(read))):
        tail = read[m.end() :]
        hour = re.match(r"\d{1,2}(?![\d:./h-])", tail)
        if at is None and hour is None:
            continue  # with no time read, only a bare hour there is one ("move it to 12.12" is a date)
        found = parsing.parse_time(tail) if not re.match(r"\d", tail) else parsing.parse_time(f"at {tail}")
        if found is not None:
            return found, ((m.end(), m.end() + hour.end()) if hour is not None else None)
    return at, None


def _bare(read: str, day: date | None, at: time | None, guests: int | None, phone: str | None) -> tuple[int, ...]:
    if day is not None or at is not None or guests is not None or phone is not None:
        return ()
    return tuple(int(n) for n in re.findall(r"(?<![\d:.])\d{1,2}(?![\d:.])", read))


#: What :func:`warm_up` reads: every kind of detail a first message may hold.
_WARM_UP = "Table for 2 adults and 1 child tomorrow at 7:30pm, I'm Anna, +44 7700 900123, nut allergy"


def warm_up() -> None:
    """Read one message in every language: the first guests after a start then do not wait for the patterns
    to compile and the stemmers and phone metadata to load (about 15 ms of CPU for the first message)."""
    today = date.today()
    for code in LANGUAGES:
        understand(_WARM_UP, today, language=code, region="GB", detect=False)
    forget_texts()
