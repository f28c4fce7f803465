"""What the bot says, in the guest's language: gettext catalogs read with Babel, dates and plurals from CLDR.

Each language has a catalog ``core/conversation/locales/<code>.po`` whose message ids are
keys (``ask_date``, ``booked``...) and whose plural entries (``guests``) follow the
language's own plural rules (``Plural-Forms``); English is the fallback for a key a
catalog lacks. Day and month names and their case forms ("27 ноября", "27. November")
come from Babel's CLDR data, through a pattern each catalog gives (``day_format``).
Plugins that write to guests themselves (notifications, reminders) keep catalogs of their own
in the same format, read through :class:`Catalogs`.
"""

from __future__ import annotations

import functools
import io
from datetime import date
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


class Catalogs:
    """The gettext catalogs of one folder, ``<code>.po`` per language, each compiled once per process.

    The conversation's own catalogs are :data:`CONVERSATION`; a plugin that writes to guests keeps
    its catalogs in a ``locales`` folder of its own and reads them through another ``Catalogs``, so
    its texts are looked up, fall back to English and ship as package data the same way.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._compiled: dict[str, Translations] = {}

    def codes(self) -> tuple[str, ...]:
        """The languages this folder has a catalog for."""
        return tuple(sorted(path.stem for path in self.directory.glob("*.po")))

    def keys(self, code: str) -> frozenset[str]:
        """The message ids the catalog of ``code`` itself holds (not those it falls back on)."""
        with (self.directory / f"{code}.po").open("rb") as source:
            parsed = read_po(source, locale=code)
        # A plural entry's id is its (singular, plural) pair; the singular is its key.
        return frozenset(str(m.id[0] if isinstance(m.id, tuple) else m.id) for m in parsed if m.id)

    def catalog(self, code: str) -> Translations:
        """The compiled catalog of ``code`` with English behind it for missing keys (English itself
        for a language this folder has no catalog of)."""
        found = self._compiled.get(code)
        if found is not None:
            return found
        path = self.directory / f"{code}.po"
        if code != FALLBACK and not path.exists():
            found = self.catalog(FALLBACK)
        else:
            with path.open("rb") as source:
                parsed = read_po(source, locale=code)
            compiled = io.BytesIO()
            write_mo(compiled, parsed)
            compiled.seek(0)
            found = Translations(compiled, domain="tobeout")
            if code != FALLBACK:
                found.add_fallback(self.catalog(FALLBACK))
        self._compiled[code] = found
        return found

    def say(self, code: str | None, key: str, **values: object) -> str:
        """The text ``key`` in the guest's language, filled with ``values``."""
        return self.catalog(language(code)).gettext(key).format(**values)

    def plural(self, code: str | None, key: str, n: int, **values: object) -> str:
        """The plural entry ``key`` for ``n`` ("4 гостя", "1 Gast"), filled with ``n`` and ``values``."""
        return self.catalog(language(code)).ngettext(key, key, n).format(n=n, **values)


#: What the guest conversation says (``core/conversation/locales``).
CONVERSATION = Catalogs(LOCALES)


def catalog(code: str) -> Translations:
    """The compiled conversation catalog of ``code`` (English behind it for missing keys)."""
    return CONVERSATION.catalog(code)


def spoken() -> tuple[str, ...]:
    """The languages that have both words (for understanding) and a catalog (for answers)."""
    return _with_catalog(tuple(languages()))


@functools.lru_cache(maxsize=32)
def _with_catalog(codes: tuple[str, ...]) -> tuple[str, ...]:
    """``codes`` that have a catalog file: the catalogs ship with the code, so the disk is asked once per set
    of languages (the web chat asks on every message)."""
    return tuple(code for code in codes if (LOCALES / f"{code}.po").exists())


def say(code: str | None, key: str, **values: object) -> str:
    """The text ``key`` in the guest's language, filled with ``values``."""
    return CONVERSATION.say(code, key, **values)


def plural(code: str | None, key: str, n: int, **values: object) -> str:
    """The plural entry ``key`` for ``n`` ("4 гостя", "1 Gast"), filled with ``n`` and ``values``."""
    return CONVERSATION.plural(code, key, n, **values)


def day_label(code: str | None, d: date, *, with_year: bool = False) -> str:
    """ "Fri 27 Nov" / "пт, 27 ноября" / "Fr., 27. November" (the year added when asked)."""
    lang = language(code)
    pattern = say(lang, "day_format_year" if with_year else "day_format")
    return format_date(d, pattern, locale=lang)
