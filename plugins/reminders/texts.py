"""What a reminder says, and the answers to its quick replies, in the guest's language.

The words are this plugin's own gettext catalogs (``plugins/reminders/locales/<code>.po``), read
like the conversation's through :class:`core.conversation.i18n.Catalogs`; the booking itself is
summarised as the conversation does ("Fr., 27. Nov. um 19:30, 4 Gäste").
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from core.conversation.guided_texts import summary
from core.conversation.i18n import Catalogs
from core.conversation.types import Choice, Reply

COMMAND = "reminder"
CONFIRM, CANCEL, CHANGE = "confirm", "cancel", "change"
DECLINE, KEEP = "decline", "keep"  # "no" to a reminder: asked whether to cancel; "no" to that: kept

CATALOGS = Catalogs(Path(__file__).resolve().parent / "locales")


def say(language: str | None, key: str, **values: object) -> str:
    """The text ``key`` in the guest's language (English otherwise)."""
    return CATALOGS.say(language, key, **values)


def status_label(language: str | None, status: str) -> str:
    """A reservation status as the guest reads it ("no show", "отменена", "storniert")."""
    key = f"status_{status}"
    text = say(language, key)
    return status.replace("_", " ") if text == key else text


def when(language: str | None, day: date, at: time, guests: int) -> str:
    """The booking as "Fri 27 Nov at 19:30, 4 guests", in the guest's language."""
    return summary(language, day, at, guests)


def reminder(language: str | None, *, restaurant: str, reservation_id: int, day: date, at: time, guests: int) -> Reply:
    """The reminder with its three quick replies (their values are ``/reminder <answer> <id>``)."""
    text = say(language, "reminder", restaurant=restaurant, id=reservation_id, summary=when(language, day, at, guests))
    answers = (CONFIRM, CANCEL, CHANGE)
    choices = tuple(Choice(say(language, f"label_{key}"), command(key, reservation_id)) for key in answers)
    return Reply(text, choices)


def command(action: str, reservation_id: int) -> str:
    """The conversation command of one answer: ``/reminder confirm 12``."""
    return f"/{COMMAND} {action} {reservation_id}"


def answers(reservation_id: int) -> dict[str, str]:
    """What a guest's plain answer to a reminder runs (:mod:`core.conversation.followup`): "yes" confirms,
    "no" or "cancel" asks whether to cancel (never cancels at once), a change request starts the change."""
    ask = command(DECLINE, reservation_id)
    change = command(CHANGE, reservation_id)
    return {"yes": command(CONFIRM, reservation_id), "no": ask, "cancel": ask, "change": change}


def cancel_question(language: str | None, reservation_id: int, summary: str) -> Reply:
    """ "Shall I cancel it?" with its two quick replies."""
    choices = (
        Choice(say(language, "label_yes_cancel"), command(CANCEL, reservation_id)),
        Choice(say(language, "label_keep"), command(KEEP, reservation_id)),
    )
    return Reply(say(language, "ask_cancel", id=reservation_id, summary=summary), choices)
