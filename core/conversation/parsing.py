"""Understanding what guests write: dates, times, party sizes, phones, yes/no and intents.

Pure functions for the guided (no-LLM) booking flow, English and Russian. No I/O and
no clock: callers pass ``today`` (the restaurant's local date). Word tables live in
:mod:`core.conversation.vocabulary`. Dates are read in :mod:`core.conversation.parsing_dates`,
times in :mod:`core.conversation.parsing_times` (both re-exported here); this module reads party
sizes, phones, yes/no, intents and the language. Choices worth knowing:

- A bare weekday ("Friday", "в пятницу") is the next one strictly after today, so
  today's own weekday means a week from today; "this Friday"/"в эту пятницу" may be
  today; "next Friday"/"в следующую пятницу"/"Friday next week" is the Friday of next
  calendar week (weeks start on Monday): on Wednesday 25 Nov 2026 it is 4 Dec.
- A day and month without a year that is already past means next year; "the 5th" or
  "5-го числа" alone means this month, or next month if past. "5.12", "5/12" are
  day/month, but "at 10.15"/"в 20.11" is a time when it can be one.
- A bare hour 1-11 without am/pm or a period word is in the evening ("at 7" is 19:00),
  12 stays noon, a leading zero ("09:00") is literal. Breakfast/brunch/"утром" keep
  bare hours as written; lunch/"обед"/"днем" move only 1-6 to the afternoon.
- Several dates: the most explicit wins (calendar date > weekday or "in N days" >
  today/tomorrow). Several times: the first. Dates are hidden from the time parser,
  dates and times from the party-size parser ("Dec 5", "at 7" are never sizes).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, time

import phonenumbers

from core.conversation import vocabulary as vocab
from core.conversation.languages import Vocabulary
from core.conversation.parsing_dates import _date_hits
from core.conversation.parsing_dates import parse_date as parse_date
from core.conversation.parsing_text import _ANY_DAY, _NUM, _alt, _mask, _norm, _number
from core.conversation.parsing_times import _default_period, _time_hits
from core.conversation.parsing_times import is_approximate as is_approximate
from core.conversation.parsing_times import parse_time as parse_time

# ---------------------------------------------------------------- party size

_COUNT = rf"(?P<n>{_NUM})"
# "столик на 2 часа на 4 человека": the 2 is hours (one space at most: "room for 3 [tomorrow] night" stays 3)
_PATTERN_COUNT = rf"{_COUNT}(?!\s?{_alt(vocab.NOT_AFTER_COUNT)})"
_STRONG_PARTY = [
    re.compile(rf"(?P<n>{_NUM})\s*{_alt(vocab.PARTY_NOUNS)}"),
    *(re.compile(pattern.replace("{n}", _PATTERN_COUNT)) for pattern in vocab.PARTY_PATTERNS),
    re.compile(rf"\b(?P<c>{_alt(vocab.COLLECTIVE)})\b"),
]
_PLUS_ME = re.compile(  # "me and 3 friends", "my 2 friends and I", "мы с двумя друзьями": companions plus the guest
    rf"\b(?:(?:me\s+and|with|я\s+и|(?:я|мы)\s+со?)\s+(?:my\s+|моими\s+)?|\bmy\s+(?=\S+\s+\S+\s+and\s+(?:i|me)\b))"
    rf"(?P<n>{_NUM})\s+{_alt(vocab.COMPANIONS_PLURAL)}\b"
)
_PHRASE_PARTY = [
    (re.compile(rf"\b(?:me|myself)\s+and\s+(?:my\s+)?{_alt(vocab.COMPANIONS_EN)}\b"), 2),
    (re.compile(rf"\bmy\s+{_alt(vocab.COMPANIONS_EN)}\s+and\s+(?:i|me)\b"), 2),
    (re.compile(rf"\b(?:я|мы)\s+со?\s+(?:моей\s+|моим\s+)?{_alt(vocab.COMPANIONS_RU_INSTRUMENTAL)}\b"), 2),
    (re.compile(rf"\bя\s+и\s+(?:моя\s+|мой\s+)?{_alt(vocab.COMPANIONS_RU)}\b"), 2),
    (
        re.compile(
            rf"\bmein\w*\s+{_alt(vocab.COMPANIONS_DE)}\s+und\s+ich\b|\bich\s+und\s+mein\w*\s+{_alt(vocab.COMPANIONS_DE)}\b"
        ),
        2,
    ),
    *((re.compile(pattern), 2) for pattern in vocab.PAIR_PATTERNS),
    (
        re.compile(
            r"\b(?:just|only)\s+(?:me|myself|one)\b(?!\s+and\b)|\bby\s+myself\b|\bтолько\s+я\b|\bя\s+одн?(?:ин|а)\b"
        ),
        1,
    ),
]
_WEAK_PARTY = re.compile(rf"\b{_alt(vocab.PARTY_PREFIXES)}\s+(?P<n>{_NUM})(?!\s*{_alt(vocab.NOT_AFTER_COUNT)})")
_BARE_NUMBER = re.compile(rf"(?P<n>{_NUM})")


@functools.lru_cache(maxsize=4096)  # read up to three times per message (core.conversation.understanding)
def parse_party_size(text: str, *, expecting: bool = False) -> int | None:
    """How many guests, or None.

    Understands "4 people", "for two", "party of 6", "table for 2", "we are 5",
    "just me", "me and my wife", "me and 3 friends", and Russian "на двоих", "нас
    будет пятеро", "4 человека", "на 3 персоны", "столик на 4", "вдвоем". Dates and
    times in the text are never read as sizes. With ``expecting=True`` (the bot
    just asked how many guests) a lone number ("4", "four", "четыре") is accepted
    too; two or more lone numbers are ambiguous. Sizes outside 1..100 give None.
    """
    low = _norm(text)
    masked = _mask(low, _date_hits(low, _ANY_DAY))
    masked = _mask(masked, _time_hits(masked, _default_period(low)))
    tiers = [
        [
            (m.start(), vocab.COLLECTIVE[" ".join(m["c"].split())] if "c" in rx.groupindex else _number(m["n"]))
            for rx in _STRONG_PARTY
            for m in rx.finditer(masked)
        ]
        + [(m.start(), _number(m["n"]) + 1) for m in _PLUS_ME.finditer(masked)],
        [(m.start(), value) for rx, value in _PHRASE_PARTY for m in rx.finditer(masked)],
        [(m.start(), _number(m["n"])) for m in _WEAK_PARTY.finditer(masked)],
    ]
    if expecting:
        bare = [_number(m["n"]) for m in _BARE_NUMBER.finditer(masked)]
        tiers.append([(0, bare[0])] if len(bare) == 1 else [])
    found = next((min(tier)[1] for tier in tiers if tier), None)
    return found if found is not None and 1 <= found <= 100 else None


# ---------------------------------------------------------------- phone, yes/no, intents


@functools.lru_cache(maxsize=1024)  # a message is looked at for a number, then for where it is (a name around it)
def _matches(text: str, region: str | None) -> tuple[phonenumbers.PhoneNumberMatch, ...]:
    """``phonenumbers``' matches in ``text``: valid numbers, else numbers whose length merely fits
    (reserved ranges such as UK 07700 900xxx, used in fiction and tests, are still numbers a guest
    may give) when written with "+" or with at least 10 digits, so dates and counts are never read."""
    code = (region or "ZZ").upper()
    found = tuple(phonenumbers.PhoneNumberMatcher(text, code))
    if found:
        return found
    return tuple(
        m
        for m in phonenumbers.PhoneNumberMatcher(text, code, leniency=phonenumbers.Leniency.POSSIBLE)
        if m.raw_string.lstrip("( ").startswith("+") or sum(c.isdigit() for c in m.raw_string) >= 10
    )


def forget_texts() -> None:
    """Drop what was read of recent messages (party sizes, phone numbers): a benchmark reading the same
    messages again measures them as new."""
    parse_party_size.cache_clear()
    _matches.cache_clear()


def find_phone(text: str, region: str | None = None) -> str | None:
    """The first phone number in free text, in E.164 ("+79161234567"), or None.

    Found with ``phonenumbers``' own matcher: a number with its country code anywhere, or a
    national one ("020 7946 0958") read in ``region`` (the restaurant's country). Dates,
    times and party sizes are not numbers it accepts.
    """
    for match in _matches(text, region):
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def phone_spans(text: str, region: str | None = None) -> list[tuple[int, int]]:
    """Where the phone numbers are in ``text`` (to read a name around them)."""
    return [(m.start, m.end) for m in _matches(text, region)]


_TOKEN_RE = re.compile(r"[\w']+|👍|👎|✅|❌")


def parse_yes_no(text: str) -> bool | None:
    """True for a yes (yes, sure, ok, 👍, да, конечно...), False for a no (no, cancel, нет, отмена...), else None.

    The first yes/no word decides; a yes followed straight away by "not"/"не"/"нет"
    ("of course not", "да нет") is a no.
    """
    tokens = _TOKEN_RE.findall(_norm(text))
    for i, token in enumerate(tokens):
        phrase = " ".join(tokens[i : i + 2]) in vocab.YES_PHRASES
        if phrase or token in vocab.YES_WORDS:
            after = i + (2 if phrase else 1)
            return not (after < len(tokens) and tokens[after] in vocab.NEGATORS)
        if token in vocab.NO_WORDS:
            return False
    return None


def _intent_re(name: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{getattr(words, name)})" for words in vocab.LANGUAGES.values()))


_CANCEL_RE = _intent_re("cancel_re")
_LIST_RE = _intent_re("list_re")
_BOOKING_RE = _intent_re("booking_re")
_CHANGE_RE = _intent_re("change_re")
_HUMAN_RE = _intent_re("human_re")
_THANKS_RE = _intent_re("thanks_re")
_INFO_RES = {
    topic: re.compile("|".join(f"(?:{w.info_re[topic]})" for w in vocab.LANGUAGES.values() if topic in w.info_re))
    for topic in dict.fromkeys(t for w in vocab.LANGUAGES.values() for t in w.info_re)
}
NAME_PREFIX_RE = re.compile(
    r"^\s*(?:" + "|".join(w.name_prefix_re for w in vocab.LANGUAGES.values()) + r")\s+", re.IGNORECASE
)


def wants_cancel(text: str) -> bool:
    """Whether the guest asks to cancel ("cancel my booking", "отменить бронь", "stornieren")."""
    return bool(_CANCEL_RE.search(_norm(text)))


def wants_list(text: str) -> bool:
    """Whether the guest asks to see their bookings ("my reservations", "мои брони"); a cancel request is not."""
    low = _norm(text)
    return bool(_LIST_RE.search(low)) and not _CANCEL_RE.search(low)


def wants_booking(text: str) -> bool:
    """Whether the guest asks to book ("book a table", "reservation", "забронировать", "столик").

    The three intents exclude each other: asking to cancel or to list bookings is not asking to book.
    """
    low = _norm(text)
    return bool(_BOOKING_RE.search(low)) and not _CANCEL_RE.search(low) and not _LIST_RE.search(low)


def wants_change(text: str) -> bool:
    """Whether the guest asks to change a booking ("move my booking to 8", "перенести бронь", "verschieben")."""
    low = _norm(text)
    return bool(_CHANGE_RE.search(low)) and not _CANCEL_RE.search(low)


def wants_human(text: str) -> bool:
    """Whether the guest asks for a person ("can I talk to a human", "оператор", "einen Mitarbeiter")."""
    return bool(_HUMAN_RE.search(_norm(text)))


def is_thanks(text: str) -> bool:
    """A short thank-you ("thanks!", "спасибо", "danke schön")."""
    return bool(_THANKS_RE.search(_norm(text).strip()))


def info_topic(text: str) -> str | None:
    """The restaurant fact asked about: hours, address, phone, website, cuisine or price; else None."""
    low = _norm(text)
    return next((topic for topic, rx in _INFO_RES.items() if rx.search(low)), None)


# ---------------------------------------------------------------- everything at once


_WORD_RE = re.compile(r"[^\W\d_]+")


def _script_of(text: str) -> str | None:
    """The script most of the letters of ``text`` are in ("cyrillic" or "latin"), None without letters."""
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if c.isalpha() and not "\u0400" <= c <= "\u04ff")
    if not cyrillic and not latin:
        return None
    return "cyrillic" if cyrillic > latin else "latin"


@functools.cache
def _date_words(code: str) -> frozenset[str]:
    """The language's names of days and months and its "tomorrow" (4 letters or more, never a word that is only
    sometimes a weekday): "mardi", "decembre", "dienstag" say which language a message is in as much as its
    common words do; a common word of another language ("hier", German "here") is not counted."""
    words = vocab.LANGUAGES[code]
    found = {*words.weekdays, *words.months, *words.relative_days} - words.ambiguous_weekdays
    others = {w for other in vocab.LANGUAGES.values() if other is not words for w in other.markers}  # "hier"
    return frozenset(w for w in found if len(w) >= 4 and w.isalpha() and w not in others)


def _score(words: Vocabulary, tokens: list[str], low: str) -> int:
    """How much ``text`` looks like ``words``' language: its common words and its names of days and months, plus
    its own letters ("ß", "ç")."""
    known = words.markers | _date_words(words.code)
    return sum(1 for t in tokens if t in known) + (2 if any(c in low for c in words.letters) else 0)


def detect_language(text: str, current: str | None = None) -> str:
    """The language of ``text`` among those the guided path speaks, or ``current`` when unclear.

    The script decides first (a language alone in its script wins: Cyrillic is Russian); among the
    languages of one script the one with the most of its common words (``markers``) and its own letters
    (``letters``) in the text wins; with no clear winner ``current`` (or the script's first language,
    English for Latin) stays. Nothing here names a language: a new one is found from its vocabulary.
    """
    script = _script_of(text)
    candidates = {code: words for code, words in vocab.LANGUAGES.items() if words.script == script}
    if len(candidates) == 1:
        return next(iter(candidates))
    low = text.lower()
    tokens = _WORD_RE.findall(low)
    scores = {code: _score(words, tokens, low) for code, words in candidates.items()}
    best = max(scores, key=lambda code: scores[code]) if scores else None
    if best is not None and scores[best] > 0 and list(scores.values()).count(scores[best]) == 1:
        return best
    if current:
        return current
    return next(iter(candidates), "en")


@dataclass(frozen=True)
class ParsedRequest:
    """What one message says about a booking; None where it does not say."""

    date: date | None
    time: time | None
    guests: int | None
    language: str


def parse_request(text: str, today: date) -> ParsedRequest:
    """Run the date, time and party-size parsers (and language detection) over one message."""
    return ParsedRequest(parse_date(text, today), parse_time(text), parse_party_size(text), detect_language(text))
