"""What the bot says, in the guest's language: gettext catalogs read with Babel, dates and plurals from CLDR.

Each language has a catalog ``core/conversation/locales/<code>.po`` whose message ids are
keys (``ask_date``, ``booked``...) and whose plural entries (``guests``) follow the
language's own plural rules (``Plural-Forms``); English is the fallback for a key a
catalog lacks. Day and month names and their case forms ("27 ноября", "27. November")
come from Babel's CLDR data, through a pattern each catalog gives (``day_format``).
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from core.conversation.languages import languages, supported

LOCALES = Path(__file__).resolve().parent / "locales"
FALLBACK = "en"


def language(code: str | None) -> str:
    """The language the bot speaks for ``code`` ("ru-RU" -> "ru"); English for one it does not speak."""
    return supported(code) or FALLBACK


@cache
def catalog(code: str) -> Translations:
    """The compiled catalog of ``code`` (English behind it for missing keys); read once per process."""
    with (LOCALES / f"{code}.po").open("rb") as source:
        parsed = read_po(source, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, parsed)
    compiled.seek(0)
    translations = Translations(compiled, domain="tobeout")
    if code != FALLBACK:
        translations.add_fallback(catalog(FALLBACK))
    return translations


def spoken() -> tuple[str, ...]:
    """The languages that have both words (for understanding) and a catalog (for answers)."""
    return tuple(code for code in languages() if (LOCALES / f"{code}.po").exists())


def say(code: str | None, key: str, **values: object) -> str:
    """The text ``key`` in the guest's language, filled with ``values``."""
    return catalog(language(code)).gettext(key).format(**values)


def plural(code: str | None, key: str, n: int, **values: object) -> str:
    """The plural entry ``key`` for ``n`` ("4 гостя", "1 Gast"), filled with ``n`` and ``values``."""
    return catalog(language(code)).ngettext(key, key, n).format(n=n, **values)


def day_label(code: str | None, d: date, *, with_year: bool = False) -> str:
    """ "Fri 27 Nov" / "пт, 27 ноября" / "Fr., 27. November" (the year added when asked)."""
    lang = language(code)
    pattern = say(lang, "day_format_year" if with_year else "day_format")
    return format_date(d, pattern, locale=lang)
