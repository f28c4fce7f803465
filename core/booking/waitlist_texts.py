"""What the waitlist says to a guest, in their language (gettext catalogs in ``waitlist_locales/<code>.po``).

Passed as ``texts`` to :class:`core.booking.waitlist.Waitlist`'s offers and "your table is ready"."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from core.booking.waitlist_offers import COMMAND, offer_choices
from core.conversation.guided_texts import summary
from core.conversation.i18n import Catalogs
from core.conversation.types import Choice, Reply
from core.models import Reservation, WaitlistEntry

CATALOGS = Catalogs(Path(__file__).resolve().parent / "waitlist_locales")


def say(language: str | None, key: str, **values: object) -> str:
    """The text ``key`` in the guest's language (English otherwise)."""
    return CATALOGS.say(language, key, **values)


def offer(language: str | None, restaurant: str, entry: WaitlistEntry, reservation: Reservation, minutes: int) -> Reply:
    """The offer of a freed table with its yes / no quick replies."""
    text = say(
        language,
        "offer",
        restaurant=restaurant,
        summary=summary(language, reservation.date, reservation.time, reservation.guests),
        minutes=minutes,
    )
    return Reply(text, offer_choices(say(language, "label_yes"), say(language, "label_no"), entry.id))


def join_choice(language: str | None, day: date, at: time, guests: int) -> Choice:
    """The quick reply that puts the chat's guest on the waitlist for a full slot: ``/waitlist join <day> <time>
    <guests>`` (offered on the guided path where the slot is full)."""
    return Choice(say(language, "label_join"), f"/{COMMAND} join {day.isoformat()} {at:%H:%M} {guests}")


def joined(language: str | None, entry: WaitlistEntry) -> Reply:
    """ "I've put you on the waitlist"."""
    when = summary(language, entry.date, entry.time_from, entry.guests)
    return Reply(say(language, "joined", summary=when, start=f"{entry.time_from:%H:%M}", end=f"{entry.time_to:%H:%M}"))


def ready(language: str | None, restaurant: str, entry: WaitlistEntry) -> Reply:
    """ "Your table is ready"."""
    return Reply(say(language, "ready", restaurant=restaurant))
