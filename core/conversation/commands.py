"""The plugins' conversation commands: a guest message ``/name argument`` (a quick reply's value, or the command a
plain answer stands for: :mod:`core.conversation.followup`) answered by the handler a plugin offers through
``tobeout_conversation_commands``, instead of the LLM or the guided flow."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from core.conversation import activity
from core.conversation.tools import CommandHandler, ToolContext
from core.conversation.types import Reply
from core.plugins import call_hook

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)


async def collect_commands(runtime: Runtime) -> dict[str, CommandHandler]:
    """The plugins' commands by name (``tobeout_conversation_commands``; first of a name wins)."""
    found: dict[str, CommandHandler] = {}
    for result in await call_hook(runtime.plugins, "tobeout_conversation_commands", runtime=runtime):
        if not isinstance(result, Mapping):
            log.warning("ignoring conversation commands that are not a mapping of name to handler: %r", result)
            continue
        for name, handler in result.items():
            found.setdefault(str(name).lower(), handler)
    return found


async def run_command(
    commands: Mapping[str, CommandHandler], context: ToolContext, text: str, turn: activity.TurnLog, started: float
) -> list[Reply] | None:
    """A plugin's ``/command argument`` (a quick reply's value) answered by its handler; None otherwise."""
    if not text.startswith("/"):
        return None
    name, _, argument = text[1:].partition(" ")
    handler = commands.get(name.lower())
    if handler is None:
        return None
    replies = list(await handler(context, argument.strip()))
    turn.add(
        activity.RESPONSE_GENERATED,
        response="\n".join(r.text for r in replies),
        path="command",
        command=name.lower(),
        latency_ms=activity.ms_since(started),
    )
    return replies
