"""What the guided flow (and the engine's own notices) say: the catalogs of :mod:`core.conversation.i18n`,
plus the few labels built from them (days, party sizes, summaries, booking refusals)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from core.conversation import i18n
from core.conversation import vocabulary as vocab

# Messages that start over from the menu, wherever the guest is; greetings answered with it.
RESET_WORDS = vocab.RESET_WORDS
GREETINGS = vocab.GREETINGS


def lang(language: str | None) -> str:
    """The text language for ``language``: one the bot speaks, else English."""
    return i18n.language(language)


def say(language: str | None, key: str, **values: object) -> str:
    """The text ``key`` in ``language``, filled with ``values``."""
    return i18n.say(language, key, **values)


def day_label(language: str | None, d: date, *, with_year: bool = False) -> str:
    """ "Fri 27 Nov" / "пт, 27 ноября" / "Fr., 27. November"."""
    return i18n.day_label(language, d, with_year=with_year)


def time_label(t: time) -> str:
    """ "19:30"."""
    return t.strftime("%H:%M")


def guests_label(language: str | None, n: int) -> str:
    """ "4 guests" / "4 гостя" / "4 Gäste" (the language's plural rules)."""
    return i18n.plural(language, "guests", n)


def summary(language: str | None, d: date, t: time, guests: int) -> str:
    """ "Fri 27 Nov at 19:30, 4 guests"."""
    return say(
        language, "summary", day=day_label(language, d), time=time_label(t), guests=guests_label(language, guests)
    )


def refusal(language: str | None, code: str, message: str, details: dict[str, Any], phone: str | None = None) -> str:
    """A booking refusal for the guest: the engine's own message in English, the catalog's by ``code`` otherwise.

    A party too large for online booking is told the restaurant's ``phone`` when it has one.
    """
    text_lang = lang(language)
    if code == "party_too_large":
        key = "party_too_large_phone" if phone else "party_too_large"
        return say(text_lang, key, maxGuests=details.get("maxGuests", "?"), phone=phone or "")
    if text_lang == i18n.FALLBACK:
        return message
    key = f"refusal_{code}"
    template = i18n.catalog(text_lang).gettext(key)
    if template == key:  # no such refusal in any catalog
        return say(text_lang, "refusal")
    values = dict(details)
    if isinstance(details.get("maxAdvanceDays"), int):
        values["days"] = i18n.plural(text_lang, "days", details["maxAdvanceDays"])
    try:
        text = template.format(**values)
    except (KeyError, IndexError):
        return say(text_lang, "refusal")
    if code == "outside_hours" and details.get("hours"):
        text = say(text_lang, "refusal_hours", hours=", ".join(details["hours"]))
    elif code == "outside_hours" and details.get("lastSeating"):
        text = say(text_lang, "refusal_last_seating", lastSeating=details["lastSeating"])
    elif code == "ends_after_close" and details.get("latestStart"):
        text += " " + say(text_lang, "refusal_latest_start", latestStart=details["latestStart"])
    return text
