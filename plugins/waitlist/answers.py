"""The guest's answer to an offer: ``/waitlist accept|decline <entry id>`` (the offer's quick replies, or a plain
"yes" / "no" read by the guided path through :mod:`core.conversation.followup`), handled like a reminder's
answer: as the chat's guest, so another guest's offer is simply not found."""

from __future__ import annotations

from typing import Any

from core.booking.waitlist import Waitlist
from core.booking.waitlist_texts import say
from core.conversation.guided_texts import summary
from core.conversation.types import Reply
from core.errors import NotFound
from core.outbox import record

ANSWER = "waitlist_answer"


async def answer(context: Any, argument: str) -> list[Reply]:
    """Handle ``accept 12`` or ``decline 12`` from the chat's guest."""
    language = context.language
    action, _, number = argument.partition(" ")
    try:
        entry_id = int(number.strip().lstrip("#"))
    except ValueError:
        entry_id = 0
    guest = context.guest
    if action.lower() not in ("accept", "decline") or entry_id <= 0 or guest is None:
        return [Reply(say(language, "not_found"))]
    waitlist = Waitlist(context.service)
    rid = context.restaurant_id
    try:
        if action.lower() == "accept":
            entry, booked = await waitlist.accept(rid, entry_id, guest.id)
            if not booked:
                await _note(context, entry_id, action, "too_late")
                restaurant_minutes = await _hold_minutes(rid)
                return [Reply(say(language, "too_late", minutes=restaurant_minutes))]
            reservation = await context.service.get(rid, entry.reservation_id, guest_id=guest.id)
            await _note(context, entry_id, action, "booked")
            when = summary(language, reservation.date, reservation.time, reservation.guests)
            return [Reply(say(language, "booked", id=reservation.id, summary=when))]
        _, declined = await waitlist.decline(rid, entry_id, guest.id)
        await _note(context, entry_id, action, "declined" if declined else "not_open")
        return [Reply(say(language, "declined" if declined else "not_found"))]
    except NotFound:
        await _note(context, entry_id, action, "not_found")
        return [Reply(say(language, "not_found"))]


async def _hold_minutes(restaurant_id: int) -> int:
    from core.booking import reads

    restaurant = await reads.restaurant(restaurant_id)
    return restaurant.waitlist_hold_minutes if restaurant is not None else 10


async def _note(context: Any, entry_id: int, action: str, outcome: str) -> None:
    """The ``waitlist_answer`` row of one answer and its outcome."""
    await record(
        context.restaurant_id,
        ANSWER,
        f"/waitlist {action} {entry_id}",
        outcome,
        {"entryId": entry_id, "answer": action, "outcome": outcome, "channel": context.channel},
    )
