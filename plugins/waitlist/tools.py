"""``join_waitlist``: the LLM's way to put a guest on the waitlist when the time they want is full."""

from __future__ import annotations

from pydantic import Field

from core.booking.waitlist_view import entry_view, waitlist_json
from core.conversation.booking_tools import SlotArgs
from core.conversation.tools import Tool, ToolArgs, ToolContext, ToolResult
from plugins.waitlist.answers import join


class JoinArgs(SlotArgs):
    name: str | None = Field(default=None, max_length=255, description="The guest's name, if not known yet")
    phone: str | None = Field(default=None, max_length=50, description="The guest's phone number, with country code")
    until: str | None = Field(
        default=None, max_length=8, description="The latest start time the guest would take, HH:MM (default +90 min)"
    )


async def join_waitlist(context: ToolContext, args: ToolArgs) -> ToolResult:
    """Put the chat's guest on the waitlist for a full slot; a freed table is offered in this chat."""
    a = JoinArgs.model_validate(args)
    entry = await join(context, a.date, a.time, a.guests, name=a.name, phone=a.phone, until=a.until)
    view = waitlist_json(entry_view(entry))
    return {
        "waitlist": {k: view[k] for k in ("id", "status", "date", "timeFrom", "timeTo", "guests")},
        "note": "The guest will be offered a table in this chat as soon as one frees up in that window.",
    }


JOIN_TOOL = Tool.from_model(
    "join_waitlist",
    "Put the guest on the waitlist when the time they want is full and they would like to wait for a table "
    "(offer it after check_availability says it is not available). A table that frees up between time and until "
    "is offered to them in this chat, held for a few minutes.",
    JoinArgs,
    join_waitlist,
)
