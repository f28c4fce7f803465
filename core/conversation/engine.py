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
   (Redis's lock is taken by whichever waiter polls first; see docs/architecture.md);
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
not understand before a person takes over). The tools are those the loaded plugins offer: with
the built-in tools' plugin switched off (``enabled = false``) the LLM gets only the plugins' tools.

A conversation in ``handoff`` (see :mod:`core.conversation.handoff`) is answered by staff: the
guest's messages are kept in its transcript and announced to staff; the first one after the handoff
is acknowledged once ("a person will answer here"), a request to cancel gives the conversation back
to the bot, which answers it, and :mod:`core.conversation.handoff_wait` tells a guest nobody
answered within its restaurant's ``handoff_wait_minutes`` (inside opening hours) and offers the bot back.
"""

from __future__ import annotations

import json
import logging
import time as clock
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core import metrics
from core.booking.guests import region_of
from core.booking.hours import to_local
from core.booking.rules import rules_for
from core.booking.service import BookingService
from core.cache import LockTimeout
from core.conversation import activity, followup, handoff, parsing, ratelimit, store
from core.conversation.guided import GuidedFlow, GuidedResult
from core.conversation.guided_state import GuidedState
from core.conversation.guided_texts import say, summary
from core.conversation.languages import supported
from core.conversation.llm import Completion, LLMClient, LLMUnavailable
from core.conversation.prompt import build_system_prompt
from core.conversation.restaurant_llm import ChatModel, RestaurantLLMs
from core.conversation.settings import PLUGIN, ConversationSettings
from core.conversation.tools import CommandHandler, Tool, ToolAction, ToolContext, run_tool
from core.conversation.types import InboundMessage, Reply, TurnResult
from core.conversation.understanding import understand
from core.errors import NotFound
from core.events import DomainEvent
from core.jsontypes import JSONObject
from core.models import Conversation, ConversationStatus, MessageRole, Restaurant
from core.plugins import call_hook

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 120.0  # longest a turn may hold its conversation's lock
LOCK_WAIT = 60.0  # longest a message waits for the previous one of its conversation
BOOKING_TOOLS = {"check_availability", "find_alternative_times", "create_reservation"}
# How the fallback words a reservation change a tool made (any other tool that changes one: "llm_did").
ACTION_TOOLS = {
    "create_reservation": "llm_booked",
    "modify_reservation": "llm_did",
    "cancel_reservation": "llm_canceled",
}


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
            found: dict[str, CommandHandler] = {}
            for result in await call_hook(self.runtime.plugins, "tobeout_conversation_commands", runtime=self.runtime):
                if not isinstance(result, Mapping):
                    log.warning("ignoring conversation commands that are not a mapping of name to handler: %r", result)
                    continue
                for name, handler in result.items():
                    found.setdefault(str(name).lower(), handler)
            self._commands = found
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
        if await store.seen_before(cache, message):
            return TurnResult([], duplicate=True)
        count = await ratelimit.count_message(cache, message, self.runtime.clock())
        if count > self.rate_limit:
            metrics.count_turn("rate_limited")
            if count == self.rate_limit + 1:
                return TurnResult([Reply(say(message_language(message.text, message.language_hint), "rate_limited"))])
            return TurnResult([])
        key = handoff.lock_key(message.restaurant_id, message.channel, message.chat_id)
        try:
            async with cache.lock(key, timeout=LOCK_TIMEOUT, wait=LOCK_WAIT):
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
        if not await store.claim_message(message):
            return TurnResult([], duplicate=True)
        now = self.runtime.clock()
        conversation = await store.load_conversation(message, now, self.expire_after, restaurant.default_language)
        events: list[DomainEvent] = []
        if conversation.status == ConversationStatus.HANDOFF and now - conversation.last_activity > self.expire_after:
            handoff.release(conversation)  # nobody answered for hours: the bot is back rather than silent forever
            events.append(handoff.event(handoff.CONVERSATION_HANDBACK, conversation, "system", reason="expired"))
        if not message.text.startswith("/"):  # a command ("/start", a quick reply's value) says nothing of it
            conversation.language = message_language(message.text, conversation.language)
        guest = await store.identify_guest(message, conversation)
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
            replies = await self._respond(context, message.text, turn, started)
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

    async def _respond(self, context: ToolContext, text: str, turn: activity.TurnLog, started: float) -> list[Reply]:
        commanded = await self._command(context, text, turn, started)
        if commanded is not None:
            return commanded
        fallback: LLMUnavailable | None = None
        llm = await self.llms.for_restaurant(context.restaurant_id)
        if llm is not None:
            try:
                return await self._llm_turn(llm, context, text, turn, started)
            except LLMUnavailable as exc:
                fallback = exc
                metrics.count_llm_failure(
                    metrics.llm_failure_reason(exc.status, circuit_open=exc.circuit_open, answered=exc.answered)
                )
                turn.add(
                    activity.FALLBACK,
                    error=exc.reason,
                    status=exc.status,
                    attempts=exc.attempts,
                    llm_latency_ms=exc.latency_ms,
                    actions=[action.as_json() for action in context.turn.actions],
                    circuit_open=exc.circuit_open,
                    language=context.language,
                )
                if context.turn.actions:
                    return await self._report_actions(context, turn, started)
        # The one understanding step: the message is read once; the guided path acts on the result.
        restaurant = context.restaurant
        step = GuidedState.load(context.conversation).step
        understood = understand(
            text,
            to_local(context.now, restaurant.timezone)[0],
            language=context.language,
            detect=False,
            region=region_of(restaurant.phone),
            expecting=step,
        )
        answered = followup.take(context.conversation, understood, context.now)  # e.g. "yes" to a reminder
        if answered is not None:
            context.turn.understood = understood
            commanded = await self._command(context, answered, turn, started)
            if commanded is not None:
                return commanded
        result = await GuidedFlow(context, await self.tools()).respond(understood)
        self._count_misses(context, result)
        if result.started_booking:
            turn.add(activity.RESERVATION_INTENT, confidence=result.confidence, path="guided", **result.understood)
        turn.add(
            activity.RESPONSE_GENERATED,
            response="\n".join(r.text for r in result.replies),
            confidence=result.confidence,
            path="guided",
            fallback=fallback is not None,
            intent=result.intent,
            step=GuidedState.load(context.conversation).step,
            latency_ms=_ms(started),
        )
        return result.replies

    async def _command(
        self, context: ToolContext, text: str, turn: activity.TurnLog, started: float
    ) -> list[Reply] | None:
        """A plugin's ``/command argument`` (a quick reply's value) answered by its handler; None otherwise."""
        if not text.startswith("/"):
            return None
        name, _, argument = text[1:].partition(" ")
        handler = (await self.commands()).get(name.lower())
        if handler is None:
            return None
        replies = list(await handler(context, argument.strip()))
        turn.add(
            activity.RESPONSE_GENERATED,
            response="\n".join(r.text for r in replies),
            path="command",
            command=name.lower(),
            latency_ms=_ms(started),
        )
        return replies

    def _count_misses(self, context: ToolContext, result: GuidedResult) -> None:
        """Several messages in a row not understood: a person takes over (the guest is told so)."""
        state = dict(context.conversation.state or {})
        state["misses"] = int(state.get("misses") or 0) + 1 if result.confidence < 0.5 else 0
        context.conversation.state = state
        if state["misses"] >= self.handoff_after_misses and not context.turn.handoff:
            context.turn.handoff = handoff.NOT_UNDERSTOOD
            state["misses"] = 0
            result.replies = [Reply(say(context.language, "handoff_not_understood"))]

    async def _llm_turn(
        self, llm: ChatModel, context: ToolContext, text: str, turn: activity.TurnLog, started: float
    ) -> list[Reply]:
        tools = await self.tools()
        specs = [tool.spec() for tool in tools.values()]
        system = build_system_prompt(
            context.restaurant,
            rules_for(context.restaurant),
            context.now,
            guest=context.guest,
            channel=context.channel,
            language=context.language,
        )
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": system},
            *(context.conversation.history or []),
            {"role": "user", "content": text},
        ]
        calls: list[JSONObject] = []
        tokens: dict[str, int] = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
        llm_ms = attempts = 0
        model = None
        for _ in range(self.max_tool_rounds):
            completion = await _timed_completion(llm, messages, specs)
            model, llm_ms, attempts = completion.model, llm_ms + completion.latency_ms, attempts + completion.attempts
            for k in tokens:
                tokens[k] += completion.usage.get(k, 0)
            reply = completion.message
            if not reply.tool_calls:
                answer = (reply.content or "").strip()
                if not answer:
                    raise LLMUnavailable(
                        "the model answered with no text", attempts=attempts, latency_ms=llm_ms, answered=True
                    )
                if any(c["name"] in BOOKING_TOOLS for c in calls):
                    turn.add(activity.RESERVATION_INTENT, path="llm", tools=[c["name"] for c in calls])
                turn.add(
                    activity.RESPONSE_GENERATED,
                    response=answer,
                    path="llm",
                    model=model,
                    tool_calls=calls,
                    latency_ms=_ms(started),
                    llm_latency_ms=llm_ms,
                    attempts=attempts,
                    prompt_tokens=tokens["prompt_tokens"],
                    completion_tokens=tokens["completion_tokens"],
                    total_tokens=tokens["total_tokens"],
                )
                GuidedState().save(context.conversation)
                return [Reply(answer)]
            calls_made = [c.model_dump(exclude_none=True) for c in reply.tool_calls]
            messages.append({"role": "assistant", "content": reply.content, "tool_calls": calls_made})
            for call in reply.tool_calls:
                messages.append(await self._call_tool(tools, context, call, calls, turn))
        raise LLMUnavailable(
            f"no answer after {self.max_tool_rounds} rounds of tool calls",
            attempts=attempts,
            latency_ms=llm_ms,
            answered=True,
        )

    async def _call_tool(
        self,
        tools: dict[str, Tool],
        context: ToolContext,
        call: object,
        calls: list[JSONObject],
        turn: activity.TurnLog,
    ) -> dict[str, Any]:
        """Run one tool call of the model, record it, and return the ``tool`` message for the model."""
        function = getattr(call, "function", None)
        tool_started = clock.perf_counter()
        result: JSONObject
        if function is None:
            name, arguments, result = getattr(call, "type", "?"), None, {"error": "only function tools are supported"}
        else:
            name, arguments = function.name, function.arguments
            result = await run_tool(tools, context, name, arguments)
        ms = _ms(tool_started)
        ok = "error" not in result
        calls.append({"name": name, "ok": ok, "latency_ms": ms})
        turn.add(activity.TOOL_CALL, message=name, arguments=arguments, result=result, ok=ok, latency_ms=ms)
        tool = tools.get(name)
        changed = result.get("reservation")
        if ok and tool is not None and tool.changes_reservation and isinstance(changed, dict):
            if isinstance(rid := changed.get("id"), int):
                context.turn.actions.append(ToolAction(name, rid))
        content = json.dumps(result, ensure_ascii=False, default=str)
        return {"role": "tool", "tool_call_id": getattr(call, "id", None), "content": content}

    async def _report_actions(self, context: ToolContext, turn: activity.TurnLog, started: float) -> list[Reply]:
        """The LLM failed after changing a reservation in this turn: tell the guest what was done."""
        lines = []
        guest_id = context.guest.id if context.guest is not None else 0  # the guardrail stays: 0 is nobody
        for action in context.turn.actions:
            r = await self.service.get(context.restaurant_id, action.reservation_id, guest_id=guest_id)
            line = summary(context.language, r.date, r.time, r.guests)
            lines.append(say(context.language, ACTION_TOOLS.get(action.tool, "llm_did"), id=r.id, summary=line))
        text = " ".join(lines)
        GuidedState().save(context.conversation)
        turn.add(activity.RESPONSE_GENERATED, response=text, path="fallback", fallback=True, latency_ms=_ms(started))
        return [Reply(text)]


async def _timed_completion(llm: ChatModel, messages: list[dict[str, Any]], specs: list[dict[str, Any]]) -> Completion:
    """``llm.complete(...)``, its latency counted (a refusal by the open circuit asked nothing: not counted)."""
    try:
        completion = await llm.complete(messages, specs)
    except LLMUnavailable as exc:
        if not exc.circuit_open:
            metrics.observe_llm(exc.latency_ms / 1000, ok=False)
        raise
    metrics.observe_llm(completion.latency_ms / 1000, ok=True)
    return completion


def _ms(since: float) -> int:
    return int((clock.perf_counter() - since) * 1000)
