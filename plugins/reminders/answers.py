"""The guest's answer to a reminder: ``/reminder confirm|cancel|change|decline|keep <reservation id>``.

The quick replies of a reminder carry these values (Telegram buttons, WhatsApp's numbered
options, the widget's choices), so the answer reaches the conversation engine like any
message and is handled here, through the booking service and as the guest of the chat:
another guest's reservation id is simply not found. ``confirm`` makes a ``created``
booking ``confirmed`` (already confirmed stays so), ``cancel`` cancels it, ``change``
starts the conversation engine's guided change of that booking (it asks for the new day,
time or party, then confirms, through the same modify tool as the LLM path). Each answer and
its outcome is a ``reminder_answer`` row in ``ai_activities`` (``metadata.via``: ``quick_reply``,
``words`` for a plain answer on the guided path, ``llm`` for the ``confirm_reservation`` tool).

A reminder also waits for a plain answer (:mod:`core.conversation.followup`): "yes" runs
``confirm``, "no" or "cancel" runs ``decline``, which asks "Shall I cancel it?" (its own yes
runs ``cancel``, its no runs ``keep``: the booking stays as it is), and a change request runs
``change`` with the new details said in it.
"""

from __future__ import annotations

from typing import Any

from core.conversation import followup
from core.conversation.engine import engine_tools
from core.conversation.guided import GuidedFlow
from core.conversation.types import Reply
from core.errors import DomainError, InvalidTransition, NotFound
from core.events import Actor
from core.models import Reservation, ReservationStatus
from core.outbox import record
from plugins.reminders import texts
from plugins.reminders.texts import CANCEL, CHANGE, COMMAND, CONFIRM, DECLINE, KEEP, say

__all__ = ["ANSWER", "COMMAND", "answer", "confirm", "note"]

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
    if action not in (CONFIRM, CANCEL, CHANGE, DECLINE, KEEP) or reservation_id <= 0 or guest is None:
        return [Reply(say(language, "not_found"))]
    service, rid = context.service, context.restaurant_id
    try:
        reservation = await service.get(rid, reservation_id, guest_id=guest.id)
    except NotFound:
        await note(context, reservation_id, action, "not_found")
        return [Reply(say(language, "not_found"))]
    status = S(reservation.status)
    try:
        if action == CONFIRM:
            reservation = await confirm(context, reservation_id)
            await note(context, reservation_id, action, "confirmed")
            return [Reply(say(language, "confirmed", id=reservation_id, summary=_when(language, reservation)))]
        if action == CANCEL:
            reservation = await service.cancel(rid, reservation_id, guest_id=guest.id, actor=Actor.GUEST)
            await note(context, reservation_id, action, "canceled")
            return [Reply(say(language, "canceled", id=reservation_id, summary=_when(language, reservation)))]
    except DomainError:
        return await _cannot(context, reservation, action)
    if status not in (S.CREATED, S.CONFIRMED):
        return await _cannot(context, reservation, CHANGE if action == CHANGE else CANCEL)
    if action == DECLINE:  # "no" to the reminder: a cancellation is asked, never done on a bare "no"
        question = texts.cancel_question(language, reservation_id, _when(language, reservation))
        waited = {
            "yes": texts.command(CANCEL, reservation_id),
            "cancel": texts.command(CANCEL, reservation_id),
            "no": texts.command(KEEP, reservation_id),
        }
        followup.expect(context.conversation, waited, reservation.starts_at)
        await note(context, reservation_id, action, "asked_to_cancel")
        return [question]
    if action == KEEP:  # the booking stays; the reminder's own answers (yes, change...) are read again
        followup.expect(context.conversation, texts.answers(reservation_id), reservation.starts_at)
        await note(context, reservation_id, action, "kept")
        return [Reply(say(language, "kept", id=reservation_id))]
    # The guided change flow of the conversation engine: it asks for the new day, time or party and
    # goes on with the guest's next messages (through the same modify tool as the LLM).
    said = context.turn.understood
    tools = await engine_tools(context.runtime)
    result = await GuidedFlow(context, tools).start_change(reservation_id, said.slots if said is not None else None)
    await note(context, reservation_id, action, "asked_new_time")
    return list(result.replies)


async def confirm(context: Any, reservation_id: int) -> Reservation:
    """Confirm the chat's guest's reservation: ``created`` becomes ``confirmed``, ``confirmed`` stays so.
    ``NotFound`` for another guest's (or no) reservation, ``InvalidTransition`` for one no longer active."""
    guest = context.guest
    if guest is None:
        raise NotFound("No reservations were found for you in this chat.")
    service, rid = context.service, context.restaurant_id
    reservation: Reservation = await service.get(rid, reservation_id, guest_id=guest.id)
    status = S(reservation.status)
    if status == S.CREATED:
        reservation = await service.set_status(rid, reservation_id, S.CONFIRMED, guest_id=guest.id, actor=Actor.GUEST)
    elif status != S.CONFIRMED:
        raise InvalidTransition(
            f"Reservation #{reservation_id} is {status} and can no longer be confirmed.",
            details={"status": str(status)},
        )
    return reservation


def _when(language: str, reservation: Reservation) -> str:
    return texts.when(language, reservation.date, reservation.time, reservation.guests)


async def _cannot(context: Any, reservation: Reservation, action: str) -> list[Reply]:
    fresh = await Reservation.filter(restaurant_id=context.restaurant_id, id=reservation.id).values_list(
        "status", flat=True
    )
    status = str(fresh[0]) if fresh else str(reservation.status)
    await note(context, reservation.id, action, f"refused_{status}")
    verb = say(context.language, f"{action}_verb")
    label = texts.status_label(context.language, status)
    return [Reply(say(context.language, "cannot", id=reservation.id, status=label, action=verb))]


async def note(context: Any, reservation_id: int, action: str, outcome: str, via: str | None = None) -> None:
    """The ``reminder_answer`` row of one answer and its outcome."""
    if via is None:
        via = "words" if context.turn.understood is not None else "quick_reply"
    await record(
        context.restaurant_id,
        ANSWER,
        f"/{COMMAND} {action} {reservation_id}",
        outcome,
        {
            "reservationId": reservation_id,
            "answer": action,
            "outcome": outcome,
            "channel": context.channel,
            "guestId": context.guest.id if context.guest is not None else None,
            "via": via,
        },
    )
