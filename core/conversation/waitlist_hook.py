"""Where the guided path meets the waitlist: when the slot a guest asked for is full, the free times offered
get one more quick reply, "Join the waitlist" (``/waitlist join <day> <time> <guests>``, handled by the
waitlist plugin's command). Kept out of ``guided.py`` so that flow only calls :func:`with_waitlist`."""

from __future__ import annotations

from datetime import date, time

from core.booking.waitlist_texts import join_choice
from core.conversation.types import Choice


def with_waitlist(language: str, day: date, at: time, guests: int, choices: list[Choice], limit: int) -> list[Choice]:
    """``choices`` (at most ``limit - 1`` of them kept) followed by the waitlist's quick reply for the full slot."""
    return [*choices[: max(0, limit - 1)], join_choice(language, day, at, guests)]
