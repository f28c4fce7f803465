"""The details around the booking slots: names, corrections, compound parties, special requests.

Words are matched in any of their forms and day words despite typos (:mod:`core.conversation.word_forms`:
snowballstemmer and rapidfuzz). Everything here is a pure function of the text (no I/O, no clock).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from core.conversation import parsing, word_forms
from core.conversation import vocabulary as vocab
from core.conversation.parsing_dates import _date_hits
from core.conversation.parsing_text import _ANY_DAY, _alt, _mask, _norm
from core.conversation.parsing_times import _time_hits

# ---------------------------------------------------------------- compound parties

_ONE = frozenset(
    {"a", "an", "one", "un", "une", "ein", "eine", "einem", "einen", "один", "одна", "одного", "одним", "одной"}
)
_JOIN = frozenset({"and", "und", "и", "et", "with", "mit", "avec", "с", "plus", "плюс", "+", "&"})
_ME = frozenset({"me", "i", "ich", "я", "мы", "myself", "moi", "nous"})
_SUM_RE = re.compile(r"(?<![\d+])(\d{1,2})\s*\+\s*(\d{1,2})(?![\d:])")


def _count(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return vocab.NUMBER_WORDS.get(token) or vocab.COLLECTIVE.get(token) or (1 if token in _ONE else None)


def _kind(low: str, field: str) -> set[int]:
    """Token positions whose word is one of the vocabulary field's (adult_words, child_words, friend_words)."""
    found: set[int] = set()
    for code, words in vocab.LANGUAGES.items():
        phrases = {p[0] for p in word_forms.phrase_stems(code, getattr(words, field)) if p}
        found |= {i for i, t in enumerate(word_forms.stems(low, words)) if t in phrases}
    return found


def compound_party(text: str) -> int | None:
    """A party written as parts: "2 adults and 2 kids", "двое взрослых и малыш", "2+2", "me and 3 friends",
    "ich und 3 Freunde"; None otherwise."""
    low = _norm(text)
    plus = _SUM_RE.search(low)
    if plus is not None:
        return int(plus[1]) + int(plus[2])
    tokens = word_forms.TOKEN_RE.findall(low)
    adults, children, friends = _kind(low, "adult_words"), _kind(low, "child_words"), _kind(low, "friend_words")
    for i in adults:
        n = _count(tokens[i - 1]) if i > 0 else None
        j = i + 1
        while j < len(tokens) and tokens[j] in _JOIN:
            j += 1
        if n is None or j >= len(tokens):
            continue
        if j in children:
            return n + 1
        m = _count(tokens[j])
        if m is not None and j + 1 in children:
            return n + m
        return n  # adults only: "drei Erwachsene"
    counted = _count_with_children(tokens, children)
    if counted is not None:
        return counted
    for i in friends:
        n = _count(tokens[i - 1]) if i > 0 else None
        before = tokens[max(0, i - 5) : i - 1]
        if n is not None and _ME & set(before) and _JOIN & set(before):
            return n + 1
    return None


def _count_with_children(tokens: list[str], children: set[int]) -> int | None:
    """A count joined to children without an adult word: "нас двое плюс ребенок", "2 of us and a baby", "4 people
    + 1 baby"."""
    for c in sorted(children):
        extra = _count(tokens[c - 1]) if c > 0 else None
        j = c - 1 if extra is not None else c
        k = j - 1
        if k < 0 or tokens[k] not in _JOIN:
            continue
        while k >= 0 and tokens[k] in _JOIN:
            k -= 1
        if k > 0 and _count(tokens[k]) is None and tokens[k].startswith(_PARTY_NOUNS):
            if tokens[k + 1] in _WITH:
                continue  # "4 people with 2 kids" may be 4 in all: read as written (4)
            k -= 1  # "4 people + 1 baby", "4 Personen und ein Kind": the count is before its noun
        n = _count(tokens[k]) if k >= 0 else None
        if n is not None:
            return n + (extra or 1)
    return None


_PARTY_NOUNS = tuple(noun for noun in vocab.PARTY_NOUNS if " " not in noun)
_WITH = frozenset({"with", "mit", "avec", "с"})


# ---------------------------------------------------------------- corrections


@dataclass(frozen=True)
class Correction:
    """A message with a rejected value taken out: ``kept`` is the text to read, ``rejected`` what was said no to."""

    kept: str
    rejected: tuple[str, ...]


_VALUE = r"(?:\d{1,2}(?:[:.h]\d{2})?(?:\s*(?:pm|am|uhr|h|ч|часов|часа))?|[^\W\d_]+)"
_PREPOSITIONS = r"(?:(?:at|on|for|um|am|an|für|fur|zu|в|во|на|к|с|для|à|le|pour)\s+)?"


@cache
def _correction_re() -> re.Pattern[str]:
    markers = "|".join(f"(?:{w.correction_re})" for w in vocab.LANGUAGES.values() if w.correction_re)
    return re.compile(rf"(?:{markers})\s+{_PREPOSITIONS}(?P<v>{_VALUE})" if markers else r"(?!x)x")


def take_out_rejected(text: str) -> Correction:
    """``text`` without the values the guest says no to: "9 not 8" -> "9", "не в 8, а в 9" -> ", а в 9",
    "Sonntag statt Samstag" -> "Sonntag", "с пятницы на субботу" -> "на субботу"."""
    low = _norm(text)
    found = [
        m
        for m in _correction_re().finditer(low)
        if not _negation_before().search(low[: m.start()]) or _CONTRAST_RE.match(low, m.end())
    ]
    if not found:
        return Correction(low, ())
    kept = list(low)
    for m in found:
        kept[m.start() : m.end()] = " " * (m.end() - m.start())
    return Correction("".join(kept), tuple(m["v"] for m in found))


_CONTRAST_RE = re.compile(r"\s*,?\s*(?:mais|but|sondern|а)\b")  # "ne … pas 4 mais 5" corrects after all


@cache
def _negation_before() -> re.Pattern[str]:
    """What makes a correction word a plain negation instead ("nous ne viendrons pas vendredi")."""
    found = "|".join(f"(?:{w.negation_before_re})" for w in vocab.LANGUAGES.values() if w.negation_before_re)
    return re.compile(rf"(?:{found})$" if found else r"(?!x)x")


@cache
def _meant_re() -> re.Pattern[str]:
    markers = "|".join(f"(?:{w.meant_re})" for w in vocab.LANGUAGES.values() if w.meant_re)
    return re.compile(rf"(?:{markers})\b" if markers else r"(?!x)x")


def after_meant(low: str) -> str:
    """A message that corrects itself ("Friday at 8, sorry I meant Saturday", "table for 2 tmrw 8pm. actually 3
    of us"): what comes before "I meant" is kept only where the rest says nothing of its own, so "Saturday"
    replaces "Friday", "3 of us" replaces "for 2", and "at 8" stays. A lone number after it ("friday at 8, I meant
    9") corrects the time said before it in the message, else its party; with neither it stays a lone number."""
    found = list(_meant_re().finditer(low))
    if not found:
        return low
    head, tail = low[: found[-1].start()], low[found[-1].end() :]
    tail_dates = _date_hits(tail, _ANY_DAY)
    if tail_dates:  # the tail names a day: the head's day is the one said no to
        head = _mask(head, _date_hits(head, _ANY_DAY))
    undated = _mask(tail, tail_dates)
    head_times = _time_hits(_mask(head, _date_hits(head, _ANY_DAY)), "pm")
    lone = re.fullmatch(r"\W*(\d{1,2})\W*(?:sorry|pardon|désolée?|извините|entschuldigung)?\W*", undated)
    if lone is not None and (head_times or parsing.parse_party_size(head) is not None):
        tail = undated = f"at {lone[1]}" if head_times else f"for {lone[1]}"  # else the dialog knows what it corrects
    if _time_hits(undated, "pm"):
        head = _mask(head, head_times)
    if parsing.parse_party_size(undated) is not None or compound_party(undated) is not None:
        counts = _COUNT_RE.finditer(_mask(_mask(head, _date_hits(head, _ANY_DAY)), head_times))
        for m in counts:  # the head's counts (not its days or times) are the party said no to
            head = head[: m.start()] + " " * (m.end() - m.start()) + head[m.end() :]
    return tail + " " * (found[-1].end() - found[-1].start()) + head


_COUNT_RE = re.compile(rf"(?<![\d.:/])\d{{1,3}}(?![\d.:/])|\b{_alt(vocab.NUMBER_WORDS)}\b|\b{_alt(vocab.COLLECTIVE)}\b")


# ---------------------------------------------------------------- names


@cache
def _name_re() -> re.Pattern[str]:
    intros = "|".join(f"(?:{w.name_intro_re})" for w in vocab.LANGUAGES.values() if w.name_intro_re)
    upper = r"[A-ZА-ЯЁÄÖÜÉÈÀÇ]"
    word = rf"{upper}[^\W\d_]+(?:['’-][^\W\d_]+)?"
    return re.compile(rf"(?i:(?<!\w)(?:{intros}))[\s,:]+(?P<name>{word}(?:\s+{word}){{0,2}})")


_NOT_NAMES = frozenset(
    {*vocab.WEEKDAYS, *vocab.MONTHS, *vocab.GREETINGS, *vocab.RELATIVE_DAYS, *vocab.NUMBER_WORDS, "sorry"}
)


#: Where a phone number was in a message given to :func:`find_name` (see ``understanding``): an item of its own.
PHONE_MARK = "\x1f"


def find_name(text: str, *, listed: bool = False, language: str | None = None) -> str | None:
    """The name a guest introduces themself with anywhere in a message ("I'm Tom", "меня зовут Ольга Петрова",
    "hier ist Markus Braun"), written with a capital; None otherwise. With ``listed`` (the message lists
    booking details) a name may also stand alone between commas ("…на двоих, Анна, +44 7700 900321"). A
    special request is never a name ("im Rollstuhl", "…, Nussallergie"); in a language that writes its nouns
    with a capital (``language``'s ``nouns_capitalised``) a lone listed word is one only beside a phone number
    (marked by :data:`PHONE_MARK`): "…, 6 Personen, Firmenessen" is no name."""
    for m in _name_re().finditer(text):
        words = m["name"].split()
        while words and _norm(words[-1]) in _NOT_NAMES:
            words.pop()
        if words and _norm(words[0]) not in _NOT_NAMES and not _clause_tags(" ".join(words)):
            return " ".join(words)
    if not listed:
        return None
    words = vocab.LANGUAGES.get(language or "")
    return _listed_name(text, lone=not (words is not None and words.nouns_capitalised))


_LISTED_RE = re.compile(
    rf"(?:[,;\n{PHONE_MARK}]|[.!?]\s)\s*(?P<name>[^\W\d_][^,;.!?\n{PHONE_MARK}]*?)\s*"
    rf"(?=[,;\n{PHONE_MARK}]|[.!?](?:\s|$)|$)"
)


def _listed_name(text: str, *, lone: bool) -> str | None:
    """A part of a list of details, not its first, that is only one to three capitalised words none of which
    the guided path knows as a word of its own ("Анна", "Jean Dupont"), nor a thank-you nor a special request;
    a lone word only with ``lone`` or beside a phone number."""
    word = re.compile(r"[A-ZА-ЯЁÄÖÜÉÈÀÇ][^\W\d_]+(?:['’-][^\W\d_]+)?")
    for m in _LISTED_RE.finditer(text):
        words = m["name"].rstrip(" .!").split()
        if not (1 <= len(words) <= 3 and all(word.fullmatch(w) for w in words)):
            continue
        beside_phone = text[m.start()] == PHONE_MARK or text[m.end() :].lstrip(" ,;").startswith(PHONE_MARK)
        if len(words) == 1 and not lone and not beside_phone:
            continue
        known = any(_norm(w) in _NOT_NAMES or word_forms.known(_norm(w)) for w in words)
        if not known and not _thanks_re().match(_norm(m["name"]).strip()) and not _clause_tags(m["name"]):
            return " ".join(words)
    return None


@cache
def _thanks_re() -> re.Pattern[str]:
    """Any language's thank-you ("…, 2 человека. Спасибо" ends with thanks, not a name)."""
    return re.compile("|".join(f"(?:{w.thanks_re})" for w in vocab.LANGUAGES.values()))


# ---------------------------------------------------------------- special requests

_CLAUSE_RE = re.compile(r"[^,.;!?\n]+")


def special_requests(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The special requests in ``text``: (the guest's own words, one clause each; their tags such as
    "allergy", "birthday", "high_chair"), from each language's ``request_words``."""
    clauses: list[str] = []
    tags: list[str] = []
    for m in _CLAUSE_RE.finditer(text):
        clause = m[0].strip()
        found = _clause_tags(clause)
        if found and clause:
            clauses.append(clause)
            tags += [t for t in found if t not in tags]
    return tuple(clauses), tuple(tags)


@cache
def _request_tags() -> tuple[str, ...]:
    return tuple(dict.fromkeys(tag for w in vocab.LANGUAGES.values() for tag in w.request_words))


@cache
def _request_needles(code: str) -> tuple[tuple[str, str], ...]:
    """Each stemmed request phrase of a language with its tag (see :func:`_needles`)."""
    words = vocab.LANGUAGES[code]
    return tuple(
        (needle, tag)
        for tag, phrases in words.request_words.items()
        for needle in word_forms.needles(code, tuple(phrases))
    )


def _clause_tags(clause: str) -> list[str]:
    """The request tags one clause mentions, in any language, in the order the languages list them.
    Each language's stems of the clause are looked up once for all its phrases."""
    found: set[str] = set()
    for code in vocab.LANGUAGES:
        haystack = word_forms.stemmed_text(code, clause)
        found.update(tag for needle, tag in _request_needles(code) if tag not in found and needle in haystack)
    return [tag for tag in _request_tags() if tag in found]


_MORE_RE = re.compile(
    r"\b(?:ещ[её]\s+(?P<ru>\w+)\s+(?:человек\w*|гост\w*|персон\w*)|(?P<en>\w+)\s+more\s+(?:person|people|guests?)"
    r"|(?P<another>another)\s+(?:person|guest)|noch\s+(?P<de>\w+)\s+(?:person\w*|gast|gäste|leute)"
    r"|(?P<fr>\w+)\s+(?:personnes?\s+|invités?\s+|convives?\s+)?de\s+plus"
    # a verb of adding: "add 2 people", "добавьте одного человека", "rajouter une personne", "2 Personen dazu"
    r"|\badd(?:ing)?\s+(?:please\s+)?(?:an?\s+)?(?P<en_add>\w+)\s+(?:more\s+|extra\s+)?(?:person|people|guests?)"
    r"|\bдобав\w*\s+(?:пожалуйста\s+)?(?:ещ[её]\s+)?(?P<ru_add>\w+)\s+(?:человек\w*|гост\w*|персон\w*)"
    r"|\b(?P<de_add>\w+)\s+(?:person\w*|gast|gäste|leute)\s+(?:mehr|dazu|zusätzlich)"
    r"|\br?ajout\w*\s+(?P<fr_add>\w+)\s+(?:personnes?|invités?|convives?|couverts?))\b"
)


def without_more(low: str) -> str:
    """``low`` without the people added to a party ("one more person", "ещё один человек", "noch eine Person",
    "une personne de plus"): they are not the party's size ("…, so 3 of us" may follow)."""
    return _MORE_RE.sub(lambda m: " " * len(m[0]), low)


def added_people(low: str) -> int | None:
    """How many people the guest adds to the party ("one more person" -> 1, "ещё двое гостей" -> 2), or None."""
    for m in _MORE_RE.finditer(low):
        word = "one" if m["another"] else next(w for k, w in m.groupdict().items() if w and k != "another")
        n = _count(word)
        if n is not None and 1 <= n <= 20:
            return n
    return None


def without(text: str, parts: Iterable[str]) -> str:
    """``text`` with each of ``parts`` blanked out (e.g. the special requests, before reading the party size:
    "one of us has a nut allergy" is not a party of one)."""
    for part in parts:
        text = text.replace(part, " " * len(part))
    return text
