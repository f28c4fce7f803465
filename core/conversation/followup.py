"""Messages the bot sends outside a guest's turn, and the answers it then waits for.

A message the service sends on its own (a row of the guest outbox, e.g. a reminder) is written
into the chat's conversation the way the engine's own replies are: a ``bot`` line of the
transcript (staff see it), an ``assistant`` entry of the history the LLM reads, and the
conversation's last activity (so the guest's answer does not find it expired). An outbox row
may say which answers it waits for, in its payload::

    {"answers": {"yes": "/cmd a 12", "no": "/cmd b 12", "cancel": "/cmd b 12", "change": "/cmd c 12"},
     "answersUntil": 1795800600}     # epoch seconds; after that they are no longer read

On the guided path (no LLM), while no guided step is under way, the guest's next plain yes, no,
cancel or change request (as :func:`core.conversation.understanding.understand` read it) runs
that command once, as if its quick reply had been tapped. A command's handler may wait for new
answers with :func:`expect` (e.g. "Shall I cancel it?"). Only the latest wait counts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from core.conversation import handoff, store
from core.conversation.guided_state import GuidedState
from core.conversation.settings import PLUGIN, ConversationSettings
from core.conversation.turn_state import Expectation
from core.conversation.understanding import Understanding
from core.models import Conversation, ConversationStatus, MessageRole

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)

KEYS = ("yes", "no", "cancel", "change")
LOCK_WAIT = 10.0  # the message went out already: recording it does not wait long for a turn in progress


def expect(conversation: Conversation, answers: Mapping[str, str], until: datetime) -> None:
    """Wait for the guest's plain answer: ``answers`` maps ``yes``/``no``/``cancel``/``change`` to a command."""
    wanted = {k: str(v) for k, v in answers.items() if k in KEYS and str(v).startswith("/")}
    Expectation(wanted, until).save(conversation)


def take(conversation: Conversation, understood: Understanding, now: datetime) -> str | None:
    """The command the guest's message answers (then no longer waited for), or None.

    Only while no guided step is under way and before the wait's end; a change or cancel request
    counts before a yes or no ("yes, please cancel" is a cancel)."""
    waiting = Expectation.load(conversation)
    if waiting is None or GuidedState.load(conversation).step:
        return None
    if waiting.over(now):
        Expectation.clear(conversation)
        return None
    key = None
    if understood.intent in ("change", "cancel"):
        key = understood.intent
    elif understood.yes_no is not None:
        key = "yes" if understood.yes_no else "no"
    command = waiting.answers.get(key) if key else None
    if command:
        Expectation.clear(conversation)
    return command


async def say(runtime: Runtime, conversation: Conversation, text: str, now: datetime) -> None:
    """Write a message the bot sent (outside a guest's turn) into the conversation, and tell the dashboard."""
    history = list(conversation.history or [])
    history.append({"role": "assistant", "content": text})
    conversation.history = history[-store.HISTORY_LIMIT :]
    if conversation.status != ConversationStatus.HANDOFF:  # a handoff's silence is counted from the guest
        conversation.last_activity = now
    saved = await store.save_turn(conversation, None, [(MessageRole.BOT, text)], now)
    await handoff.publish(runtime.bus, [handoff.message_event(conversation, m) for m in saved])


async def record_sent(
    runtime: Runtime,
    *,
    restaurant_id: int,
    channel: str,
    chat_id: str,
    text: str,
    payload: Mapping[str, object],
    guest_id: int | None = None,
    language: str = "en",
) -> None:
    """Record a message the outbox sent on a chat in that chat's conversation (created when there is none),
    with the answers its ``payload`` waits for. A failure is logged, never raised: the message went out."""
    if not text:
        return
    now: datetime = runtime.clock()
    expire_after = timedelta(hours=runtime.options(PLUGIN, ConversationSettings).expire_after_hours)
    try:
        async with runtime.cache.lock(handoff.lock_key(restaurant_id, channel, chat_id), timeout=60.0, wait=LOCK_WAIT):
            conversation = await Conversation.filter(
                restaurant_id=restaurant_id, channel=channel, external_chat_id=chat_id
            ).first()
            if conversation is None:  # inserted with its first message by say() (one statement, not two)
                conversation = Conversation(
                    restaurant_id=restaurant_id,
                    channel=channel,
                    external_chat_id=chat_id,
                    language=language,
                    guest_id=guest_id,
                    state={},
                    history=[],
                    last_activity=now,
                )
            store.expire(conversation, now, expire_after)
            if conversation.guest_id is None:
                conversation.guest_id = guest_id
            answers, until = payload.get("answers"), payload.get("answersUntil")
            if isinstance(answers, dict) and isinstance(until, int | float) and until > now.timestamp():
                expect(conversation, answers, datetime.fromtimestamp(until, UTC))
            await say(runtime, conversation, text, now)
    except Exception:
        log.exception("could not record a sent message in conversation %s %s", channel, chat_id)
