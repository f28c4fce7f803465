"""A person instead of the bot: handing a conversation to staff, their replies, and handing it back.

A conversation is in ``handoff`` when the guest asked for a person, the engine failed
to understand them several times in a row, or staff wrote into it. Then the bot stays
silent there: the guest's messages are kept in the transcript and announced on the bus
(``conversation.message``), and staff answer through :func:`staff_reply`, which
delivers the text on the guest's own channel through the channel adapters that plugins
provide (``tobeout_channels``, ``runtime.channels``). :func:`hand_back` gives the conversation back to the bot.

Events (all carry ``conversationId``, ``channel``, ``guestId`` and ``actor``):

- ``conversation.handoff``: ``reason`` (``guest_asked``, ``not_understood``, ``staff``);
- ``conversation.message``: ``role`` (``guest``, ``bot``, ``staff``), ``text``, ``at``;
- ``conversation.handback``: the bot answers again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tortoise.functions import Max

from core.conversation.guided_state import GuidedState
from core.conversation.turn_state import HandoffNotice, Misses
from core.conversation.types import Reply
from core.errors import ChannelError, NotFound, ValidationError
from core.events import DomainEvent, EventBus
from core.jsontypes import JSON, JSONObject
from core.models import Conversation, ConversationMessage, ConversationStatus, MessageRole

if TYPE_CHECKING:
    from core.runtime import Runtime

CONVERSATION_HANDOFF = "conversation.handoff"
CONVERSATION_MESSAGE = "conversation.message"
CONVERSATION_HANDBACK = "conversation.handback"

GUEST_ASKED = "guest_asked"
NOT_UNDERSTOOD = "not_understood"
STAFF = "staff"

MAX_STAFF_TEXT = 2000
LOCK_TIMEOUT = 30.0


def lock_key(restaurant_id: int, channel: str, chat_id: str) -> str:
    """The per-conversation lock the engine's turns and staff replies share (one writer at a time)."""
    return f"conv:{restaurant_id}:{channel}:{chat_id}"


def event(kind: str, conversation: Conversation, actor: str, **data: JSON) -> DomainEvent:
    """A conversation event for the bus, in the shape the dashboard reads."""
    body: JSONObject = {
        "conversationId": conversation.id,
        "channel": conversation.channel,
        "guestId": conversation.guest_id,
        "status": str(conversation.status),
        "actor": actor,
        **data,
    }
    return DomainEvent(type=kind, restaurant_id=conversation.restaurant_id, data=body)


def message_event(conversation: Conversation, message: ConversationMessage) -> DomainEvent:
    """``conversation.message`` for one transcript message."""
    actor = "guest" if message.role == MessageRole.GUEST else "staff" if message.role == MessageRole.STAFF else "system"
    return event(
        CONVERSATION_MESSAGE,
        conversation,
        actor,
        messageId=message.id,
        role=str(message.role),
        text=message.text,
        at=message.created_at.isoformat(),
    )


def start(conversation: Conversation, now: datetime) -> bool:
    """Put ``conversation`` in handoff (the caller saves it); False when it already was."""
    if conversation.status == ConversationStatus.HANDOFF:
        return False
    conversation.status = ConversationStatus.HANDOFF
    conversation.handoff_at = now
    HandoffNotice(told=False).save(conversation)
    return True


def acknowledge(conversation: Conversation) -> bool:
    """True the first time it is called since ``conversation`` was handed off (the guest's first message
    then gets "a person will answer here"); False afterwards."""
    if HandoffNotice.load(conversation).told:
        return False
    HandoffNotice(told=True).save(conversation)
    return True


def release(conversation: Conversation) -> bool:
    """Give ``conversation`` back to the bot (the caller saves it), its guided flow started afresh."""
    if conversation.status != ConversationStatus.HANDOFF:
        return False
    conversation.status = ConversationStatus.ACTIVE
    conversation.handoff_at = None
    GuidedState.clear(conversation)
    Misses.clear(conversation)
    HandoffNotice(told=False).save(conversation)
    return True


async def find(restaurant_id: int, conversation_id: int) -> Conversation:
    """The restaurant's conversation ``conversation_id``; ``NotFound`` for any other restaurant's."""
    conversation = await Conversation.filter(restaurant_id=restaurant_id, id=conversation_id).first()
    if conversation is None:
        raise NotFound("No such conversation.")
    return conversation


async def staff_reply(
    runtime: Runtime, restaurant_id: int, conversation_id: int, text: str, *, author_id: int | None, now: datetime
) -> ConversationMessage:
    """Send a staff member's ``text`` to the guest on their channel and keep it in the transcript.

    The conversation goes to (or stays in) handoff, so the bot does not talk over staff.
    Raises ``NotFound`` (another restaurant's or no conversation), ``ValidationError``
    (empty or too long text) and ``ChannelError`` when the channel could not deliver it:
    nothing is stored then, so staff see the reply as not sent and may try again.
    """
    text = (text or "").strip()
    if not text or len(text) > MAX_STAFF_TEXT:
        raise ValidationError(f"text must be 1 to {MAX_STAFF_TEXT} characters.", code="bad_text")
    conversation = await find(restaurant_id, conversation_id)
    adapter = runtime.channels.get(conversation.channel)
    if adapter is None:
        raise ChannelError(
            f"The guest's channel ({conversation.channel}) is not available on this service.", code="channel_off"
        )
    key = lock_key(restaurant_id, conversation.channel, conversation.external_chat_id)
    async with runtime.cache.lock(key, timeout=LOCK_TIMEOUT, wait=LOCK_TIMEOUT):
        await conversation.refresh_from_db()
        await adapter.send(restaurant_id, conversation.external_chat_id, [Reply(text)])
        started = start(conversation, now)
        conversation.last_activity = now
        history = list(conversation.history or [])
        history.append({"role": "assistant", "content": text})
        conversation.history = history[-30:]
        await conversation.save()
        message = await ConversationMessage.create(
            conversation=conversation, role=MessageRole.STAFF, text=text, author_id=author_id, created_at=now
        )
    events: list[DomainEvent] = []
    if started:
        events.append(event(CONVERSATION_HANDOFF, conversation, "staff", reason=STAFF))
    events.append(message_event(conversation, message))
    await publish(runtime.bus, events)
    return message


async def hand_back(runtime: Runtime, restaurant_id: int, conversation_id: int) -> Conversation:
    """The bot answers the conversation again (a no-op for one that is not in handoff)."""
    conversation = await find(restaurant_id, conversation_id)
    key = lock_key(restaurant_id, conversation.channel, conversation.external_chat_id)
    async with runtime.cache.lock(key, timeout=LOCK_TIMEOUT, wait=LOCK_TIMEOUT):
        await conversation.refresh_from_db()
        changed = release(conversation)
        if changed:
            await conversation.save()
    if changed:
        await publish(runtime.bus, [event(CONVERSATION_HANDBACK, conversation, "staff")])
    return conversation


async def publish(bus: EventBus, events: Sequence[DomainEvent]) -> None:
    """Publish ``events`` in order, together (after the writes they describe are committed): a turn's
    events make the caches stale once and reach Redis in one round trip."""
    await bus.publish_all(events)


async def transcript(conversation: Conversation, limit: int = 200) -> list[ConversationMessage]:
    """The last ``limit`` messages of ``conversation``, oldest first."""
    rows = await ConversationMessage.filter(conversation_id=conversation.id).order_by("-id").limit(limit)
    return list(reversed(rows))


async def last_messages(
    conversation_ids: Sequence[int], per_conversation: int = 3
) -> dict[int, list[ConversationMessage]]:
    """The last few messages of each conversation (oldest first), for a page of conversations.

    One small indexed query per conversation ((conversation_id, id) index); a page holds at most 100.
    """
    found: dict[int, list[ConversationMessage]] = {}
    for cid in conversation_ids:
        rows = await ConversationMessage.filter(conversation_id=cid).order_by("-id").limit(per_conversation)
        found[cid] = list(reversed(rows))
    return found


async def waiting_for_staff(restaurant_id: int) -> list[int]:
    """The restaurant's handed-off conversations that still wait for a person, the most recently
    active first: no staff message since the guest's last (the bot's own "a colleague will answer"
    does not count), or none at all yet. Every one of them, so a count of them is exact."""
    handed = [
        row.id
        for row in await Conversation.filter(restaurant_id=restaurant_id, status=ConversationStatus.HANDOFF)
        .order_by("-last_activity", "-id")
        .only("id")
    ]
    if not handed:
        return []
    latest: dict[MessageRole, dict[int, int]] = {}
    for role in (MessageRole.GUEST, MessageRole.STAFF):
        rows = (
            await ConversationMessage.filter(conversation_id__in=handed, role=role)
            .annotate(newest=Max("id"))
            .group_by("conversation_id")
            .values_list("conversation_id", "newest")
        )
        latest[role] = {int(cid): int(newest) for cid, newest in rows}
    guest, staff = latest[MessageRole.GUEST], latest[MessageRole.STAFF]
    return [cid for cid in handed if cid not in staff or guest.get(cid, 0) > staff[cid]]
