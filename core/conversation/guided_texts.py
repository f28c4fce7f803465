"""What the guided flow (and the engine's own notices) say: the catalogs of :mod:`core.conversation.i18n`,
plus the few labels built from them (days, party sizes, summaries, booking refusals)."""

from __future__ import annotations

from datetime import date, time

from core.booking.refusal_reasons import Reason, Refusal, hhmm
from core.booking.refusal_text import english
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


def refusal(language: str | None, refused: Refusal, phone: str | None = None) -> str:
    """A booking refusal told to the guest in their language, from its reason and values: English as staff are
    told it (:func:`core.booking.refusal_text.english`), another language from its catalog (``refusal_<reason>``,
    the general ``refusal`` when it has none). A party too large for online booking is told the restaurant's
    ``phone`` when it has one."""
    text_lang = lang(language)
    if refused.reason is Reason.PARTY_TOO_LARGE:
        key = "party_too_large_phone" if phone else "party_too_large"
        most = refused.max_guests if refused.max_guests is not None else "?"
        return say(text_lang, key, maxGuests=most, phone=phone or "")
    if text_lang == i18n.FALLBACK:
        return english(refused)
    key = f"refusal_{refused.reason}"
    template = i18n.catalog(text_lang).gettext(key)
    if template == key:  # no such refusal in any catalog
        return say(text_lang, "refusal")
    try:
        text = template.format(**_refusal_values(text_lang, refused))
    except (KeyError, IndexError):
        return say(text_lang, "refusal")
    detail = _refusal_detail(text_lang, refused)
    return text + detail if refused.reason is Reason.ENDS_AFTER_CLOSE else detail or text


def _refusal_values(text_lang: str, refused: Refusal) -> dict[str, object]:
    """What a refusal's catalog entry may name: ``days`` (a plural), ``closes``."""
    values: dict[str, object] = {}
    if refused.max_advance_days is not None:
        values["days"] = i18n.plural(text_lang, "days", refused.max_advance_days)
    if refused.closes is not None:
        values["closes"] = hhmm(refused.closes)
    return values


def _refusal_detail(text_lang: str, refused: Refusal) -> str:
    """The more exact sentence of a refusal outside the hours (the day's hours, the last seating) that stands in
    for the catalog's general one, or what follows a booking ending after close (the latest start); "" for none."""
    if refused.reason is Reason.OUTSIDE_HOURS and refused.hours:
        return say(text_lang, "refusal_hours", hours=", ".join(refused.hours))
    if refused.reason is Reason.OUTSIDE_HOURS and refused.last_seating is not None:
        return say(text_lang, "refusal_last_seating", lastSeating=hhmm(refused.last_seating))
    if refused.reason is Reason.ENDS_AFTER_CLOSE and refused.latest_start is not None:
        return " " + say(text_lang, "refusal_latest_start", latestStart=hhmm(refused.latest_start))
    return ""
