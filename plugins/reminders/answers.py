"""The guest's answer to a reminder: ``/reminder confirm|cancel|change <reservation id>``.

The quick replies of a reminder carry these values (Telegram buttons, WhatsApp's numbered
options, the widget's choices), so the answer reaches the conversation engine like any
message and is handled here, through the booking service and as the guest of the chat:
another guest's reservation id is simply not found. ``confirm`` makes a ``created``
booking ``confirmed`` (already confirmed stays so), ``cancel`` cancels it, ``change``
starts the conversation engine's guided change of that booking (it asks for the new day,
time or party, then confirms, through the same modify tool as the LLM path). Each answer and
its outcome is a ``reminder_answer`` row in ``ai_activities``.
"""

from __future__ import annotations

from typing import Any

from core.conversation.guided import GuidedFlow
from core.conversation.types import Reply
from core.errors import DomainError, NotFound
from core.events import Actor
from core.models import Reservation, ReservationStatus
from core.outbox import record
from plugins.reminders import texts
from plugins.reminders.texts import CANCEL, CHANGE, COMMAND, CONFIRM, say

__all__ = ["COMMAND", "answer"]

S = ReservationStatus
ANSWER = "reminder_answer"


async def answer(context: Any, argument: str) -> list[Reply]:
    """Handle ``confirm 12``, ``cancel 12`` or ``change 12`` from the chat's guest."""
    language = context.language
    action, _, number = argument.partition(" ")
    action = action.lower()
    try:
        reservation_id = int(number.strip().lstrip("#"))
    except ValueError:
        reservation_id = 0
    guest = context.guest
    if action not in (CONFIRM, CANCEL, CHANGE) or reservation_id <= 0 or guest is None:
        return [Reply(say(language, "not_found"))]
    service, rid = context.service, context.restaurant_id
    try:
        reservation = await service.get(rid, reservation_id, guest_id=guest.id)
    except NotFound:
        await _note(context, reservation_id, action, "not_found")
        return [Reply(say(language, "not_found"))]
    status = S(reservation.status)
    try:
        if action == CONFIRM:
            if status == S.CREATED:
                reservation = await service.set_status(rid, reservation_id, S.CONFIRMED, guest_id=guest.id,
                                                       actor=Actor.GUEST)  # fmt: skip
            elif status != S.CONFIRMED:
                return await _cannot(context, reservation, action)
            await _note(context, reservation_id, action, "confirmed")
            return [Reply(say(language, "confirmed", id=reservation_id, summary=_when(language, reservation)))]
        if action == CANCEL:
            reservation = await service.cancel(rid, reservation_id, guest_id=guest.id, actor=Actor.GUEST)
            await _note(context, reservation_id, action, "canceled")
            return [Reply(say(language, "canceled", id=reservation_id, summary=_when(language, reservation)))]
    except DomainError:
        return await _cannot(context, reservation, action)
    if status not in (S.CREATED, S.CONFIRMED):
        return await _cannot(context, reservation, action)
    # The guided change flow of the conversation engine: it asks for the new day, time or party and
    # goes on with the guest's next messages (through the same modify tool as the LLM).
    tools = await context.runtime.engine.tools()
    result = await GuidedFlow(context, tools).start_change(reservation_id)
    await _note(context, reservation_id, action, "asked_new_time")
    return list(result.replies)


def _when(language: str, reservation: Reservation) -> str:
    return texts.when(language, reservation.date, reservation.time, reservation.guests)


async def _cannot(context: Any, reservation: Reservation, action: str) -> list[Reply]:
    fresh = await Reservation.filter(restaurant_id=context.restaurant_id, id=reservation.id).values_list(
        "status", flat=True
    )
    status = str(fresh[0]) if fresh else str(reservation.status)
    await _note(context, reservation.id, action, f"refused_{status}")
    verb = say(context.language, f"{action}_verb")
    label = texts.status_label(context.language, status)
    return [Reply(say(context.language, "cannot", id=reservation.id, status=label, action=verb))]


async def _note(context: Any, reservation_id: int, action: str, outcome: str) -> None:
    await record(
        context.restaurant_id, ANSWER, f"/{COMMAND} {action} {reservation_id}", outcome,
        {"reservationId": reservation_id, "answer": action, "outcome": outcome, "channel": context.channel,
         "guestId": context.guest.id if context.guest is not None else None},
    )  # fmt: skip
