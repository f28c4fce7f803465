"""What the guided path's parsers share: normalised text, matched spans ("hits") and number words.

The date, time and party-size parsers (:mod:`core.conversation.parsing_dates`,
:mod:`core.conversation.parsing_times`, :mod:`core.conversation.parsing`) each find their
expressions as hits in the normalised text and mask what an earlier parser took.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

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
