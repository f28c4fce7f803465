"""The time of day a guest asks for: "7pm", "19:30", "half past 7", "в 7 вечера", "halb acht"...

How bare hours are read is told in :mod:`core.conversation.parsing`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time

from core.conversation import vocabulary as vocab
from core.conversation.parsing_dates import _date_hits
from core.conversation.parsing_text import _ANY_DAY, _HOUR, _WORD_NUMBER, _add, _alt, _Hit, _mask, _norm, _number

_NOT_AM = _alt((*vocab.WEEKDAYS, "abend", "nachmittag", "morgen", "mittag", "wochenende"))  # German "am Freitag"
_AMPM = rf"\s*(?P<ampm>a\.m\.|p\.m\.|a\.m|p\.m|am(?!\s+(?:{_NOT_AM}\b|\d)|\s{{3,}})|pm)(?![a-zа-я])"
_PWORD = _alt(w for w in vocab.PERIOD_WORDS if w.strip(".") not in ("am", "pm", "a.m", "p.m"))
_PERIOD = rf"(?:{_AMPM}|\s+(?P<pword>{_PWORD})\b)"
_NOON_RE = re.compile(r"\b(?:noon|midday|полдень|midi|(?P<mid>midnight|полночь|minuit))\b(?!\s+et\s+(?:demie?|quart))")
_FR_PART_RE = re.compile(  # "8 heures et demie" 8:30, "20h et quart", "midi et demi", "9h moins le quart" 8:45
    rf"(?:(?P<h>{_HOUR})\s*(?:h|heures?)|\b(?P<noon>midi|minuit))\s+"
    rf"(?:et\s+(?P<part>demie?|quart)|moins\s+(?:le\s+)?(?P<to>quart))\b{_PERIOD}?"
)
_HALF_RE = re.compile(  # "half past 7", "quarter to 8", "half 7"; German "viertel nach 8", "viertel vor acht"
    rf"\b(?:(?P<q>half|quarter|viertel)\s+(?P<dir>past|to|nach|vor)|(?P<half>half))\s+(?P<h>{_HOUR}){_PERIOD}?"
)
_RU_HALF_RE = re.compile(rf"\bпол(?:овине)?[\s-]?(?P<ord>{_alt(vocab.RU_ORDINAL_GENITIVE)})\b{_PERIOD}?")
_CLOCK_RE = re.compile(rf"(?<![\d.:])(?P<h>\d{{1,2}})(?:[:.]|h(?=\d))(?P<m>\d{{2}})(?![\d:]|\.\d){_PERIOD}?")
_SPACED_CLOCK_RE = re.compile(  # "в 19 30", "на 19 00", "at 7 45pm": a clock time typed with a space (no ":" at hand);
    # never a group of a phone number (no digits just before or after) nor "for 2 30 people"
    rf"(?<![\d.:+/-])(?<![\d.:+/-]\s)(?P<h>[01]?\d|2[0-3])\s(?P<m>[0-5][05])(?![\d:./-]|\s*\d)"
    rf"(?!\s*{_alt(vocab.NOT_AFTER_HOUR)}){_PERIOD}?"
)
_AMPM_RE = re.compile(rf"(?P<h>{_HOUR})(?:\s*o'?clock)?{_AMPM}")
_OCLOCK_RE = re.compile(rf"(?P<h>{_HOUR})\s*o'?clock{_PERIOD}?")
_HOUR_UNIT = _alt((*vocab.HOUR_UNITS, "ч"))
_RU_HOURS_RE = re.compile(
    rf"(?P<h>{_HOUR}|\bчасу?)(?:\s*(?P<unit>{_HOUR_UNIT})\b\.?(?:\s+(?P<upword>{_PWORD})\b)?)?"
    rf"(?:\s*(?P<pword>утра|дня|днем|вечера|ночи)\b)?"
)
_TIME_PREFIX = _alt((*vocab.TIME_PREFIXES, *vocab.APPROX_PREFIXES))
_PREFIXED_RE = re.compile(
    rf"(?<![\w.])(?P<pre>{_TIME_PREFIX})\s+(?:~\s*)?(?P<h>{_HOUR})"
    rf"(?P<unit>\s*{_alt(vocab.HOUR_UNITS)})?{_PERIOD}?(?!\s*{_alt(vocab.NOT_AFTER_HOUR)})"
)
_ISH_RE = re.compile(rf"(?:~\s*)?(?P<h>{_HOUR})\s*-?\s*ish\b{_PERIOD}?")  # "8ish", "8-ish"
_RU_TO_RE = re.compile(  # "без пятнадцати восемь" is 7:45, "без десяти 8" 7:50
    rf"\bбез\s+(?P<q>четверти|пятнадцати|десяти|двадцати|пяти)\s+(?P<h>{_HOUR}){_PERIOD}?"
)
_RU_TO_MINUTES = {"четверти": 15, "пятнадцати": 15, "десяти": 10, "двадцати": 20, "пяти": 5}
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
    unit_word = m.groupdict().get("upword")  # "10h du matin", "20 Uhr abends" (a 24-hour clock keeps its hour)
    if unit_word and not (m["h"].isdigit() and int(m["h"]) > 12):
        word = word or unit_word
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
            past = m["dir"] in ("past", "nach")
            hour_at(m, _number(m["h"]), 15) if past else hour_at(m, _number(m["h"]) - 1 or 12, 45)
    for m in _FR_PART_RE.finditer(low):
        hour = (0 if m["noon"] == "minuit" else 12) if m["noon"] else _number(m["h"])
        if m["to"]:
            hour_at(m, hour - 1 or 12, 45)
        else:
            hour_at(m, hour, 30 if m["part"].startswith("demi") else 15)
    for m in _RU_TO_RE.finditer(low):
        hour_at(m, _number(m["h"]) - 1 or 12, 60 - _RU_TO_MINUTES[m["q"]])
    for m in _DE_HALF_RE.finditer(low):
        hour_at(m, _number(m["h"]) - 1 or 12, 30)
    for m in _CLOCK_RE.finditer(low):
        hour_at(m, int(m["h"]), int(m["m"]))
    for m in _SPACED_CLOCK_RE.finditer(low):
        hour_at(m, int(m["h"]), int(m["m"]))
    for m in _ISH_RE.finditer(low):
        hour_at(m, _number(m["h"]))
    for m in (*_AMPM_RE.finditer(low), *_OCLOCK_RE.finditer(low)):
        hour_at(m, _number(m["h"]))
    _unit_hours(low, hour_at)
    _prefixed_hours(low, hour_at)
    return hits


def _unit_hours(low: str, hour_at: Callable[[re.Match[str], int], None]) -> None:
    """ "8 часов", "7 вечера", "час дня", "20h": an hour with its unit or period (not a duration)."""
    for m in _RU_HOURS_RE.finditer(low):
        before = low[max(0, m.start() - 8) : m.start()]
        hour = 1 if m["h"].startswith("час") else _number(m["h"])
        duration = not m["pword"] and (  # "через 2 часа", "на 2 часа"
            re.search(r"(?:через|за)\s*$", before) or (re.search(r"на\s*$", before) and hour <= 4)
        )
        if (m["pword"] or m["upword"] or (m["unit"] and not m["h"].startswith("час"))) and not duration:
            hour_at(m, hour)


def _prefixed_hours(low: str, hour_at: Callable[[re.Match[str], int], None]) -> None:
    """ "at 8", "um 8", "в 8" (not "в 2 зале")."""
    for m in _PREFIXED_RE.finditer(low):
        following = re.match(r"\s*([а-я]+)", low[m.end() :])
        if m["pre"] in ("в", "во", "к") and not (m["unit"] or _period(m)) and following:
            if following[1] not in vocab.RU_WORDS_AFTER_BARE_HOUR:
                continue  # "в 2 зале", "в 3 ряду"
        if m["pre"] == "à" and not (m["unit"] or _period(m)) and _number(m["h"]) < 13:
            continue  # French "à 2" is a party ("on peut venir à 2"); "à 8" alone is rare: "à 8h", "à 20"
        hour_at(m, _number(m["h"]))


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


def is_approximate(text: str) -> bool:
    """Whether the time is given loosely ("8ish", "around 8", "около восьми", "gegen 8")."""
    return bool(_APPROX_RE.search(_norm(text)))
