"""Conversations with guests: the list (``?status=handoff`` for those waiting for a person), a
transcript, a staff reply delivered on the guest's channel, and handing a conversation back to the bot.

The work is done by :mod:`core.conversation.handoff`; every query is scoped to the caller's restaurant.
"""

from __future__ import annotations

from typing import Any

from quart import Blueprint, current_app
from quart_schema import tag, validate_querystring, validate_request, validate_response

from api.openapi import answers_error
from api.schemas import Page
from api.schemas.conversations import (
    ConversationDetail,
    ConversationOut,
    ConversationQuery,
    MessageOut,
    StaffMessageIn,
)
from api.security import login_required, principal, restaurant_scope
from core.conversation import handoff
from core.models import Conversation, ConversationMessage, Guest
from core.runtime import runtime_of

blueprint = Blueprint("conversations", __name__, url_prefix="/api/conversations")
LAST_MESSAGES = 3


def _message(row: ConversationMessage) -> MessageOut:
    return MessageOut.model_validate(
        {"id": row.id, "role": str(row.role), "text": row.text, "at": row.created_at, "author_id": row.author_id}
    )


async def _guests(rid: int, conversations: list[Conversation]) -> dict[int, Guest]:
    ids = {c.guest_id for c in conversations if c.guest_id is not None}
    if not ids:
        return {}
    return {g.id: g for g in await Guest.filter(restaurant_id=rid, id__in=list(ids))}


def _values(conversation: Conversation, guest: Guest | None, last: list[ConversationMessage]) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "guest": {"id": guest.id, "name": guest.name} if guest is not None else None,
        "channel": conversation.channel,
        "status": str(conversation.status),
        "language": conversation.language,
        "handoff_at": conversation.handoff_at,
        "created_at": conversation.created_at,
        "updated_at": conversation.last_activity,
        "last_message_at": last[-1].created_at if last else None,
        "last_messages": [_message(m) for m in last],
    }


async def _one(rid: int, conversation: Conversation) -> ConversationOut:
    guests = await _guests(rid, [conversation])
    last = (await handoff.last_messages([conversation.id], LAST_MESSAGES))[conversation.id]
    return ConversationOut.model_validate(_values(conversation, guests.get(conversation.guest_id or 0), last))


@blueprint.get("")
@tag(["conversations"])
@login_required
@validate_querystring(ConversationQuery)
@validate_response(Page[ConversationOut])
async def list_conversations(query_args: ConversationQuery) -> Page[ConversationOut]:
    """The restaurant's conversations, the most recently active first, each with its last three
    messages. ``?status=handoff`` lists those handed to a person, ``?waiting=true`` those of them no
    person has answered since the guest last wrote. Paginated."""
    rid = restaurant_scope()
    query = Conversation.filter(restaurant_id=rid)
    if query_args.status:
        query = query.filter(status=query_args.status)
    if query_args.waiting:
        query = query.filter(id__in=await handoff.waiting_for_staff(rid))
    total = await query.count()
    size = query_args.page_size
    rows = list(await query.order_by("-last_activity", "-id").offset((query_args.page - 1) * size).limit(size))
    guests = await _guests(rid, rows)
    last = await handoff.last_messages([c.id for c in rows], LAST_MESSAGES)
    items = [ConversationOut.model_validate(_values(c, guests.get(c.guest_id or 0), last[c.id])) for c in rows]
    return Page[ConversationOut](items=items, total=total, page=query_args.page, page_size=size)


@blueprint.get("/<int:conversation_id>")
@tag(["conversations"])
@login_required
@validate_response(ConversationDetail)
async def get_conversation(conversation_id: int) -> ConversationDetail:
    """One conversation with its transcript (the last 200 messages, oldest first)."""
    rid = restaurant_scope()
    conversation = await handoff.find(rid, conversation_id)
    messages = await handoff.transcript(conversation)
    guests = await _guests(rid, [conversation])
    values = _values(conversation, guests.get(conversation.guest_id or 0), messages[-LAST_MESSAGES:])
    return ConversationDetail.model_validate({**values, "messages": [_message(m) for m in messages]})


@blueprint.post("/<int:conversation_id>/messages")
@tag(["conversations"])
@answers_error(502, "the guest's channel could not deliver the reply (nothing is stored)")
@login_required
@validate_request(StaffMessageIn)
@validate_response(MessageOut, 201)
async def reply(conversation_id: int, data: StaffMessageIn) -> tuple[MessageOut, int]:
    """A staff reply: delivered to the guest on their channel, then kept in the transcript. The
    conversation goes to ``handoff`` (the bot stays silent) until it is handed back. 502 when the
    channel could not deliver it (nothing is stored then)."""
    rid = restaurant_scope()
    runtime = runtime_of(current_app)
    message = await handoff.staff_reply(
        runtime, rid, conversation_id, data.text, author_id=principal().user_id, now=runtime.clock()
    )
    return _message(message), 201


@blueprint.post("/<int:conversation_id>/handback")
@tag(["conversations"])
@login_required
@validate_response(ConversationOut)
async def hand_back(conversation_id: int) -> ConversationOut:
    """Give the conversation back to the bot: it answers the guest's next message again."""
    rid = restaurant_scope()
    conversation = await handoff.hand_back(runtime_of(current_app), rid, conversation_id)
    return await _one(rid, conversation)
