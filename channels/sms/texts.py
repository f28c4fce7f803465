"""What the SMS channel answers by itself (to STOP and START), in the guest's language.

The words are this channel's own gettext catalogs (``channels/sms/locales/<code>.po``), read through
:class:`core.conversation.i18n.Catalogs`; English for a language without a catalog.
"""

from __future__ import annotations

from pathlib import Path

from core.conversation.i18n import Catalogs

CATALOGS = Catalogs(Path(__file__).resolve().parent / "locales")

#: Words that opt the guest out (Twilio's standard ones, but CANCEL: here it answers a reminder).
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "стоп", "отписаться"})
#: Words that opt the guest back in (YES is an answer to a reminder here).
START_WORDS = frozenset({"start", "unstop", "старт"})


def keyword(body: str) -> str | None:
    """``"stop"`` or ``"start"`` when the message is only an opt-out or opt-in word, else None."""
    word = body.strip().strip(".!").casefold()
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    return None


def answer(language: str | None, which: str, restaurant: str) -> str:
    """The answer to STOP (``"stopped"``) or START (``"started"``)."""
    return CATALOGS.say(language, which, restaurant=restaurant)
