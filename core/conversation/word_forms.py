"""Words as guests type them: misspelt day words corrected, and inflected forms reduced to one stem.

Two kept libraries do what hand-written lists did badly:

- **rapidfuzz** (:func:`correct_typos`): a word the guided path does not know that is one or two edits
  (Damerau-Levenshtein: a transposition is one edit) away from a day word the languages list
  ("tomorow", "завтро", "morgn", "moregn" -> tomorrow/завтра/morgen) is read as that word. Only day,
  weekday and month words of five letters or more are corrected, and only when the first letter agrees,
  so names and ordinary words stay as written.
- **snowballstemmer** (:func:`stems`): the Snowball stemmer of each language reduces inflected forms to one
  stem, so a language lists a word once and every form matches: "с менеджером", "администратора",
  "löschen"/"lösche", "Nussallergie", "детский стульчик". Used for asking for a person, canceling,
  adults/children/friends in a party, and special requests (:mod:`core.conversation.parsing_details`).

Everything here is a pure function of the text (no I/O, no clock).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from core.conversation import vocabulary as vocab
from core.conversation.languages import Vocabulary
from core.conversation.parsing_text import _norm

TOKEN_RE = re.compile(r"\d+|[^\W\d_]+(?:'[^\W\d_]+)?|\+")


# ---------------------------------------------------------------- typos (rapidfuzz)


def _typo_targets() -> tuple[str, ...]:
    words = [*vocab.RELATIVE_DAYS, *vocab.WEEKDAYS, *vocab.MONTHS]
    return tuple(dict.fromkeys(w for w in words if " " not in w and len(w) >= 5 and w.isalpha()))


_TARGETS = _typo_targets()


def _vocabulary_words() -> frozenset[str]:
    """Every word any language lists (its numbers, hints, nouns, markers...): such a word is never a typo."""
    found: set[str] = set(_TARGETS)
    for words in vocab.LANGUAGES.values():
        for value in vars(words).values():
            items = value if isinstance(value, dict | tuple | frozenset) else ()
            for item in items:
                if isinstance(item, str):
                    found.update(re.findall(r"[^\W\d_]+", item.lower()))
    return frozenset(found)


_KNOWN = _vocabulary_words()


def known(word: str) -> bool:
    """Whether some language lists ``word`` (lower case): such a word is never a typo, nor a name."""
    return word in _KNOWN


@cache
def _corrected(word: str) -> str:
    if len(word) < 4 or word in _KNOWN or not word.isalpha():
        return word
    limit = 2 if len(word) >= 7 else 1  # two edits only in long words, and only without a change of length
    found = process.extractOne(word, _TARGETS, scorer=DamerauLevenshtein.distance, score_cutoff=limit)
    if found is None or found[0][0] != word[0]:
        return word
    if found[1] == 2 and len(found[0]) != len(word):
        return word
    return str(found[0])


_SENTENCE_START_RE = re.compile(r"(?:^|[.!?]\s*)$")


def correct_typos(text: str) -> str:
    """``text`` normalised, with misspelt day, weekday and month words corrected ("tommorow" -> "tomorrow").
    A word written with a capital inside a sentence is a name ("Alex Morgan"), never corrected."""
    low = _norm(text)

    def fix(m: re.Match[str]) -> str:
        if m[0][0].isupper() and not _SENTENCE_START_RE.search(text[: m.start()]):
            return low[m.start() : m.end()]
        return _corrected(low[m.start() : m.end()])

    return re.sub(r"[^\W\d_]+", fix, text)


# ---------------------------------------------------------------- word forms (snowball)


@cache
def _stemmer(algorithm: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(algorithm)


@cache
def _stem(algorithm: str, word: str) -> str:
    return str(_stemmer(algorithm).stemWord(word)) if algorithm else word


def stems(text: str, words: Vocabulary) -> list[str]:
    """The stems of the words of ``text`` with ``words``' stemmer (numbers and "+" kept as they are)."""
    return list(_text_stems(words.code, text))


@lru_cache(maxsize=4096)
def _text_stems(code: str, text: str) -> tuple[str, ...]:
    algorithm = vocab.LANGUAGES[code].stemmer
    return tuple(_stem(algorithm, t) if t.isalpha() else t for t in TOKEN_RE.findall(_norm(text)))


@lru_cache(maxsize=4096)
def stemmed_text(code: str, text: str) -> str:
    """The stems of ``text`` joined by spaces, with a space at each end (phrases are looked up in it)."""
    return f" {' '.join(_text_stems(code, text))} "


def forget_texts() -> None:
    """Drop the stems kept for recent messages (the per-word stems stay): a benchmark reading the same
    messages again measures them as new."""
    _text_stems.cache_clear()
    stemmed_text.cache_clear()


@cache
def phrase_stems(code: str, phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each phrase's stems in language ``code`` (one tuple per phrase)."""
    words = vocab.LANGUAGES[code]
    return tuple(tuple(stems(p, words)) for p in phrases)


@cache
def needles(code: str, phrases: tuple[str, ...]) -> tuple[str, ...]:
    """The stemmed phrases as substrings to find in :func:`stemmed_text`: a whole word or phrase between
    spaces, or a long single stem anywhere in a word (German compounds: "Nussallergie" holds "allergi")."""
    found = []
    for phrase in phrase_stems(code, phrases):
        if len(phrase) == 1 and len(phrase[0]) >= 6:
            found.append(phrase[0])
        elif phrase:
            found.append(f" {' '.join(phrase)} ")
    return tuple(found)


def _holds(code: str, text: str, phrases: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``phrases`` in any of its forms (language ``code``)."""
    haystack = stemmed_text(code, text)
    return any(needle in haystack for needle in needles(code, phrases))


def mentions(text: str, field: str) -> bool:
    """Whether ``text`` holds one of the words or phrases of the vocabulary field ``field`` (e.g.
    ``human_words``) of any language, in any of its forms."""
    return any(
        _holds(code, text, getattr(words, field)) for code, words in vocab.LANGUAGES.items() if getattr(words, field)
    )
