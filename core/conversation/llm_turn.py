"""The LLM path of a turn: the model answers the guest with the booking tools (a few rounds of tool calls at
most), each call recorded; when the model fails, the failure is counted, and when a tool had already changed a
reservation in that turn, the guest is told what was done (:func:`report_actions`)."""

from __future__ import annotations

import json
import time as clock
from typing import TYPE_CHECKING, Any

from core import metrics
from core.booking.rules import rules_for
from core.conversation import activity
from core.conversation.guided_state import GuidedState
from core.conversation.guided_texts import say, summary
from core.conversation.llm import Completion, LLMUnavailable
from core.conversation.prompt import build_system_prompt
from core.conversation.restaurant_llm import ChatModel
from core.conversation.tools import Tool, ToolAction, ToolContext, run_tool
from core.conversation.types import Reply
from core.jsontypes import JSONObject

if TYPE_CHECKING:
    from core.booking.service import BookingService

BOOKING_TOOLS = {"check_availability", "find_alternative_times", "create_reservation"}
# How the fallback words a reservation change a tool made (any other tool that changes one: "llm_did").
ACTION_TOOLS = {
    "create_reservation": "llm_booked",
    "modify_reservation": "llm_did",
    "cancel_reservation": "llm_canceled",
}


async def llm_turn(
    llm: ChatModel,
    context: ToolContext,
    text: str,
    turn: activity.TurnLog,
    started: float,
    *,
    tools: dict[str, Tool],
    max_tool_rounds: int,
) -> list[Reply]:
    """The model's answer to ``text``, with the ``tools`` (at most ``max_tool_rounds`` rounds of calls); the
    turn is recorded in ``turn``. ``LLMUnavailable`` when it fails, answers nothing or calls tools too long."""
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
    for _ in range(max_tool_rounds):
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
                latency_ms=activity.ms_since(started),
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
            messages.append(await call_tool(tools, context, call, calls, turn))
    raise LLMUnavailable(
        f"no answer after {max_tool_rounds} rounds of tool calls",
        attempts=attempts,
        latency_ms=llm_ms,
        answered=True,
    )


async def call_tool(
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
    ms = activity.ms_since(tool_started)
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


def note_failure(exc: LLMUnavailable, context: ToolContext, turn: activity.TurnLog) -> None:
    """Count the model's failure and record it in ``turn`` (the guided path answers the turn instead)."""
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


async def report_actions(
    service: BookingService, context: ToolContext, turn: activity.TurnLog, started: float
) -> list[Reply]:
    """The LLM failed after changing a reservation in this turn: tell the guest what was done."""
    lines = []
    guest_id = context.guest.id if context.guest is not None else 0  # the guardrail stays: 0 is nobody
    for action in context.turn.actions:
        r = await service.get(context.restaurant_id, action.reservation_id, guest_id=guest_id)
        line = summary(context.language, r.date, r.time, r.guests)
        lines.append(say(context.language, ACTION_TOOLS.get(action.tool, "llm_did"), id=r.id, summary=line))
    text = " ".join(lines)
    GuidedState().save(context.conversation)
    turn.add(
        activity.RESPONSE_GENERATED,
        response=text,
        path="fallback",
        fallback=True,
        latency_ms=activity.ms_since(started),
    )
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
