"""The manage page's words, in the guest's language: gettext catalogs in ``api/guest_ui/locales`` read through
:class:`core.conversation.i18n.Catalogs` (English behind any missing key), dates from Babel's CLDR data.

The page speaks the first language it has a catalog for among: the one asked for (``?lang=``), the
guest's own, the restaurant's default; English otherwise.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from babel.dates import format_date

from core.conversation.i18n import Catalogs
from core.models import ReservationStatus

CATALOGS = Catalogs(Path(__file__).resolve().parent / "locales")
FALLBACK = "en"
#: The catalog keys the page's script uses (sent to it once, in the page).
SCRIPT_KEYS = (
    "change",
    "cancel",
    "save",
    "back",
    "times_loading",
    "no_times",
    "times_found",
    "pick_time",
    "changed",
    "canceled",
    "closed",
    "taken",
    "err_too_soon",
    "err_too_far",
    "err_closed",
    "err_party",
    "err_in_past",
    "err_generic",
    "err_rate",
    "err_network",
)


def languages() -> tuple[str, ...]:
    """The languages the page has words for."""
    return CATALOGS.codes()


def page_language(*candidates: str | None) -> str:
    """The first of ``candidates`` ("ru", "de-AT") the page speaks, else English."""
    have = languages()
    for candidate in candidates:
        code = (candidate or "").split("-")[0].lower()
        if code in have:
            return code
    return FALLBACK


def say(language: str, key: str, **values: object) -> str:
    """The text ``key`` in ``language``, filled with ``values``."""
    return CATALOGS.catalog(language).gettext(key).format(**values)


def script_texts(language: str) -> dict[str, str]:
    """The words the page's script shows (not yet filled: ``{n}``, ``{message}`` stay)."""
    catalog = CATALOGS.catalog(language)
    return {key: catalog.gettext(key) for key in SCRIPT_KEYS}


def party(language: str, guests: int) -> str:
    """ "4 guests" / "4 гостя" / "4 Personen"."""
    return CATALOGS.catalog(language).ngettext("guests", "guests", guests).format(n=guests)


def when(language: str, day: date, at: time) -> str:
    """ "Thursday 24 December 2026 at 19:00" in ``language`` (day and month names from CLDR)."""
    label = format_date(day, say(language, "day_format"), locale=language)
    return say(language, "when", day=label, time=f"{at:%H:%M}")


def status(language: str, value: str) -> str:
    """The reservation's status as the guest reads it."""
    return say(language, f"status_{ReservationStatus(value).value}")
