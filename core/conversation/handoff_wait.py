"""Nobody left waiting for staff: the worker job that ends a handoff no one answered.

A conversation handed to staff (:mod:`core.conversation.handoff`) with no staff reply for its
restaurant's ``handoff_wait_minutes`` (a restaurant setting; when it is unset, the service's
``handoff_wait_minutes`` of ``[plugins."core.conversation.builtin_tools"]``, default 5) while the
restaurant is open is given back to the bot, and the guest is told so on their channel: nobody could
answer yet, the bot can book, change or cancel right away, or they can call the restaurant. Outside
opening hours the handoff waits for staff (the time is counted from when the restaurant opens). The job
runs on every worker poll (``tobeout_worker_jobs`` of the built-in tools plugin).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import Q

from core.booking.hours import service_intervals, to_local
from core.booking.rules import rules_for
from core.conversation import followup, handoff
from core.conversation.guided_texts import say
from core.conversation.settings import PLUGIN, ConversationSettings
from core.conversation.types import Choice, Reply
from core.errors import ChannelError
from core.models import Conversation, ConversationMessage, ConversationStatus, MessageRole, Restaurant

MIN_WAIT = timedelta(minutes=1)  # the shortest wait a restaurant may set (the API's bound)

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
        self.default_wait = timedelta(minutes=options.handoff_wait_minutes)  # for restaurants without their own
        self.expire_after = timedelta(hours=options.expire_after_hours)  # an older handoff is history

    def wait_for(self, restaurant: Restaurant) -> timedelta:
        """How long a handoff of ``restaurant`` waits for staff: its own setting, else the service's default."""
        minutes = restaurant.handoff_wait_minutes
        return self.default_wait if minutes is None else timedelta(minutes=minutes)

    async def run(self, now: datetime) -> int:
        """Tell the guests whose handoff waited longer than their restaurant's wait at ``now``; how many.

        The handoffs that waited at least the shortest possible wait are read oldest first, a page of
        :data:`BATCH` at a time with their restaurants in the same query; each is then held to its own
        restaurant's wait and opening hours, so a page of handoffs still within a longer wait (or of
        closed restaurants) does not keep the later ones waiting."""
        told = 0
        earliest = now - self.expire_after
        latest = now - min(MIN_WAIT, self.default_wait)
        after: tuple[datetime, int] | None = None
        while True:
            page = Conversation.filter(
                status=ConversationStatus.HANDOFF, handoff_at__lte=latest, handoff_at__gte=earliest
            )
            if after is not None:
                page = page.filter(Q(handoff_at__gt=after[0]) | Q(handoff_at=after[0], id__gt=after[1]))
            due = await page.select_related("restaurant").order_by("handoff_at", "id").limit(BATCH)
            for conversation in due:
                try:
                    told += await self._end(conversation, now)
                except ChannelError as exc:
                    log.warning("handoff wait: could not tell conversation %s: %s", conversation.id, exc)
            if len(due) < BATCH or due[-1].handoff_at is None:
                return told
            after = (due[-1].handoff_at, due[-1].id)

    async def _end(self, conversation: Conversation, now: datetime) -> int:
        restaurant = conversation.restaurant
        wait = self.wait_for(restaurant)
        if conversation.handoff_at is None or conversation.handoff_at > now - wait:
            return 0
        opened = open_since(restaurant, now)
        if opened is None or opened > now - wait:
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
