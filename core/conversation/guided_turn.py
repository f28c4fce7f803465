"""The guided path of a turn: the message is understood once; a plain answer to what the bot asked on its
own (a reminder's "yes": :mod:`core.conversation.followup`) runs the command it stands for, else the guided flow
answers; several messages in a row not understood hand the conversation to a person."""

from __future__ import annotations

from collections.abc import Mapping

from core.booking.guests import region_of
from core.booking.hours import to_local
from core.conversation import activity, followup, handoff
from core.conversation.commands import run_command
from core.conversation.guided import GuidedFlow, GuidedResult
from core.conversation.guided_state import GuidedState
from core.conversation.guided_texts import say
from core.conversation.llm import LLMUnavailable
from core.conversation.tools import CommandHandler, Tool, ToolContext
from core.conversation.turn_state import Misses
from core.conversation.types import Reply
from core.conversation.understanding import understand


async def guided_turn(
    context: ToolContext,
    text: str,
    turn: activity.TurnLog,
    started: float,
    *,
    fallback: LLMUnavailable | None,
    tools: dict[str, Tool],
    commands: Mapping[str, CommandHandler],
    handoff_after_misses: int,
) -> list[Reply]:
    """The guided path's answer to ``text`` (``fallback``: the LLM's failure it answers for, if any); the
    turn is recorded in ``turn``."""
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
        commanded = await run_command(commands, context, answered, turn, started)
        if commanded is not None:
            return commanded
    result = await GuidedFlow(context, tools).respond(understood)
    count_misses(context, result, handoff_after_misses)
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
        latency_ms=activity.ms_since(started),
    )
    return result.replies


def count_misses(context: ToolContext, result: GuidedResult, handoff_after_misses: int) -> None:
    """Several messages in a row not understood: a person takes over (the guest is told so)."""
    misses = Misses.load(context.conversation)
    misses.count = misses.count + 1 if result.confidence < 0.5 else 0
    if misses.count >= handoff_after_misses and not context.turn.handoff:
        context.turn.handoff = handoff.NOT_UNDERSTOOD
        misses.count = 0
        result.replies = [Reply(say(context.language, "handoff_not_understood"))]
    misses.save(context.conversation)
