"""Word tables used by :mod:`core.conversation.parsing`: every language's words merged.

The words of each language live in :mod:`core.conversation.languages` (one module per
language); this module merges them into the tables the parser's patterns are built from.
A few patterns for constructions only Russian, English or German has (Russian half hours,
companions: "me and my wife", "я с женой", "mein Mann und ich") keep their own small tables here.
Every entry is lower-case and written with "е" instead of "ё": the parser normalises
the guest's text the same way before looking words up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from core.conversation.languages import Vocabulary, languages

LANGUAGES: dict[str, Vocabulary] = languages()
V = TypeVar("V")


def _merged_dict(pick: Callable[[Vocabulary], Mapping[str, V]]) -> dict[str, V]:
    out: dict[str, V] = {}
    for words in LANGUAGES.values():
        for key, value in pick(words).items():
            out.setdefault(key, value)
    return out


def _merged(name: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for words in LANGUAGES.values():
        for item in getattr(words, name):
            seen.setdefault(item, None)
    return tuple(seen)


def _union(name: str) -> frozenset[str]:
    return frozenset(_merged(name))


def alternation(fragments: Iterable[str]) -> str:
    """Regex fragments (already patterns) as one alternation."""
    return "(?:" + "|".join(fragments) + ")"


NUMBER_WORDS: dict[str, int] = _merged_dict(lambda w: w.numbers)
COLLECTIVE: dict[str, int] = _merged_dict(lambda w: w.collective)
MONTHS: dict[str, int] = _merged_dict(lambda w: w.months)
WEEKDAYS: dict[str, int] = _merged_dict(lambda w: w.weekdays)
#: Short weekdays that are also words: those each language says, and those that are another language's common
#: words (English "mon" is French "my": "mon mari" is no Monday).
AMBIGUOUS_WEEKDAYS: frozenset[str] = _union("ambiguous_weekdays") | frozenset(
    day
    for code, words in LANGUAGES.items()
    for day in words.weekdays
    if any(day in other.markers for other_code, other in LANGUAGES.items() if other_code != code)
)
WEEKDAY_ON: tuple[str, ...] = _merged("weekday_on")
WEEKDAY_PARTS: tuple[str, ...] = _merged("weekday_parts")
#: Weekdays of the languages in which a bare number after one is the day of the month ("samedi 12").
WEEKDAYS_BEFORE_DAY: frozenset[str] = frozenset(
    day for words in LANGUAGES.values() if words.day_after_weekday for day in words.weekdays
)
#: "on" words after which an ambiguous weekday ("sat", "so") is read as one ("в" is too common for that).
STRONG_WEEKDAY_ON = frozenset(w for w in WEEKDAY_ON if len(w) > 2 or w == "on" or w == "am")
WEEKDAY_THIS: tuple[str, ...] = _merged("weekday_this")
WEEKDAY_NEXT: tuple[str, ...] = _merged("weekday_next")
NEXT_WEEK: tuple[str, ...] = _merged("next_week")
RELATIVE_DAYS: dict[str, int] = _merged_dict(lambda w: w.relative_days)
NOT_DATES: tuple[str, ...] = _merged("not_dates")
PERIOD_WORDS: dict[str, str] = _merged_dict(lambda w: w.period_words)
MORNING_HINTS: tuple[str, ...] = _merged("morning_hints")
DAYTIME_HINTS: tuple[str, ...] = _merged("daytime_hints")
TIME_PREFIXES: tuple[str, ...] = _merged("time_prefixes")
APPROX_PREFIXES: tuple[str, ...] = _merged("approx_prefixes")
HOUR_UNITS: tuple[str, ...] = _merged("hour_units")
PARTY_NOUNS: tuple[str, ...] = _merged("party_nouns")
PARTY_PREFIXES: tuple[str, ...] = _merged("party_prefixes")
PARTY_PATTERNS: tuple[str, ...] = _merged("party_patterns")
#: "moi et ma femme": each language's pair patterns with its own companions filled in.
PAIR_PATTERNS: tuple[str, ...] = tuple(
    pattern.replace("{c}", "(?:" + "|".join(sorted(words.companions, key=len, reverse=True)) + ")")
    for words in LANGUAGES.values()
    if words.companions
    for pattern in words.pair_patterns
)
NOT_AFTER_COUNT: tuple[str, ...] = _merged("not_after_count")
NOT_AFTER_HOUR: tuple[str, ...] = _merged("not_after_hour")
YES_WORDS: frozenset[str] = _union("yes_words")
YES_PHRASES: frozenset[str] = _union("yes_phrases")
NO_WORDS: frozenset[str] = _union("no_words")
NEGATORS: frozenset[str] = _union("negators")
GREETINGS: frozenset[str] = _union("greetings")
RESET_WORDS: frozenset[str] = _union("reset_words")


# Genitive ordinals, for "полвосьмого" / "в половине восьмого" (half past seven).
RU_ORDINAL_GENITIVE: dict[str, int] = {
    "первого": 1,
    "второго": 2,
    "третьего": 3,
    "четвертого": 4,
    "пятого": 5,
    "шестого": 6,
    "седьмого": 7,
    "восьмого": 8,
    "девятого": 9,
    "десятого": 10,
    "одиннадцатого": 11,
    "двенадцатого": 12,
}

# After "в N" / "к N" with no unit or period, only these words may follow for N to be an hour;
# anything else is probably a noun ("в 2 зале", "в 3 ряду").
RU_WORDS_AFTER_BARE_HOUR = frozenset(
    {
        "на",
        "или",
        "и",
        "а",
        "в",
        "во",
        "к",
        "с",
        "до",
        "завтра",
        "сегодня",
        "послезавтра",
        "пожалуйста",
        "нас",
        "мы",
        "будет",
        "будем",
        "придем",
        "прийти",
        "можно",
        "вечером",
        "утром",
        "днем",
        "часам",
        "ровно",
    }
)

COMPANIONS_EN = (
    "wife",
    "husband",
    "partner",
    "girlfriend",
    "boyfriend",
    "friend",
    "fiance",
    "fiancee",
    "date",
    "mum",
    "mom",
    "dad",
    "mother",
    "father",
    "son",
    "daughter",
    "colleague",
    "sister",
    "brother",
)
# Instrumental case, as in "я с женой", "мы с мужем".
COMPANIONS_RU_INSTRUMENTAL = (
    "женой",
    "мужем",
    "девушкой",
    "парнем",
    "другом",
    "подругой",
    "мамой",
    "папой",
    "сыном",
    "дочкой",
    "дочерью",
    "коллегой",
    "сестрой",
    "братом",
)
# Plural companions: "me and 3 friends" is 4, "мы с двумя друзьями" is 3.
COMPANIONS_PLURAL = ("friends", "colleagues", "others", "mates", "друзьями", "подругами", "коллегами")
COMPANIONS_DE = ("frau", "mann", "freundin", "freund", "partner", "partnerin", "mutter", "vater", "tochter", "sohn")
COMPANIONS_RU = ("жена", "муж", "девушка", "парень", "друг", "подруга", "мама", "папа")
