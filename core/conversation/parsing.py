"""Understanding what guests write: dates, times, party sizes, phones, yes/no and intents.

Pure functions for the guided (no-LLM) booking flow, English and Russian. No I/O and
no clock: callers pass ``today`` (the restaurant's local date). Word tables live in
:mod:`core.conversation.vocabulary`. Choices worth knowing:

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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from core.conversation import vocabulary as vocab


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, each escaped."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


_TRANSLATION = str.maketrans({"ё": "е", "’": "'", "‘": "'", "\u00a0": " ", "–": "-", "—": "-"})


def _norm(text: str) -> str:
    """Lower-case, 'ё' as 'е', plain apostrophes and spaces; keeps the length."""
    return text.lower().translate(_TRANSLATION)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    rank: int
    value: object


def _add(hits: list[_Hit], match: re.Match[str], value: object, rank: int = 0) -> None:
    """Record ``value`` for ``match`` unless it is None or overlaps an earlier hit."""
    if value is not None and not any(h.start < match.end() and match.start() < h.end for h in hits):
        hits.append(_Hit(match.start(), match.end(), rank, value))


def _mask(text: str, hits: Iterable[_Hit]) -> str:
    """Blank out the spans of ``hits`` so later parsers do not read them again."""
    chars = list(text)
    for h in hits:
        chars[h.start : h.end] = " " * (h.end - h.start)
    return "".join(chars)


def _number(token: str) -> int:
    return int(token) if token.isdigit() else vocab.NUMBER_WORDS[token]


_WORD_NUMBER = rf"\b{_alt(vocab.NUMBER_WORDS)}\b"
_NUM = rf"(?:(?<![\d+.:/])\d{{1,3}}(?!\d|[.:,/]\d)|{_WORD_NUMBER})"  # a count: digits not glued to others
_HOUR = rf"(?:(?<![\d.:])\d{{1,2}}(?![\d:]|\.\d)|{_WORD_NUMBER})"
_ANY_DAY = date(2000, 1, 1)  # a leap year's 1 January: with it, masking finds every day/month that can exist

# ---------------------------------------------------------------- dates

_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC_RE = re.compile(r"(?<![\d.:/])(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?!\d|[.:/]\d)")
_SAID_AS_TIME_RE = re.compile(r"(?:\bat|\baround|\bв|\bк|\bоколо)\s*$")
_MONTHS = {**vocab.EN_MONTHS, **vocab.RU_MONTHS}
_MONTH_PATTERNS = (  # "Dec 5th, 2026"; "5 December", "5th of Dec", "5-го декабря" (not "5 may I...")
    re.compile(rf"\b(?P<mon>{_alt(vocab.EN_MONTHS)})\.?\s+(?P<day>\d{{1,2}}){_ORD}?\b{_YEAR}"),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:{_ORD}|-?го|-?е|-?ое)?\s+(?:of\s+)?(?P<mon>{_alt(_MONTHS)})\b(?!\s+(?:i|we|you)\b)\.?{_YEAR}"
    ),
)
_DAY_OF_MONTH_RE = re.compile(rf"\b(?:on\s+the|on|the)\s+(\d{{1,2}}){_ORD}\b|\b(\d{{1,2}})-?(?:го|е)?\s+числа\b")
_IN_DAYS_RE = re.compile(
    rf"\bin\s+(?P<n>{_NUM}|an?|a\s+couple\s+of)\s+(?P<unit>days?|weeks?)\b"
    rf"|\bчерез\s+(?:(?P<ru_n>{_NUM}|пару)\s+)?(?P<ru_unit>день|дня|дней|неделю|недели|недель)\b"
)
_WEEKDAY_RE = re.compile(
    rf"\b(?:(?P<on>on|в|во)\s+)?(?:(?P<mod>this\s+coming|this|next|coming|эт(?:от|у|о|а)|следующ\w*|ближайш\w*)\s+)?"
    rf"(?P<wd>{_alt({**vocab.EN_WEEKDAYS, **vocab.RU_WEEKDAYS})})\b\.?"
    r"(?P<nw>\s+(?:next\s+week|на\s+следующей\s+неделе))?"
)
_RELATIVE_RE = re.compile(rf"\b(?:the\s+)?(?P<word>{_alt(vocab.RELATIVE_DAYS)})\b")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _calendar(today: date, day: int, month: int, year: str | None) -> date | None:
    """A day and month, in the year given or else the next such date from today."""
    if year is not None:
        return _safe_date(int(year) + 2000 if len(year) == 2 else int(year), month, day)
    found = _safe_date(today.year, month, day)
    return _safe_date(today.year + 1, month, day) if found is not None and found < today else found


def _day_of_month(today: date, day: int) -> date | None:
    found = _safe_date(today.year, today.month, day)
    if found is None or found < today:
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        found = _safe_date(year, month, day)
    return found


def _weekday(today: date, m: re.Match[str]) -> date | None:
    word, mod = m["wd"], m["mod"] or ""
    if word in vocab.AMBIGUOUS_WEEKDAYS and not (mod or m["on"] == "on"):
        return None
    target = vocab.EN_WEEKDAYS.get(word, vocab.RU_WEEKDAYS.get(word, 0))
    if m["nw"] or mod.startswith(("next", "следующ")):
        return today + timedelta(days=7 - today.weekday() + target)
    delta = (target - today.weekday()) % 7
    return today + timedelta(days=7 if delta == 0 and not mod else delta)


def _in_days(today: date, m: re.Match[str]) -> date:
    n, unit = (m["n"], m["unit"]) if m["unit"] else (m["ru_n"], m["ru_unit"])
    count = 1 if n in (None, "a", "an") else 2 if n[0] == "a" or n == "пару" else _number(n)
    return today + timedelta(days=count * (7 if unit.startswith(("week", "недел")) else 1))


def _date_hits(low: str, today: date) -> list[_Hit]:
    """Every date expression in the normalised text, most explicit patterns first."""
    hits: list[_Hit] = []
    for m in _ISO_RE.finditer(low):
        _add(hits, m, _safe_date(int(m[1]), int(m[2]), int(m[3])))
    for m in _NUMERIC_RE.finditer(low):
        could_be_time = m[2] == "." and m[4] is None and len(m[3]) == 2 and int(m[1]) <= 23 and int(m[3]) <= 59
        said_as_time = _SAID_AS_TIME_RE.search(low[max(0, m.start() - 8) : m.start()]) or re.match(
            r"\s*[ap]\.?m\b", low[m.end() :]
        )
        if not (could_be_time and said_as_time):
            _add(hits, m, _calendar(today, int(m[1]), int(m[3]), m[4]))
    for m in (m for rx in _MONTH_PATTERNS for m in rx.finditer(low)):
        _add(hits, m, _calendar(today, int(m["day"]), _MONTHS[m["mon"]], m["year"]))
    for m in _DAY_OF_MONTH_RE.finditer(low):
        _add(hits, m, _day_of_month(today, int(m[1] or m[2])))
    for m in _IN_DAYS_RE.finditer(low):
        _add(hits, m, _in_days(today, m), rank=1)
    for m in _WEEKDAY_RE.finditer(low):
        _add(hits, m, _weekday(today, m), rank=1)
    for m in _RELATIVE_RE.finditer(low):
        _add(hits, m, today + timedelta(days=vocab.RELATIVE_DAYS[m["word"]]), rank=2)
    return hits


def parse_date(text: str, today: date) -> date | None:
    """The date a guest asks for, or None.

    Understands today/tonight/tomorrow/day after tomorrow, weekdays (with
    "this"/"next"), "Dec 5", "5 December", "5th of December", "2026-12-05",
    "5.12", "5.12.2026", "5/12" (day/month), "in 3 days", and Russian "сегодня",
    "завтра", "послезавтра", "в (эту|следующую) пятницу", "5 декабря", "5-го
    декабря", "через 3 дня", "через неделю". The module docstring says how
    weekdays and year-less dates are resolved.
    """
    hits = _date_hits(_norm(text), today)
    found = min(hits, key=lambda h: (h.rank, h.start)).value if hits else None
    return found if isinstance(found, date) else None


# ---------------------------------------------------------------- times

_AMPM = r"\s*(?P<ampm>a\.m\.|p\.m\.|a\.m|p\.m|am|pm)(?![a-zа-я])"
_PWORD = _alt(w for w in vocab.PERIOD_WORDS if w.strip(".") not in ("am", "pm", "a.m", "p.m"))
_PERIOD = rf"(?:{_AMPM}|\s+(?P<pword>{_PWORD})\b)"
_NOON_RE = re.compile(r"\b(?:noon|midday|полдень|(?P<mid>midnight|полночь))\b")
_HALF_RE = re.compile(rf"\b(?:(?P<q>half|quarter)\s+(?P<dir>past|to)|(?P<half>half))\s+(?P<h>{_HOUR}){_PERIOD}?")
_RU_HALF_RE = re.compile(rf"\bпол(?:овине)?[\s-]?(?P<ord>{_alt(vocab.RU_ORDINAL_GENITIVE)})\b{_PERIOD}?")
_CLOCK_RE = re.compile(rf"(?<![\d.:])(?P<h>\d{{1,2}})[:.](?P<m>\d{{2}})(?![\d:]|\.\d){_PERIOD}?")
_AMPM_RE = re.compile(rf"(?P<h>{_HOUR})(?:\s*o'?clock)?{_AMPM}")
_OCLOCK_RE = re.compile(rf"(?P<h>{_HOUR})\s*o'?clock{_PERIOD}?")
_RU_HOURS_RE = re.compile(
    rf"(?P<h>{_HOUR}|\bчас)(?:\s*(?P<unit>час(?:а|ов|ам)?|ч)\b\.?)?(?:\s*(?P<pword>утра|дня|днем|вечера|ночи)\b)?"
)
_PREFIXED_RE = re.compile(
    rf"\b(?P<pre>at|around|about|by|after|until|till|в|во|к|около)\s+(?:~\s*)?(?P<h>{_HOUR})"
    rf"(?P<unit>\s*(?:o'?clock|час(?:а|ов|ам)?))?{_PERIOD}?(?!\s*{_alt(vocab.NOT_AFTER_HOUR)})"
)


def _default_period(low: str) -> str:
    if any(word in low for word in vocab.MORNING_HINTS):
        return "am"
    return "day" if any(word in low for word in vocab.DAYTIME_HINTS) else "pm"


def _clock(hour: int, minute: int, period: str | None, default: str) -> time | None:
    """A time from an hour as written plus its period of day (see vocabulary.PERIOD_WORDS)."""
    if period in ("am", "pm") and hour > 12:
        return None  # "13pm": a typo worth asking about
    period = period or default
    if period == "am" and hour == 12:
        hour = 0
    elif (period == "pm" and 1 <= hour < 12) or (period == "day" and 1 <= hour <= 6):
        hour += 12
    elif period == "night":
        hour = 0 if hour == 12 else hour + 12 if 8 <= hour <= 11 else hour
    return time(hour, minute) if 0 <= hour <= 23 and 0 <= minute <= 59 else None


def _period(m: re.Match[str]) -> str | None:
    ampm, word = m.groupdict().get("ampm"), m.groupdict().get("pword")
    return ("am" if ampm[0] == "a" else "pm") if ampm else vocab.PERIOD_WORDS[" ".join(word.split())] if word else None


def _time_hits(low: str, default: str) -> list[_Hit]:
    """Every time expression in the normalised, date-masked text; ``default`` reads bare hours."""
    hits: list[_Hit] = []

    def hour_at(m: re.Match[str], hour: int, minute: int = 0) -> None:
        literal = m["h"] is not None and m["h"].startswith("0") and _period(m) is None  # "09:00"
        _add(hits, m, _clock(hour, minute, _period(m), "am" if literal else default))

    for m in _NOON_RE.finditer(low):
        _add(hits, m, time(0, 0) if m["mid"] else time(12, 0))
    for m in _RU_HALF_RE.finditer(low):
        _add(hits, m, _clock(vocab.RU_ORDINAL_GENITIVE[m["ord"]] - 1 or 12, 30, _period(m), default))
    for m in _HALF_RE.finditer(low):
        if m["half"] or m["q"] == "half":
            hour_at(m, _number(m["h"]), 30)
        else:
            hour_at(m, _number(m["h"]), 15) if m["dir"] == "past" else hour_at(m, _number(m["h"]) - 1 or 12, 45)
    for m in _CLOCK_RE.finditer(low):
        hour_at(m, int(m["h"]), int(m["m"]))
    for m in (*_AMPM_RE.finditer(low), *_OCLOCK_RE.finditer(low)):
        hour_at(m, _number(m["h"]))
    for m in _RU_HOURS_RE.finditer(low):  # "8 часов", "7 вечера", "час дня"
        before = low[max(0, m.start() - 8) : m.start()]
        hour = 1 if m["h"] == "час" else _number(m["h"])
        duration = not m["pword"] and (  # "через 2 часа", "на 2 часа"
            re.search(r"(?:через|за)\s*$", before) or (re.search(r"на\s*$", before) and hour <= 4)
        )
        if (m["pword"] or (m["unit"] and m["h"] != "час")) and not duration:
            hour_at(m, hour)
    for m in _PREFIXED_RE.finditer(low):
        following = re.match(r"\s*([а-я]+)", low[m.end() :])
        if m["pre"] in ("в", "во", "к") and not (m["unit"] or _period(m)) and following:
            if following[1] not in vocab.RU_WORDS_AFTER_BARE_HOUR:
                continue  # "в 2 зале", "в 3 ряду"
        hour_at(m, _number(m["h"]))
    return hits


def parse_time(text: str) -> time | None:
    """The time of day a guest asks for, or None.

    Understands "7pm", "7:30pm", "19:30", "19.30", "at 7", "at 8 in the evening",
    "noon", "half past 7", "quarter past 8", and Russian "в 20:00", "в 7 вечера",
    "в 8 часов", "в 12 дня", "в полдень", "в 9 утра", "в полвосьмого". A bare hour
    1-11 means the evening. Dates ("5.12", "Dec 5") and party sizes ("for 2") are
    never read as times. With several times, the first wins.
    """
    low = _norm(text)
    hits = _time_hits(_mask(low, _date_hits(low, _ANY_DAY)), _default_period(low))
    found = min(hits, key=lambda h: h.start).value if hits else None
    return found if isinstance(found, time) else None


# ---------------------------------------------------------------- party size

_STRONG_PARTY = [
    re.compile(rf"(?P<n>{_NUM})\s*{_alt(vocab.PARTY_NOUNS)}"),
    re.compile(rf"\b(?:table|booking|reservation|seats?)\s+for\s+(?:a\s+(?:party|group)\s+of\s+)?(?P<n>{_NUM})"),
    re.compile(rf"\b(?:party|group)\s+of\s+(?P<n>{_NUM})"),
    re.compile(rf"\bwe(?:'re|\s+are|\s+will\s+be|'ll\s+be)\s+(?:a\s+(?:party|group)\s+of\s+)?(?P<n>{_NUM})"),
    re.compile(rf"\bстол\w*\s+(?:на|для)\s+(?P<n>{_NUM})"),
    re.compile(rf"\bнас\s+(?:будет\s+)?(?P<n>{_NUM})"),
    re.compile(rf"\b(?P<c>{_alt(vocab.RU_COLLECTIVE)})\b"),
]  # fmt: skip
_PLUS_ME = re.compile(  # "me and 3 friends", "my 2 friends and I", "мы с двумя друзьями": companions plus the guest
    rf"\b(?:(?:me\s+and|with|я\s+и|(?:я|мы)\s+со?)\s+(?:my\s+|моими\s+)?|\bmy\s+(?=\S+\s+\S+\s+and\s+(?:i|me)\b))"
    rf"(?P<n>{_NUM})\s+{_alt(vocab.COMPANIONS_PLURAL)}\b"
)
_PHRASE_PARTY = [
    (re.compile(rf"\b(?:me|myself)\s+and\s+(?:my\s+)?{_alt(vocab.COMPANIONS_EN)}\b"), 2),
    (re.compile(rf"\bmy\s+{_alt(vocab.COMPANIONS_EN)}\s+and\s+(?:i|me)\b"), 2),
    (re.compile(rf"\b(?:я|мы)\s+со?\s+(?:моей\s+|моим\s+)?{_alt(vocab.COMPANIONS_RU_INSTRUMENTAL)}\b"), 2),
    (re.compile(rf"\bя\s+и\s+(?:моя\s+|мой\s+)?{_alt(vocab.COMPANIONS_RU)}\b"), 2),
    (re.compile(r"\b(?:just|only)\s+(?:me|myself|one)\b(?!\s+and\b)|\bby\s+myself\b|\bтолько\s+я\b|\bя\s+одн?(?:ин|а)\b"),
     1),
]  # fmt: skip
_WEAK_PARTY = re.compile(rf"\b(?:for|на|для)\s+(?P<n>{_NUM})(?!\s*{_alt(vocab.NOT_AFTER_COUNT)})")
_BARE_NUMBER = re.compile(rf"(?P<n>{_NUM})")


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
        [(m.start(), vocab.RU_COLLECTIVE[m["c"]] if "c" in rx.groupindex else _number(m["n"]))
         for rx in _STRONG_PARTY for m in rx.finditer(masked)]
        + [(m.start(), _number(m["n"]) + 1) for m in _PLUS_ME.finditer(masked)],
        [(m.start(), value) for rx, value in _PHRASE_PARTY for m in rx.finditer(masked)],
        [(m.start(), _number(m["n"])) for m in _WEAK_PARTY.finditer(masked)],
    ]  # fmt: skip
    if expecting:
        bare = [_number(m["n"]) for m in _BARE_NUMBER.finditer(masked)]
        tiers.append([(0, bare[0])] if len(bare) == 1 else [])
    found = next((min(tier)[1] for tier in tiers if tier), None)
    return found if found is not None and 1 <= found <= 100 else None


# ---------------------------------------------------------------- phone, yes/no, intents

_PHONE_RE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s\-()]{0,2}\d)+")
_NOT_PHONE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}:\d{2}")  # ISO dates and clock times


def extract_phone(text: str) -> str | None:
    """The first phone-number-looking run in ``text``, without spaces, brackets and dashes.

    A leading "+" is kept; the run needs 7 to 15 digits. "+7 916 123-45-67" gives
    "+79161234567". Normalising to E.164 happens elsewhere.
    """
    for m in _PHONE_RE.finditer(_NOT_PHONE_RE.sub(lambda t: "x" * len(t[0]), text)):
        digits = re.sub(r"\D", "", m[0])
        if 7 <= len(digits) <= 15:
            return ("+" if m[0].startswith("+") else "") + digits
    return None


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


_CANCEL_RE = re.compile(r"\bcancel\w*|\bcall\s+off\b|\bотмен\w*")
_LIST_RE = re.compile(
    r"\bmy\s+(?:bookings|reservations)\b"
    r"|\b(?:show|list|see|view|check)\s+(?:me\s+)?(?:all\s+)?(?:my\s+|the\s+)?(?:bookings?|reservations?)\b"
    r"|\bdo\s+i\s+have\s+(?:a|any)\s+(?:bookings?|reservations?)\b"
    r"|\bмои\s+(?:брон|заказ|резерв)\w*"
    r"|\b(?:покаж\w*|посмотреть|список|проверить|проверь)\s+(?:мои\s+|мою\s+)?(?:брон|заказ|резерв)\w*"
    r"|\b(?:какие|есть\s+ли)\s+у\s+меня\s+брон\w*|\bу\s+меня\s+есть\s+брон\w*"
)
_BOOKING_RE = re.compile(r"\bbook(?:ing|ed)?\b|\breserv\w*|\btable\b|\bброн\w*|\bзаброни\w*|\bстол(?:ик\w*)?\b")


def wants_cancel(text: str) -> bool:
    """Whether the guest asks to cancel ("cancel my booking", "отменить бронь")."""
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


# ---------------------------------------------------------------- everything at once


def detect_language(text: str) -> str:
    """'ru' when the text has more Cyrillic than Latin letters, else 'en'."""
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return "ru" if cyrillic > latin else "en"


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
