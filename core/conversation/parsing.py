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

import phonenumbers

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
_MONTHS = vocab.MONTHS
_MONTH_PATTERNS = (  # "Dec 5th, 2026"; "5 December", "5th of Dec", "5-го декабря" (not "5 may I...")
    re.compile(rf"\b(?P<mon>{_alt(vocab.MONTHS)})\.?\s+(?P<day>\d{{1,2}}){_ORD}?\b(?!\s*(?::|uhr|h\b)){_YEAR}"),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:{_ORD}|-?го|-?е|-?ое|\.)?\s+(?:of\s+)?(?P<mon>{_alt(_MONTHS)})\b(?!\s+(?:i|we|you)\b)\.?{_YEAR}"
    ),
)
_DAY_OF_MONTH_RE = re.compile(rf"\b(?:on\s+the|on|the)\s+(\d{{1,2}}){_ORD}\b|\b(\d{{1,2}})-?(?:го|е)?\s+числа\b")
_IN_DAYS_RE = re.compile(
    rf"\bin\s+(?P<n>{_NUM}|an?|a\s+couple\s+of)\s+(?P<unit>days?|weeks?)\b"
    rf"|\bчерез\s+(?:(?P<ru_n>{_NUM}|пару)\s+)?(?P<ru_unit>день|дня|дней|неделю|недели|недель)\b"
)
_WEEKDAY_NEXT_RE = re.compile(vocab.alternation(vocab.WEEKDAY_NEXT))
_WEEKDAY_RE = re.compile(
    rf"\b(?:(?P<on>{_alt(vocab.WEEKDAY_ON)})\s+)?"
    rf"(?:(?P<mod>{vocab.alternation((*vocab.WEEKDAY_THIS, *vocab.WEEKDAY_NEXT))})\s+)?"
    rf"(?P<wd>{_alt(vocab.WEEKDAYS)})\b\.?"
    rf"(?P<nw>\s+{vocab.alternation(vocab.NEXT_WEEK)})?"
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
    if word in vocab.AMBIGUOUS_WEEKDAYS and not (mod or m["on"] in vocab.STRONG_WEEKDAY_ON):
        return None
    target = vocab.WEEKDAYS[word]
    if m["nw"] or _WEEKDAY_NEXT_RE.fullmatch(mod):
        return today + timedelta(days=7 - today.weekday() + target)
    delta = (target - today.weekday()) % 7
    return today + timedelta(days=7 if delta == 0 and not mod else delta)


def _in_days(today: date, m: re.Match[str]) -> date:
    n, unit = (m["n"], m["unit"]) if m["unit"] else (m["ru_n"], m["ru_unit"])
    count = 1 if n in (None, "a", "an") else 2 if n[0] == "a" or n == "пару" else _number(n)
    return today + timedelta(days=count * (7 if unit.startswith(("week", "недел")) else 1))


_NOT_DATES_RE = re.compile(rf"\b{_alt(vocab.NOT_DATES)}\b") if vocab.NOT_DATES else None


def _date_hits(low: str, today: date) -> list[_Hit]:
    """Every date expression in the normalised text, most explicit patterns first."""
    hits: list[_Hit] = []
    if _NOT_DATES_RE is not None:  # "guten Morgen" is a greeting, not tomorrow
        low = _NOT_DATES_RE.sub(lambda m: " " * len(m[0]), low)
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

_NOT_AM = _alt((*vocab.WEEKDAYS, "abend", "nachmittag", "morgen", "mittag", "wochenende"))  # German "am Freitag"
_AMPM = rf"\s*(?P<ampm>a\.m\.|p\.m\.|a\.m|p\.m|am(?!\s+{_NOT_AM}\b)|pm)(?![a-zа-я])"
_PWORD = _alt(w for w in vocab.PERIOD_WORDS if w.strip(".") not in ("am", "pm", "a.m", "p.m"))
_PERIOD = rf"(?:{_AMPM}|\s+(?P<pword>{_PWORD})\b)"
_NOON_RE = re.compile(r"\b(?:noon|midday|полдень|(?P<mid>midnight|полночь))\b")
_HALF_RE = re.compile(rf"\b(?:(?P<q>half|quarter)\s+(?P<dir>past|to)|(?P<half>half))\s+(?P<h>{_HOUR}){_PERIOD}?")
_RU_HALF_RE = re.compile(rf"\bпол(?:овине)?[\s-]?(?P<ord>{_alt(vocab.RU_ORDINAL_GENITIVE)})\b{_PERIOD}?")
_CLOCK_RE = re.compile(rf"(?<![\d.:])(?P<h>\d{{1,2}})[:.](?P<m>\d{{2}})(?![\d:]|\.\d){_PERIOD}?")
_AMPM_RE = re.compile(rf"(?P<h>{_HOUR})(?:\s*o'?clock)?{_AMPM}")
_OCLOCK_RE = re.compile(rf"(?P<h>{_HOUR})\s*o'?clock{_PERIOD}?")
_HOUR_UNIT = _alt((*vocab.HOUR_UNITS, "ч"))
_RU_HOURS_RE = re.compile(
    rf"(?P<h>{_HOUR}|\bчас)(?:\s*(?P<unit>{_HOUR_UNIT})\b\.?)?(?:\s*(?P<pword>утра|дня|днем|вечера|ночи)\b)?"
)
_TIME_PREFIX = _alt((*vocab.TIME_PREFIXES, *vocab.APPROX_PREFIXES))
_PREFIXED_RE = re.compile(
    rf"(?<![\w.])(?P<pre>{_TIME_PREFIX})\s+(?:~\s*)?(?P<h>{_HOUR})"
    rf"(?P<unit>\s*{_alt(vocab.HOUR_UNITS)})?{_PERIOD}?(?!\s*{_alt(vocab.NOT_AFTER_HOUR)})"
)
_ISH_RE = re.compile(rf"(?:~\s*)?(?P<h>{_HOUR})\s*-?\s*ish\b{_PERIOD}?")  # "8ish", "8-ish"
_DE_HALF_RE = re.compile(rf"\bhalb\s+(?P<h>{_HOUR}){_PERIOD}?")  # "halb acht" is 7:30
_APPROX_RE = re.compile(rf"(?:\b{_alt(vocab.APPROX_PREFIXES)}\s+|~\s*)(?:\d|{_WORD_NUMBER})|\d\s*-?\s*ish\b")


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
    for m in _DE_HALF_RE.finditer(low):
        hour_at(m, _number(m["h"]) - 1 or 12, 30)
    for m in _CLOCK_RE.finditer(low):
        hour_at(m, int(m["h"]), int(m["m"]))
    for m in _ISH_RE.finditer(low):
        hour_at(m, _number(m["h"]))
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

_COUNT = rf"(?P<n>{_NUM})"
_STRONG_PARTY = [
    re.compile(rf"(?P<n>{_NUM})\s*{_alt(vocab.PARTY_NOUNS)}"),
    *(re.compile(pattern.replace("{n}", _COUNT)) for pattern in vocab.PARTY_PATTERNS),
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
    (re.compile(r"\b(?:just|only)\s+(?:me|myself|one)\b(?!\s+and\b)|\bby\s+myself\b|\bтолько\s+я\b|\bя\s+одн?(?:ин|а)\b"),
     1),
]  # fmt: skip
_WEAK_PARTY = re.compile(rf"\b{_alt(vocab.PARTY_PREFIXES)}\s+(?P<n>{_NUM})(?!\s*{_alt(vocab.NOT_AFTER_COUNT)})")
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
        [(m.start(), vocab.COLLECTIVE[" ".join(m["c"].split())] if "c" in rx.groupindex else _number(m["n"]))
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

def _matches(text: str, region: str | None) -> list[phonenumbers.PhoneNumberMatch]:
    """``phonenumbers``' matches in ``text``: valid numbers, else numbers whose length merely fits
    (reserved ranges such as UK 07700 900xxx, used in fiction and tests, are still numbers a guest
    may give) when written with "+" or with at least 10 digits, so dates and counts are never read."""
    code = (region or "ZZ").upper()
    found = list(phonenumbers.PhoneNumberMatcher(text, code))
    if found:
        return found
    return [
        m
        for m in phonenumbers.PhoneNumberMatcher(text, code, leniency=phonenumbers.Leniency.POSSIBLE)
        if m.raw_string.lstrip("( ").startswith("+") or sum(c.isdigit() for c in m.raw_string) >= 10
    ]


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


def is_approximate(text: str) -> bool:
    """Whether the time is given loosely ("8ish", "around 8", "около восьми", "gegen 8")."""
    return bool(_APPROX_RE.search(_norm(text)))


# ---------------------------------------------------------------- everything at once


_WORD_RE = re.compile(r"[^\W\d_]+")


def detect_language(text: str, current: str | None = None) -> str:
    """The language of ``text`` among those the guided path speaks, or ``current`` when unclear.

    The script decides first (Cyrillic is Russian); among Latin-script languages the one
    with the most of its common words in the text wins; with no evidence ``current`` (or
    English) stays.
    """
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if c.isalpha() and c.isascii() or c in "äöüßÄÖÜ")
    scripts = {words.script for words in vocab.LANGUAGES.values()}
    if cyrillic > latin and "cyrillic" in scripts:
        return next(code for code, words in vocab.LANGUAGES.items() if words.script == "cyrillic")
    tokens = _WORD_RE.findall(text.lower())
    scores = {
        code: sum(1 for t in tokens if t in words.markers)
        for code, words in vocab.LANGUAGES.items()
        if words.script == "latin"
    }
    if any(c in "äöüß" for c in text.lower()):
        scores["de"] = scores.get("de", 0) + 2
    best = max(scores, key=lambda code: scores[code]) if scores else "en"
    if scores.get(best, 0) > 0 and list(scores.values()).count(scores[best]) == 1:
        return best
    if current:
        return current
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
