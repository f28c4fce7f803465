"""The widget's own words and the bot's greeting, in the visitor's language (from the conversation catalogs)."""

from __future__ import annotations

import functools
from typing import Any

from babel import Locale, UnknownLocaleError, negotiate_locale

from core.conversation import i18n

UI_KEYS = ("title", "placeholder", "send", "close", "open", "log", "offline", "error")


def language(code: str | None) -> str:
    """The language the bot speaks for ``code`` (English when it speaks no such language)."""
    return i18n.language(code)


def best_language(accept_language: str) -> str | None:
    """The first language of an ``Accept-Language`` header (or a bare code) that the bot speaks, else None."""
    return _best_of(accept_language, i18n.spoken())


@functools.lru_cache(maxsize=512)
def _best_of(accept_language: str, spoken_codes: tuple[str, ...]) -> str | None:
    """:func:`best_language` among ``spoken_codes``, remembered: browsers send a handful of distinct headers,
    and parsing one with Babel on every chat message was a tenth of a millisecond each time."""
    wanted = []
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().replace("-", "_")
        if tag and tag != "*":
            try:
                wanted.append(str(Locale.parse(tag)))
            except (ValueError, UnknownLocaleError):
                continue
    found = negotiate_locale([w.split("_")[0] for w in wanted], list(spoken_codes))
    return found


def widget_texts(code: str, restaurant_name: str) -> dict[str, Any]:
    """``{language, greeting: {text, choices}, ui: {title, placeholder, ...}}`` for the widget."""
    lang = language(code)
    return {
        "language": lang,
        "greeting": {
            "text": i18n.say(lang, "greeting", name=restaurant_name),
            "choices": [
                {"label": i18n.say(lang, "book"), "value": i18n.say(lang, "book")},
                {"label": i18n.say(lang, "mine"), "value": i18n.say(lang, "mine")},
            ],
        },
        "ui": {key: i18n.say(lang, f"widget_{key}") for key in UI_KEYS},
    }
