"""The languages the guided path speaks: one module per language, each a :class:`Vocabulary`.

Adding a language is a module here (its words and phrases, ``WORDS = Vocabulary(...)``), a
catalog ``core/conversation/locales/<code>.po`` (what the bot says) and tests; the dialog code
does not change. Every word is lower-case and written with "е" for "ё" (the parser normalises
the guest's text the same way). Regex fragments (``*_re``) are matched on that normalised text.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class Vocabulary:
    """The words of one language the parser and the intent recognition look for."""

    code: str
    script: str = "latin"  # "latin" or "cyrillic": how language detection tells languages apart
    markers: frozenset[str] = frozenset()  # common words that show a message is in this language
    letters: str = ""  # letters of its script only this language uses ("äöüß"): a strong sign of it
    nouns_capitalised: bool = False  # every noun has a capital ("Firmenessen"): a lone one is no name by itself
    numbers: dict[str, int] = field(default_factory=dict)
    collective: dict[str, int] = field(default_factory=dict)  # "двое", "zu zweit"
    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)  # Monday is 0
    ambiguous_weekdays: frozenset[str] = frozenset()  # also ordinary words: weekdays only after on/this/next
    weekday_parts: tuple[str, ...] = ()  # a part of the day written onto a weekday: "Samstagabend", "Freitagmittag"
    weekday_on: tuple[str, ...] = ()  # "on Friday", "в пятницу", "am Freitag"
    day_after_weekday: bool = False  # a bare number after a weekday is the day of the month ("samedi 12")
    weekday_this: tuple[str, ...] = ()  # regex fragments: "this", "эт(?:от|у)", "diese[nrs]?"
    weekday_next: tuple[str, ...] = ()  # regex fragments: "next", "следующ\\w*", "nachste[nrs]?"
    next_week: tuple[str, ...] = ()  # "next week", "на следующей неделе"
    relative_days: dict[str, int] = field(default_factory=dict)  # "tomorrow": 1
    not_dates: tuple[str, ...] = ()  # phrases that look like dates but are not ("guten morgen")
    period_words: dict[str, str] = field(default_factory=dict)  # after an hour: am / pm / day / night
    morning_hints: tuple[str, ...] = ()
    daytime_hints: tuple[str, ...] = ()
    time_prefixes: tuple[str, ...] = ()  # "at 8", "um 8"
    approx_prefixes: tuple[str, ...] = ()  # "around 8", "около 8", "gegen 8"
    hour_units: tuple[str, ...] = ()  # "8 o'clock", "20 uhr"
    party_nouns: tuple[str, ...] = ()  # "4 people"
    party_prefixes: tuple[str, ...] = ()  # weak: "for 4", "на 4", "fur 4"
    party_patterns: tuple[str, ...] = ()  # strong, with {n} for the number: "table for {n}"
    companions: tuple[str, ...] = ()  # one person coming with the guest: "femme", "mari" (never read as typos)
    pair_patterns: tuple[str, ...] = ()  # a party of two, with {c} for a companion: "moi et (?:ma|mon) {c}"
    not_after_count: tuple[str, ...] = ()  # "for 3 hours"
    not_after_hour: tuple[str, ...] = ()  # "at 8 people"
    yes_words: frozenset[str] = frozenset()
    yes_phrases: frozenset[str] = frozenset()
    no_words: frozenset[str] = frozenset()
    negators: frozenset[str] = frozenset()
    greetings: frozenset[str] = frozenset()
    reset_words: frozenset[str] = frozenset()
    thanks_re: str = r"(?!x)x"  # never matches
    human_re: str = r"(?!x)x"
    cancel_re: str = r"(?!x)x"
    list_re: str = r"(?!x)x"
    booking_re: str = r"(?!x)x"
    change_re: str = r"(?!x)x"
    name_prefix_re: str = r"(?!x)x"  # "my name is", "меня зовут"
    info_re: dict[str, str] = field(default_factory=dict)  # hours, address, phone, website, cuisine, price
    # Matched by stem (see core.conversation.parsing_details): list each word once, in any form.
    stemmer: str = ""  # the Snowball algorithm of the language ("english", "russian", "german", "french")
    human_words: tuple[str, ...] = ()  # asking for a person: "manager", "менеджер", "Geschäftsführer"
    cancel_words: tuple[str, ...] = ()  # "cancel", "löschen"
    adult_words: tuple[str, ...] = ()  # "2 adults and 2 kids"
    child_words: tuple[str, ...] = ()
    friend_words: tuple[str, ...] = ()  # "me and 3 friends"
    request_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # special requests by tag
    now_words: tuple[str, ...] = ()  # "are you open now?"
    correction_re: str = ""  # before a value the guest says no to: "not", "не", "statt", "instead of"
    negation_before_re: str = ""  # just before a correction word, makes it a plain negation: French "ne viendrons "
    meant_re: str = ""  # a message correcting itself: "I meant", "то есть", "ich meinte"
    change_to_re: str = ""  # before the new time of a change: "push it to 8", "auf 20 Uhr", "à 21h"
    name_intro_re: str = ""  # before a name anywhere in a message: "I'm", "меня зовут", "hier ist"


@cache
def languages() -> dict[str, Vocabulary]:
    """Every language module of this package, by code (``en`` first: it is the fallback)."""
    found: dict[str, Vocabulary] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: (m.name != "en", m.name)):
        words = getattr(importlib.import_module(f"{__name__}.{module.name}"), "WORDS", None)
        if isinstance(words, Vocabulary):
            found[words.code] = words
    return found


def supported(code: str | None) -> str | None:
    """The guided path's language for a code such as ``"ru-RU"`` or ``"de"``; None when it speaks no such language."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in languages() else None
