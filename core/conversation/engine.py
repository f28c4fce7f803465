"""The conversation engine: one inbound guest message in, the replies to send back out.

How a channel uses it::

    engine = runtime.engine        # one per process, built at startup, shared by the channels
    replies = await engine.handle(InboundMessage(
        restaurant_id=7, channel="mychannel", sender_id=guest_id, chat_id=chat_id,
        text="Table for 2 tomorrow at 8pm", message_id=client_message_id))
    ...send each Reply (text + quick-reply choices); [] means send nothing...
    await engine.close()           # at shutdown

A turn, in order:

1. a redelivered message id is dropped (the cache's once-only key, then the unique
   ``processed_messages`` row inside the lock): ``handle`` returns ``[]``;
2. the conversation's rate limit (default 30 messages a minute) answers once, politely,
   in the guest's language, and drops the rest of the minute;
3. the per-conversation lock (``conv:{restaurant}:{channel}:{chat}``, across processes
   with Redis) makes the messages of one conversation run one at a time: in arrival order
   within one process (``asyncio.Lock`` is fair), in no promised order across processes
   (Redis's lock is taken by whichever waiter polls first; see docs/architecture.md); then a
   place among the turns this process works on at once (``turns_at_once``, first come first
   served: :mod:`core.conversation.turn_gate`), given up while a model answers;
4. the conversation is loaded (reset after a long silence, the guest kept) and the guest
   found through their channel identity;
5. the LLM answers with the booking tools when configured (the restaurant's own OpenAI key
   and model when saved, else ``OPENAI_API_KEY``); when it fails or is spent the guided
   path answers that turn; without an LLM the guided path answers (a plain yes / no / change
   answering a message the bot sent on its own, e.g. a reminder, runs the command it waits for:
   :mod:`core.conversation.followup`);
6. the turn is recorded in ``ai_activities`` and the conversation saved.

Options come from the ``[plugins."core.conversation.builtin_tools"]`` table of
``plugins.toml`` (:class:`core.conversation.settings.ConversationSettings`):
``rate_limit_per_minute`` (30), ``expire_after_hours`` (6), ``llm_budget_seconds`` (15),
``max_tool_rounds`` (6), ``handoff_after_misses`` (3: messages in a row the guided path did
not understand before a person takes over), ``turns_at_once`` (8: turns one process works on at
once, the others waiting in arrival order; :mod:`core.conversation.turn_gate`). The tools are
those the loaded plugins offer: with the built-in tools' plugin switched off (``enabled = false``)
the LLM gets only the plugins' tools.

A conversation in ``handoff`` (see :mod:`core.conversation.handoff`) is answered by staff: the
guest's messages are kept in its transcript and announced to staff; the first one after the handoff
is acknowledged once ("a person will answer here"), a request to cancel gives the conversation back
to the bot, which answers it, and :mod:`core.conversation.handoff_wait` tells a guest nobody
answered within its restaurant's ``handoff_wait_minutes`` (inside opening hours) and offers the bot back.

Who answers a turn is one module each: a plugin's command (:mod:`core.conversation.commands`), the LLM
(:mod:`core.conversation.llm_turn`), the guided path (:mod:`core.conversation.guided_turn`).
"""

from __future__ import annotations

import logging
import time as clock
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core import metrics
from core.booking.guests import region_of
from core.booking.hours import to_local
from core.booking.service import BookingService
from core.cache import LockTimeout
from core.conversation import activity, followup, handoff, parsing, ratelimit, restaurant_llm, store
from core.conversation.commands import collect_commands, run_command
from core.conversation.guided import GuidedFlow
from core.conversation.guided_texts import say
from core.conversation.guided_turn import guided_turn
from core.conversation.languages import supported
from core.conversation.llm import LLMClient, LLMUnavailable
from core.conversation.llm_turn import llm_turn, note_failure, report_actions
from core.conversation.restaurant_llm import ChatModel, RestaurantLLMs
from core.conversation.settings import PLUGIN, ConversationSettings
from core.conversation.tools import CommandHandler, Tool, ToolContext
from core.conversation.turn_gate import GateReleasingModel, TurnGate
from core.conversation.types import InboundMessage, Reply, TurnResult
from core.conversation.understanding import understand
from core.errors import NotFound
from core.events import DomainEvent
from core.models import Conversation, ConversationStatus, IntegrationSetting, MessageRole, Restaurant
from core.plugins import call_hook

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 120.0  # longest a turn may hold its conversation's lock
LOCK_WAIT = 60.0  # longest a message waits for the previous one of its conversation


def message_language(text: str, current: str | None) -> str:
    """The guest's language after ``text``: switches only on clear evidence (so "ok", "4" or a name keeps it)."""
    return parsing.detect_language(text, supported(current))


async def collect_tools(runtime: Runtime) -> dict[str, Tool]:
    """Every tool from the ``tobeout_conversation_tools`` hook, by name (first of a name wins)."""
    tools: dict[str, Tool] = {}
    for result in await call_hook(runtime.plugins, "tobeout_conversation_tools", runtime=runtime):
        for tool in result if isinstance(result, list | tuple) else [result]:
            if not isinstance(tool, Tool):
                log.warning("ignoring a conversation tool that is not a Tool: %r", tool)
                continue
            tools.setdefault(tool.name, tool)
    return tools


async def engine_tools(runtime: Runtime) -> dict[str, Tool]:
    """The conversation tools of the runtime's engine (collected once, at start-up)."""
    engine = runtime.engine
    if not isinstance(engine, ConversationEngine):
        raise RuntimeError("this runtime's conversation engine is not ToBeOut's")
    return await engine.tools()


class ConversationEngine:
    """Built once per process from the :class:`core.runtime.Runtime`; ``handle`` is safe to call concurrently."""

    def __init__(self, runtime: Runtime, llm: ChatModel | None = None) -> None:
        self.runtime = runtime
        options = runtime.options(PLUGIN, ConversationSettings)
        self.rate_limit = options.rate_limit_per_minute
        self.expire_after = timedelta(hours=options.expire_after_hours)
        self.max_tool_rounds = options.max_tool_rounds
        self.handoff_after_misses = options.handoff_after_misses
        self.gate = TurnGate(options.turns_at_once)
        if llm is None and runtime.settings.openai_api_key:
            llm = LLMClient(runtime.settings, budget=options.llm_budget_seconds)
        self.llm = llm  # the service's model (OPENAI_API_KEY), the default of every restaurant
        self.llms = RestaurantLLMs(runtime.settings, llm, budget=options.llm_budget_seconds)
        self.service = BookingService(runtime.bus, runtime.clock)
        self._tools: dict[str, Tool] | None = None
        self._commands: dict[str, CommandHandler] | None = None

    async def commands(self) -> dict[str, CommandHandler]:
        """The plugins' commands by name (``tobeout_conversation_commands``), collected once."""
        if self._commands is None:
            self._commands = await collect_commands(self.runtime)
        return self._commands

    async def tools(self) -> dict[str, Tool]:
        """The conversation tools by name (collected from the plugins once)."""
        if self._tools is None:
            self._tools = await collect_tools(self.runtime)
        return self._tools

    async def close(self) -> None:
        """Release the LLM clients' connections."""
        await self.llms.close()
        if self.llm is not None and hasattr(self.llm, "close"):
            await self.llm.close()

    # ---------------------------------------------------------------- the turn

    async def handle(self, message: InboundMessage) -> list[Reply]:
        """Handle one inbound message; ``[]`` when there is nothing to send (a redelivery, or a
        conversation a person answers). See :meth:`handle_turn` to tell those apart.

        Raises ``NotFound`` for an unknown restaurant; any other failure becomes an apology.
        """
        return (await self.handle_turn(message)).replies

    async def handle_turn(self, message: InboundMessage, restaurant: Restaurant | None = None) -> TurnResult:
        """Handle one inbound message and say what was done with it (see :class:`TurnResult`).

        ``restaurant``: the message's restaurant when the channel has just read its row (the web chat reads
        it to check the caller's origin), so the turn does not read it again; else the turn reads it."""
        cache = self.runtime.cache
        count = await store.arrive(cache, message, ratelimit.counter(message, self.runtime.clock()))
        if count is None:
            return TurnResult([], duplicate=True)
        if count > self.rate_limit:
            metrics.count_turn("rate_limited")
            if count == self.rate_limit + 1:
                return TurnResult([Reply(say(message_language(message.text, message.language_hint), "rate_limited"))])
            return TurnResult([])
        key = handoff.lock_key(message.restaurant_id, message.channel, message.chat_id)
        try:
            async with cache.lock(key, timeout=LOCK_TIMEOUT, wait=LOCK_WAIT), self.gate.held():
                return await self._turn(message, restaurant)
        except LockTimeout:
            metrics.count_turn("busy")
            return TurnResult([Reply(say(message_language(message.text, message.language_hint), "busy"))])
        except NotFound:
            raise
        except Exception:
            log.exception("conversation turn failed (%s %s)", message.channel, message.chat_id)
            metrics.count_turn("error")
            return TurnResult([Reply(say(message_language(message.text, message.language_hint), "error"))])

    async def _turn(self, message: InboundMessage, restaurant: Restaurant | None) -> TurnResult:
        started = clock.perf_counter()
        if restaurant is None or restaurant.id != message.restaurant_id:
            restaurant = await Restaurant.get_or_none(id=message.restaurant_id)
        if restaurant is None:
            raise NotFound(f"restaurant {message.restaurant_id} not found")
        now = self.runtime.clock()
        loaded = await store.claim_and_load(
            message, now, self.expire_after, restaurant.default_language, integration_type=restaurant_llm.TYPE
        )
        if loaded is None:
            return TurnResult([], duplicate=True)
        conversation, arrived = loaded
        events: list[DomainEvent] = []
        if conversation.status == ConversationStatus.HANDOFF and now - conversation.last_activity > self.expire_after:
            handoff.release(conversation)  # nobody answered for hours: the bot is back rather than silent forever
            events.append(handoff.event(handoff.CONVERSATION_HANDBACK, conversation, "system", reason="expired"))
        if not message.text.startswith("/"):  # a command ("/start", a quick reply's value) says nothing of it
            conversation.language = message_language(message.text, conversation.language)
        guest = await store.identify_guest(message, conversation, arrived.guest)
        if guest is not None:
            conversation.guest_id = guest.id
        if conversation.status == ConversationStatus.HANDOFF:
            waiting = await self._handed_off(message, conversation, restaurant, now, events)
            if waiting is not None:
                metrics.count_turn("staff", clock.perf_counter() - started)
                return waiting
        context = ToolContext(
            runtime=self.runtime,
            restaurant=restaurant,
            conversation=conversation,
            guest=guest,
            now=now,
            service=self.service,
            channel=message.channel,
            sender_id=message.sender_id,
            channel_phone=message.phone,
            language=conversation.language,
        )
        turn = activity.TurnLog(restaurant.id, message.text, at=now)
        try:
            replies = await self._respond(context, message.text, turn, started, arrived.integration)
            answered_by = turn.answered_by()
        except Exception as exc:
            answered_by = "error"
            log.exception("conversation turn failed (%s %s)", message.channel, message.chat_id)
            replies = [Reply(say(context.language, "error"))]
            turn.add(activity.ERROR, response=replies[0].text, error=f"{exc.__class__.__name__}: {exc}")
        reason = context.turn.handoff
        if reason and handoff.start(conversation, now):
            events.append(handoff.event(handoff.CONVERSATION_HANDOFF, conversation, "guest", reason=reason))
            turn.add(activity.HANDOFF, reason=reason, path=turn.path(), language=conversation.language)
        conversation.last_activity = now
        reply_text = "\n".join(r.text for r in replies)
        store.remember(conversation, message.text, reply_text)
        written = [(MessageRole.GUEST, message.text)] + ([(MessageRole.BOT, reply_text)] if reply_text else [])
        saved = await store.save_turn(conversation, turn, written, now)
        await handoff.publish(self.runtime.bus, [*(handoff.message_event(conversation, m) for m in saved), *events])
        metrics.count_turn(answered_by, clock.perf_counter() - started)
        return TurnResult(replies, language=conversation.language)

    async def _handed_off(
        self,
        message: InboundMessage,
        conversation: Conversation,
        restaurant: Restaurant,
        now: datetime,
        events: list[DomainEvent],
    ) -> TurnResult | None:
        """A message while a person is to answer: kept for staff and announced; the first one after the handoff
        is acknowledged ("a person will answer here"), the others are not answered by the bot. A guest asking
        to cancel is not left waiting: the bot takes the conversation back and answers (None: go on with the turn)."""
        understood = understand(
            message.text,
            to_local(now, restaurant.timezone)[0],
            language=conversation.language,
            detect=False,
            region=region_of(restaurant.phone),
        )
        if understood.intent == "cancel":
            handoff.release(conversation)
            events.append(handoff.event(handoff.CONVERSATION_HANDBACK, conversation, "guest", reason="guest_cancel"))
            return None
        conversation.last_activity = now
        reply = say(conversation.language, "handoff_ack") if handoff.acknowledge(conversation) else ""
        store.remember(conversation, message.text, reply)
        written = [(MessageRole.GUEST, message.text)] + ([(MessageRole.BOT, reply)] if reply else [])
        saved = await store.save_turn(conversation, None, written, now)
        await handoff.publish(self.runtime.bus, [*events, *(handoff.message_event(conversation, m) for m in saved)])
        if reply:
            return TurnResult([Reply(reply)], language=conversation.language)
        return TurnResult([], silent=True, language=conversation.language)

    async def start_change(self, restaurant_id: int, conversation_id: int, reservation_id: int) -> list[Reply]:
        """Start the guided change of reservation ``reservation_id`` in conversation ``conversation_id``
        (e.g. the guest answered "change" to a reminder); returns the replies to send on the conversation's
        channel. The reservation must be the conversation's guest's own; the guest's next messages go on with
        the change (new day, time or party size, then a confirmation). ``[]`` while a person answers the
        conversation (handoff). Raises ``NotFound`` for another restaurant's conversation."""
        conversation = await handoff.find(restaurant_id, conversation_id)
        key = handoff.lock_key(restaurant_id, conversation.channel, conversation.external_chat_id)
        async with self.runtime.cache.lock(key, timeout=LOCK_TIMEOUT, wait=LOCK_WAIT):
            await conversation.refresh_from_db()
            if conversation.status == ConversationStatus.HANDOFF:
                return []
            restaurant = await Restaurant.get(id=restaurant_id)
            now = self.runtime.clock()
            guest = await store.identify_guest_of(conversation)
            context = ToolContext(
                runtime=self.runtime,
                restaurant=restaurant,
                conversation=conversation,
                guest=guest,
                now=now,
                service=self.service,
                channel=conversation.channel,
                sender_id=conversation.external_chat_id,
                language=conversation.language,
            )
            result = await GuidedFlow(context, await self.tools()).start_change(reservation_id)
            await followup.say(self.runtime, conversation, "\n".join(r.text for r in result.replies), now)
        return result.replies

    async def _respond(
        self,
        context: ToolContext,
        text: str,
        turn: activity.TurnLog,
        started: float,
        settings: IntegrationSetting | None,
    ) -> list[Reply]:
        """The answer to ``text``: a plugin's command, else the LLM with the tools (the restaurant's own model
        when its ``openai`` ``settings`` say so), else the guided path."""
        commanded = await run_command(await self.commands(), context, text, turn, started)
        if commanded is not None:
            return commanded
        fallback: LLMUnavailable | None = None
        model = await self.llms.for_settings(settings)
        if model is not None:
            llm = GateReleasingModel(model, self.gate)
            try:
                tools, rounds = await self.tools(), self.max_tool_rounds
                return await llm_turn(llm, context, text, turn, started, tools=tools, max_tool_rounds=rounds)
            except LLMUnavailable as exc:
                fallback = exc
                note_failure(exc, context, turn)
                if context.turn.actions:
                    return await report_actions(self.service, context, turn, started)
        return await guided_turn(
            context,
            text,
            turn,
            started,
            fallback=fallback,
            tools=await self.tools(),
            commands=await self.commands(),
            handoff_after_misses=self.handoff_after_misses,
        )
