"""Nobody left waiting for staff: the worker job that ends a handoff no one answered.

A conversation handed to staff (:mod:`core.conversation.handoff`) with no staff reply for
``handoff_wait_minutes`` (``[plugins."core.conversation.builtin_tools"]``, default 5) while the
restaurant is open is given back to the bot, and the guest is told so on their channel: nobody could
answer yet, the bot can book, change or cancel right away, or they can call the restaurant. Outside
opening hours the handoff waits for staff (the time is counted from when the restaurant opens). The job
runs on every worker poll (``tobeout_worker_jobs`` of the built-in tools plugin).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.booking.hours import service_intervals, to_local
from core.booking.rules import rules_for
from core.conversation import followup, handoff
from core.conversation.guided_texts import say
from core.conversation.settings import PLUGIN, ConversationSettings
from core.conversation.types import Choice, Reply
from core.errors import ChannelError
from core.models import Conversation, ConversationMessage, ConversationStatus, MessageRole, Restaurant

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)
BATCH = 100  # conversations looked at per poll


def open_since(restaurant: Restaurant, now: datetime) -> datetime | None:
    """When the restaurant's current opening began (an aware instant), or None when it is closed at ``now``."""
    rules = rules_for(restaurant)
    today = to_local(now, rules.tz)[0]
    for day in (today - timedelta(days=1), today):  # an opening that began yesterday may still run
        for opens, closes in service_intervals(day, rules):
            if opens <= now < closes:
                return opens
    return None


def timeout_reply(restaurant: Restaurant, language: str) -> Reply:
    """What the guest is told when nobody answered: the bot is back (book, change, cancel) or the phone."""
    key = "handoff_timeout" if restaurant.phone else "handoff_timeout_no_phone"
    text = say(language, key, phone=restaurant.phone or "")
    choices = (
        Choice(say(language, "book"), say(language, "book")),
        Choice(say(language, "mine"), say(language, "mine")),
    )
    return Reply(text, choices)


class HandoffWaitJob:
    """The worker job: gives back to the bot the handoffs nobody answered in time, telling the guest."""

    name, order = "handoff_wait", 60

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        options = runtime.options(PLUGIN, ConversationSettings)
        self.wait = timedelta(minutes=options.handoff_wait_minutes)
        self.expire_after = timedelta(hours=options.expire_after_hours)  # an older handoff is history

    async def run(self, now: datetime) -> int:
        """Tell the guests whose handoff waited longer than the wait at ``now``; how many were told."""
        told = 0
        due = await Conversation.filter(
            status=ConversationStatus.HANDOFF, handoff_at__lte=now - self.wait, handoff_at__gte=now - self.expire_after
        ).limit(BATCH)
        for conversation in due:
            try:
                told += await self._end(conversation, now)
            except ChannelError as exc:
                log.warning("handoff wait: could not tell conversation %s: %s", conversation.id, exc)
        return told

    async def _end(self, conversation: Conversation, now: datetime) -> int:
        restaurant = await Restaurant.get(id=conversation.restaurant_id)
        opened = open_since(restaurant, now)
        if opened is None or conversation.handoff_at is None or max(conversation.handoff_at, opened) > now - self.wait:
            return 0
        adapter = self.runtime.channels.get(conversation.channel)
        if adapter is None:
            return 0
        key = handoff.lock_key(conversation.restaurant_id, conversation.channel, conversation.external_chat_id)
        async with self.runtime.cache.lock(key, timeout=handoff.LOCK_TIMEOUT, wait=handoff.LOCK_TIMEOUT):
            await conversation.refresh_from_db()
            answered = await ConversationMessage.filter(
                conversation_id=conversation.id, role=MessageRole.STAFF, created_at__gte=conversation.handoff_at
            ).exists()
            if conversation.status != ConversationStatus.HANDOFF or answered:
                return 0
            reply = timeout_reply(restaurant, conversation.language)
            await adapter.send(conversation.restaurant_id, conversation.external_chat_id, [reply])
            handoff.release(conversation)
            await followup.say(self.runtime, conversation, reply.text, now)
        await handoff.publish(
            self.runtime.bus, [handoff.event(handoff.CONVERSATION_HANDBACK, conversation, "system", reason="no_answer")]
        )
        return 1
