"""Conversation persistence: handling a message once, loading and expiring conversations, knowing the guest.

- :func:`arrive` / :func:`claim_and_load`: the same (restaurant, channel, message id)
  is handled once. The cache's once-only key is the fast path (no database round trip
  for a redelivery; set in the same round trip as the conversation's rate-limit counter);
  the unique ``processed_messages`` row, written inside the conversation's lock, is the authority.
- :func:`claim_and_load` also gets or creates the chat's :class:`Conversation` and resets
  its state and history after a long silence (the guest stays linked).
- :func:`identify_guest` finds the guest behind a channel identity; a channel that
  vouches for the phone number (WhatsApp) leads to the same guest as any other channel
  with that number.
- :func:`ensure_guest` creates the guest when they book, tied to the chat's channel identity.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise import timezone
from tortoise.exceptions import IntegrityError

from core.booking import guests
from core.cache import Cache
from core.conversation.types import InboundMessage
from core.errors import ValidationError
from core.models import Conversation, ConversationMessage, Guest, MessageRole
from core.storage import orm, storage
from core.storage.base import Arrival, Arrived, TurnWrite

if TYPE_CHECKING:
    from core.conversation.activity import TurnLog
    from core.conversation.tools import ToolContext

DEDUP_TTL = 48 * 3600.0
HISTORY_LIMIT = 30  # messages kept (user and assistant turns); the LLM sees these


def message_key(message: InboundMessage) -> str:
    """The once-only cache key of an inbound message."""
    return f"msg:{message.restaurant_id}:{message.channel}:{message.message_id}"


async def arrive(cache: Cache, message: InboundMessage, counter: tuple[str, float]) -> int | None:
    """Mark this message id once-only in the cache and count it in ``counter`` (key, expiry), in one round trip:
    the counter's new value, or None when the cache had marked it already (a redelivery: nothing counted)."""
    return await cache.add_and_incr(message_key(message), DEDUP_TTL, *counter)


async def claim_and_load(
    message: InboundMessage,
    now: datetime,
    expire_after: timedelta,
    default_language: str = "en",
    *,
    integration_type: str,
) -> tuple[Conversation, Arrived] | None:
    """Claim the message (its ``processed_messages`` row) and read what the turn needs first: the chat's
    conversation, created on first contact and reset after ``expire_after`` of silence, with the guest known
    so far and the restaurant's ``integration_type`` row (:class:`core.storage.base.Arrived`); None when another
    delivery claimed the message first. One round trip on PostgreSQL
    (:meth:`core.storage.base.Storage.claim_and_read`)."""
    arrival = Arrival(
        message.restaurant_id,
        message.channel,
        message.message_id,
        message.chat_id,
        message.sender_id,
        integration_type,
        timezone.now(),
    )
    try:
        arrived = await storage().claim_and_read(arrival)
    except IntegrityError:  # no such restaurant (any later turn step would fail the same way)
        return None
    if not arrived.claimed:
        return None
    conversation = arrived.conversation
    if conversation is None:
        keys: dict[str, Any] = {
            "restaurant_id": message.restaurant_id,
            "channel": message.channel,
            "external_chat_id": message.chat_id,
        }
        try:
            conversation = await Conversation.create(
                **keys, language=message.language_hint or default_language, state={}, history=[], last_activity=now
            )
        except IntegrityError:  # created by a concurrent first message (the lock normally prevents this)
            conversation = await Conversation.get(**keys)
    else:
        expire(conversation, now, expire_after)
    return conversation, arrived


def expire(conversation: Conversation, now: datetime, expire_after: timedelta) -> None:
    """Forget the state and history of a conversation silent for longer than ``expire_after`` (the guest stays)."""
    if now - conversation.last_activity > expire_after:
        conversation.state = {}
        conversation.history = []


def remember(conversation: Conversation, user_text: str, reply_text: str) -> None:
    """Append one exchange to the conversation's history, keeping the last :data:`HISTORY_LIMIT` messages."""
    history = list(conversation.history or [])
    history.append({"role": "user", "content": user_text})
    if reply_text:
        history.append({"role": "assistant", "content": reply_text})
    conversation.history = history[-HISTORY_LIMIT:]


async def identify_guest(message: InboundMessage, conversation: Conversation, known: Guest | None) -> Guest | None:
    """The guest writing in this chat, or None until they give their name.

    ``known``: the conversation's guest, else the channel identity's, as :func:`claim_and_load` read them.
    Without one, a phone number the channel vouches for (WhatsApp) finds the restaurant's guest with that
    number and links this identity to them (or creates the guest when the channel also gives a name).
    """
    if known is not None:
        return known
    rid = message.restaurant_id
    if not message.phone:
        return None
    try:
        return await guests.find_or_create_guest(
            rid,
            name=message.sender_name,
            phone=message.phone,
            language=conversation.language,
            identity=(message.channel, message.sender_id),
        )
    except ValidationError:  # no guest with that number and no name yet: the flow asks for one
        return None


async def identify_guest_of(conversation: Conversation) -> Guest | None:
    """The guest of a conversation the bot starts itself (no inbound message): its linked guest, if any."""
    if conversation.guest_id is None:
        return None
    return await Guest.filter(restaurant_id=conversation.restaurant_id, id=conversation.guest_id).first()


async def ensure_guest(context: ToolContext, *, name: str, phone: str | None) -> Guest:
    """The conversation's guest, created (and linked to this chat's identity) when not yet known.

    A phone number the channel vouches for (``context.channel_phone``) finds the
    restaurant's guest with that number. A number merely typed into the chat never
    does: anyone could type someone else's number, so this chat then gets a guest
    record of its own carrying that number, and cannot see the other's bookings.
    """
    if context.guest is not None:
        return context.guest
    identity = (context.channel, context.sender_id)
    vouched = context.channel_phone
    typed = None
    if phone and not vouched:
        typed = guests.normalise_phone(phone, guests.region_of(context.restaurant.phone))
    guest = await guests.find_or_create_guest(
        context.restaurant_id, name=name, phone=vouched, language=context.language, identity=identity, fill_phone=typed
    )
    context.guest = guest
    context.conversation.guest_id = guest.id
    return guest


async def save_turn(
    conversation: Conversation, turn: TurnLog | None, messages: list[tuple[MessageRole, str]], now: datetime
) -> list[ConversationMessage]:
    """Save the conversation, its new transcript messages and the turn's activity rows at once
    (:meth:`core.storage.base.Storage.write_turn`: one statement on PostgreSQL, one transaction on
    SQLite); returns the messages written.

    When that fails, the conversation and its messages are saved on their own and the activity
    rows are logged as lost, as if written separately: a failure to record never loses the
    conversation's state.
    """
    activity = turn.activities() if turn is not None else []
    try:
        ids = await storage().write_turn(TurnWrite(conversation, [(str(r), t) for r, t in messages], now, activity))
    except Exception:
        await conversation.save()
        saved = [
            await ConversationMessage.create(conversation_id=conversation.id, role=role, text=text, created_at=now)
            for role, text in messages
        ]
        if turn is not None:
            await turn.flush()
        return saved
    if turn is not None:
        turn.rows = []
    return [
        orm.as_saved(ConversationMessage, id=i, conversation_id=conversation.id, role=role, text=text, created_at=now)
        for i, (role, text) in zip(ids, messages, strict=True)
    ]
