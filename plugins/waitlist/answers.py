"""The guest joining the waitlist from the chat (``/waitlist join <date> <time> <guests>``, the guided path's quick
reply where a slot is full; the LLM's ``join_waitlist`` tool, :mod:`plugins.waitlist.tools`) and the guest's answer
to an offer: ``/waitlist accept|decline <entry id>`` (the offer's quick replies, or a plain
"yes" / "no" read by the guided path through :mod:`core.conversation.followup`), handled like a reminder's
answer: as the chat's guest, so another guest's offer is simply not found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.booking.hours import parse_local_date, parse_local_time
from core.booking.waitlist import Waitlist, WaitlistInput
from core.booking.waitlist_texts import joined, say
from core.conversation import store
from core.conversation.guided_state import GuidedState
from core.conversation.guided_texts import summary
from core.conversation.types import Reply
from core.errors import DomainError, NotFound
from core.events import Actor
from core.models import WaitlistEntry
from core.outbox import record

ANSWER = "waitlist_answer"
#: Without an end, the guest waits for a start up to this many minutes after the time asked.
WINDOW = 90


async def join(
    context: Any,
    day: Any,
    at: Any,
    guests: int,
    *,
    name: str | None = None,
    phone: str | None = None,
    until: Any = None,
) -> WaitlistEntry:
    """Put the chat's guest (created from ``name``/``phone`` or the guided flow's name when not yet known) on the
    waitlist for ``day``, from ``at`` until ``until`` (default an hour and a half later), offered in this chat."""
    guided = GuidedState.load(context.conversation)
    guest = await store.ensure_guest(context, name=name or guided.name or "Guest", phone=phone)
    start = parse_local_time(at)
    end = parse_local_time(until) if until else _later(start, WINDOW)
    given = WaitlistInput(
        guests=guests,
        date=parse_local_date(day),
        time_from=start,
        time_to=end,
        guest_id=guest.id,
        channel=context.channel,
        chat_id=context.conversation.external_chat_id,
        language=context.language,
        source=context.channel,
    )
    return await Waitlist(context.service).add(context.restaurant_id, given, actor=Actor.GUEST)


def _later(start: dt.time, minutes: int) -> dt.time:
    moved = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)
    return moved.time() if moved.date() == dt.date(2000, 1, 1) else dt.time(23, 59)


async def answer(context: Any, argument: str) -> list[Reply]:
    """Handle ``join 2026-11-27 20:00 2``, ``accept 12`` or ``decline 12`` from the chat's guest."""
    language = context.language
    action, _, number = argument.partition(" ")
    if action.lower() == "join":
        return await _join(context, number)
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


async def _join(context: Any, argument: str) -> list[Reply]:
    parts = argument.split()
    try:
        day, at, guests = parts[0], parts[1], int(parts[2])
        entry = await join(context, day, at, guests)
    except (IndexError, ValueError):
        return [Reply(say(context.language, "not_found"))]
    except DomainError as exc:
        return [Reply(exc.message)]
    await _note(context, entry.id, "join", "waiting")
    # The booking the guided flow was asking about is settled: the guest now waits, and a later plain "yes"
    # answers the offer (core.conversation.followup reads answers only while no guided step is under way).
    GuidedState.clear(context.conversation)
    return [joined(context.language, entry)]


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
