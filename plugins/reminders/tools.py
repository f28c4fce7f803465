"""``confirm_reservation``: the LLM's way to confirm a booking, e.g. when the guest answers a reminder in words.

A reminder sent on a chat is in that conversation's history (the outbox records it there), so
the model sees "a reminder of your reservation #12 ... Will you come?" before the guest's
"yes, I'll be there" and calls this tool (cancel and change go through the built-in
``cancel_reservation`` and ``modify_reservation``). It acts as the chat's guest exactly like
those: another guest's reservation id is simply not found. When a reminder of that booking was
sent on this chat, the answer is a ``reminder_answer`` row in ``ai_activities`` (``via: llm``).
"""

from __future__ import annotations

from core.conversation.booking_tools import ReservationArgs, guest_view
from core.conversation.tools import Tool, ToolArgs, ToolContext, ToolResult
from core.models import OutboxMessage, OutboxStatus
from plugins.reminders.answers import confirm, note
from plugins.reminders.schedule import KIND
from plugins.reminders.texts import CONFIRM


async def confirm_reservation(context: ToolContext, args: ToolArgs) -> ToolResult:
    """Confirm one of the chat's guest's own reservations (``created`` becomes ``confirmed``)."""
    a = ReservationArgs.model_validate(args)
    reservation = await confirm(context, a.reservation_id)
    reminded = await OutboxMessage.filter(
        restaurant_id=context.restaurant_id,
        kind=KIND,
        reservation_id=reservation.id,
        channel=context.channel,
        chat_id=context.conversation.external_chat_id,
        status__in=[OutboxStatus.SENT, OutboxStatus.DELIVERED],
    ).exists()
    if reminded:
        await note(context, reservation.id, CONFIRM, "confirmed", via="llm")
    return {"reservation": guest_view(reservation), "confirmed": True}


CONFIRM_TOOL = Tool.from_model(
    "confirm_reservation",
    "Confirm that the guest will come to one of their own reservations, e.g. when they answer yes to a "
    "reminder (its id is in the reminder). To cancel or change it use cancel_reservation or modify_reservation.",
    ReservationArgs,
    confirm_reservation,
    changes_reservation=True,
)
