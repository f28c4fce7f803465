"""The date a guest asks for: today/tomorrow, weekdays, calendar dates, "in 3 days", in every guided language.

How weekdays and year-less dates are resolved is told in :mod:`core.conversation.parsing`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from core.conversation import vocabulary as vocab
from core.conversation.parsing_text import _NUM, _add, _alt, _Hit, _norm, _number

_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC_RE = re.compile(r"(?<![\d.:/])(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?!\d|[.:/]\d)")
_SAID_AS_TIME_RE = re.compile(r"(?:\bat|\baround|\bв|\bк|\bоколо)\s*$")
_MONTHS = vocab.MONTHS
_MONTH_PATTERNS = (  # "Dec 5th, 2026"; "5 December", "5th of Dec", "5-го декабря" (not "5 may I...")
    re.compile(rf"\b(?P<mon>{_alt(vocab.MONTHS)})\.?\s+(?P<day>\d{{1,2}}){_ORD}?\b(?!\s*(?::|uhr|h\b)){_YEAR}"),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:{_ORD}|er|-?го|-?е|-?ое|\.)?\s+(?:of\s+)?(?P<mon>{_alt(_MONTHS)})\b(?!\s+(?:i|we|you)\b)\.?{_YEAR}"
    ),
)
_DAY_OF_MONTH_RE = re.compile(
    rf"\b(?:on\s+the|on|the)\s+(\d{{1,2}}){_ORD}\b|\b(\d{{1,2}})-?(?:го|е)?\s+числа\b|\bam\s+(\d{{1,2}})\.(?![\d.])"
    # French "le 14", "le 1er" (not "le 14h", "le 14 personnes")
    rf"|\ble\s+(\d{{1,2}})(?:er)?\b(?![.:/h]\d|\s*(?:h\b|heures?|{_alt(vocab.PARTY_NOUNS)}))"
)
_IN_DAYS_RE = re.compile(  # "in 3 days", "in zwei Wochen", "dans 3 jours", "через неделю"
    rf"\b(?:in|dans)\s+(?P<n>{_NUM}|an?|a\s+couple\s+of|une?|einem|einer)\s+"
    rf"(?P<unit>days?|weeks?|tagen?|wochen?|jours?|semaines?)\b"
    rf"|\bчерез\s+(?:(?P<ru_n>{_NUM}|пару)\s+)?(?P<ru_unit>день|дня|дней|неделю|недели|недель)\b"
)
_WEEKDAY_NEXT_RE = re.compile(vocab.alternation(vocab.WEEKDAY_NEXT))
_WEEKDAY_RE = re.compile(
    rf"\b(?:(?P<on>{_alt(vocab.WEEKDAY_ON)})\s+)?"
    rf"(?:(?P<mod>{vocab.alternation((*vocab.WEEKDAY_THIS, *vocab.WEEKDAY_NEXT))})\s+)?"
    rf"(?P<wd>{_alt(vocab.WEEKDAYS)})(?:{_alt(vocab.WEEKDAY_PARTS)})?\b\.?"
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


def _numeric(today: date, first: int, second: int, year: str | None, *, us: bool) -> date | None:
    """ "5/12" is day/month; "12/15" is read as month/day only when that is the one reading that exists
    (never "12.30", a time)."""
    found = _calendar(today, first, second, year)
    return found if found is not None or second <= 12 or not us else _calendar(today, second, first, year)


def _day_of_month(today: date, day: int) -> date | None:
    found = _safe_date(today.year, today.month, day)
    if found is None or found < today:
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        found = _safe_date(year, month, day)
    return found


#: A time written straight after a word: "19 Uhr", "7pm", "20:00", "19h30" (an ambiguous weekday before it is one).
_TIME_AFTER_RE = re.compile(r"\.?,?\s*\d{1,2}(?:[:.h]\d{2}\b|\s*(?:uhr|h|pm|am|p\.m|a\.m|o'?clock)(?![^\W\d_]))")
_CLAUSE_START_RE = re.compile(r"(?:^|[,;!?(]|\.\s)\s*$")
#: A party's count just before: "table for 4 sat 8pm", "2 ppl sun 1pm" (a list of details, as at a clause start).
_AFTER_COUNT_RE = re.compile(rf"\b\d{{1,2}}(?:\s*(?:{_alt(vocab.PARTY_NOUNS)}))?\s*$")
#: Short weekdays that are everyday words of some language ("do", "so"): never read from their place alone.
_COMMON = frozenset(w for words in vocab.LANGUAGES.values() for w in words.markers)


def _weekday_by_place(low: str, m: re.Match[str]) -> bool:
    """An ambiguous short weekday ("Sa", "sat") read as one without "on"/"am": it opens the message or a clause
    or follows a party's count, a clock time follows it ("Sa 19 Uhr", "sat 7pm", "for 4 sat 8pm"), and it is no
    everyday word of another language."""
    return (
        m["wd"] not in _COMMON
        and bool(_CLAUSE_START_RE.search(low[: m.start()]) or _AFTER_COUNT_RE.search(low[: m.start()]))
        and bool(_TIME_AFTER_RE.match(low, m.end()))
    )


def _weekday(today: date, m: re.Match[str], low: str = "") -> date | None:
    word, mod = m["wd"], m["mod"] or ""
    strong = mod or m["on"] in vocab.STRONG_WEEKDAY_ON or _weekday_by_place(low, m)
    if word in vocab.AMBIGUOUS_WEEKDAYS and not strong:
        return None
    target = vocab.WEEKDAYS[word]
    if m["nw"] or _WEEKDAY_NEXT_RE.fullmatch(mod):
        return today + timedelta(days=7 - today.weekday() + target)
    delta = (target - today.weekday()) % 7
    return today + timedelta(days=7 if delta == 0 and not mod else delta)


def _in_days(today: date, m: re.Match[str]) -> date:
    n, unit = (m["n"], m["unit"]) if m["unit"] else (m["ru_n"], m["ru_unit"])
    one = (None, "a", "an", "un", "une", "einem", "einer")
    count = 1 if n in one else 2 if n.startswith("a ") or n == "пару" else _number(n)
    return today + timedelta(days=count * (7 if unit.startswith(("week", "недел", "woche", "semaine")) else 1))


#: A weekday with the day of the month after it: "samedi 12", "Saturday 12th", "Samstag, 12." (not "Friday 8pm").
_WEEKDAY_DAY_RE = re.compile(
    rf"\b(?P<wd>{_alt(vocab.WEEKDAYS)})\.?,?\s+(?:the\s+)?(?P<day>\d{{1,2}})(?P<suffix>{_ORD}|er|\.(?!\d))?"
    rf"(?![\d:.]|\s*(?:h|heures?|uhr|[ap]\.?m\b|o'?clock|{_alt(vocab.PARTY_NOUNS)}))"
)


def _weekday_day(today: date, m: re.Match[str]) -> date | None:
    """The day of the month after a weekday, when it is written as one (an ordinal or a dot after it) or the
    weekday's language reads a bare number there as the day."""
    if not (m["suffix"] or m["wd"] in vocab.WEEKDAYS_BEFORE_DAY) or not 1 <= int(m["day"]) <= 31:
        return None
    return _day_of_month(today, int(m["day"]))


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
            _add(hits, m, _numeric(today, int(m[1]), int(m[3]), m[4], us=m[2] == "/"))
    for m in (m for rx in _MONTH_PATTERNS for m in rx.finditer(low)):
        _add(hits, m, _calendar(today, int(m["day"]), _MONTHS[m["mon"]], m["year"]))
    for m in _DAY_OF_MONTH_RE.finditer(low):
        _add(hits, m, _day_of_month(today, int(m[1] or m[2] or m[3] or m[4])))
    for m in _WEEKDAY_DAY_RE.finditer(low):
        _add(hits, m, _weekday_day(today, m))
    for m in _IN_DAYS_RE.finditer(low):
        _add(hits, m, _in_days(today, m), rank=1)
    for m in _WEEKDAY_RE.finditer(low):
        _add(hits, m, _weekday(today, m, low), rank=1)
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
