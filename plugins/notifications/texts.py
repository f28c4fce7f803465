"""What the guest is told when the restaurant changes their reservation, in the guest's language.

The words are this plugin's own gettext catalogs (``plugins/notifications/locales/<code>.po``,
keyed by the notice's kind), read like the conversation's through :class:`core.conversation.i18n.Catalogs`;
the booking itself is summarised as the conversation does ("Fr., 27. Nov. um 19:30, 4 Gäste").
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from core.conversation.guided_texts import summary
from core.conversation.i18n import Catalogs

CREATED, MOVED, CONFIRMED, CANCELED = "created", "moved", "confirmed", "canceled"

CATALOGS = Catalogs(Path(__file__).resolve().parent / "locales")


def message(
    language: str | None,
    kind: str,
    *,
    restaurant: str,
    reservation_id: int,
    day: date,
    at: time,
    guests: int,
    link: str | None = None,
) -> str:
    """The notification of ``kind`` (created, moved, confirmed, canceled) in the guest's language (English
    otherwise), ending with the guest's manage ``link`` when there is one."""
    text = CATALOGS.say(
        language, kind, restaurant=restaurant, id=reservation_id, summary=summary(language, day, at, guests)
    )
    return f"{text}\n{CATALOGS.say(language, 'manage', url=link)}" if link else text


def subject(language: str | None, kind: str, *, restaurant: str, reservation_id: int) -> str:
    """A one-line title of the notification (an e-mail's subject)."""
    return CATALOGS.say(language, f"subject_{kind}", restaurant=restaurant, id=reservation_id)
