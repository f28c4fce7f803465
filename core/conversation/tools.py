"""Tools the LLM may call: what a tool is, what it is handed, and how a call is run safely.

A :class:`Tool` has a name, a description, JSON-schema ``parameters`` and an
``async handler(context, args) -> dict``; :meth:`Tool.from_model` generates the
parameters from the pydantic model the handler validates its arguments with (so the
model's limits, e.g. lengths, reach the LLM). A tool that changes a reservation says so
(``changes_reservation=True``, its result carrying ``{"reservation": {"id", ...}}``): the
engine then reports what it did even when the LLM fails afterwards, for plugin tools too.
The built-in booking tools live in
:mod:`core.conversation.booking_tools` (offered by the plugin :mod:`core.conversation.builtin_tools`);
plugins add their own through the
``tobeout_conversation_tools`` hook (the first tool of a name wins, and built-ins
come last, so a plugin can replace one).

:func:`run_tool` never raises: malformed JSON, unknown tools, bad arguments
(``pydantic.ValidationError``) and domain errors (``BookingRefused``,
``SlotUnavailable`` with its alternatives, ``NotFound``) all come back as
``{"error": ...}`` results the model can explain to the guest.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import pydantic

from core.conversation.types import Reply
from core.errors import DomainError
from core.jsontypes import JSON, JSONObject

if TYPE_CHECKING:
    from core.booking.service import BookingService
    from core.conversation.understanding import Understanding
    from core.models import Conversation, Guest, Restaurant
    from core.runtime import Runtime

log = logging.getLogger(__name__)

BUILTIN_PLUGIN = "core.conversation.builtin_tools"


@dataclass(frozen=True)
class ToolAction:
    """A reservation a tool changed in this turn (told to the guest if the model fails afterwards)."""

    tool: str
    reservation_id: int

    def as_json(self) -> JSONObject:
        """As recorded in the turn's activity."""
        return {"tool": self.tool, "reservation_id": self.reservation_id}


@dataclass
class TurnState:
    """What one turn learns as it runs, read by the engine when it ends (typed, instead of ``extras`` keys)."""

    #: why a person should take over now (:data:`core.conversation.handoff.GUEST_ASKED`, ``NOT_UNDERSTOOD``)
    handoff: str | None = None
    #: what the tools did to reservations this turn, in order
    actions: list[ToolAction] = field(default_factory=list)
    #: the guided path's reading of the guest's message, when it read one
    understood: Understanding | None = None


@dataclass
class ToolContext:
    """Who is asking and where: every tool acts only as ``guest`` in ``restaurant``.

    ``guest`` is None until the guest is known (a channel identity, or a name given
    while booking); :func:`core.conversation.booking_tools.create_reservation` sets it.
    ``channel_phone`` is the number the channel vouches for (WhatsApp), else None.
    """

    runtime: Runtime
    restaurant: Restaurant
    conversation: Conversation
    guest: Guest | None
    now: datetime
    service: BookingService
    channel: str
    sender_id: str
    channel_phone: str | None = None
    language: str = "en"
    turn: TurnState = field(default_factory=TurnState)
    #: a plugin's own per-turn values (the core's are typed in ``turn``)
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def restaurant_id(self) -> int:
        """The id of the conversation's restaurant."""
        return int(self.restaurant.id)


#: a tool's arguments as the model sent them (a JSON object; the guided flow passes Python values too):
#: a handler validates them (a pydantic model) before use
ToolArgs = Mapping[str, object]
#: a tool's result: plain values, dates and times, containers of them (:func:`jsonable` writes it out)
ToolResult = Mapping[str, object]
Handler = Callable[[ToolContext, ToolArgs], Awaitable[ToolResult]]
#: a plugin's conversation command (``tobeout_conversation_commands``): ``await handler(context, argument)``
CommandHandler = Callable[[ToolContext, str], Awaitable[list[Reply]]]


@dataclass
class Tool:
    """One function the model may call (and the guided flow's booking actions)."""

    name: str
    description: str
    parameters: JSONObject
    handler: Handler
    changes_reservation: bool = False

    @classmethod
    def from_model(
        cls,
        name: str,
        description: str,
        arguments: type[pydantic.BaseModel],
        handler: Handler,
        *,
        changes_reservation: bool = False,
    ) -> Tool:
        """A tool whose JSON-schema parameters are generated from its pydantic ``arguments`` model."""
        return cls(name, description, schema_of(arguments), handler, changes_reservation)

    def spec(self) -> JSONObject:
        """The Chat Completions ``tools`` entry."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


def schema_of(model: type[pydantic.BaseModel]) -> JSONObject:
    """The JSON schema of a tool's argument model, as the Chat Completions API takes it (no titles,
    no unknown keys)."""
    schema = model.model_json_schema()

    out = {k: _untitled(v) for k, v in schema.items() if k != "title" or not isinstance(v, str)}
    out.setdefault("properties", {})
    out["additionalProperties"] = False
    return out


def _untitled(node: JSON) -> JSON:
    """``node`` without its schema titles (a property named ``title`` is kept)."""
    if isinstance(node, dict):
        return {k: _untitled(v) for k, v in node.items() if k != "title" or not isinstance(v, str)}
    if isinstance(node, list):
        return [_untitled(v) for v in node]
    return node


def jsonable(value: object) -> JSON:
    """Dates as YYYY-MM-DD, times as HH:MM, containers recursively; for tool results."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def error_result(exc: DomainError) -> JSONObject:
    """A domain error as a tool result: its guest-readable message, code and details."""
    details = jsonable(exc.details)
    return {"error": exc.message, "code": exc.code, **(details if isinstance(details, dict) else {})}


def _validation_message(exc: pydantic.ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())) or "arguments"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "invalid arguments: " + "; ".join(parts)


async def run_tool(tools: dict[str, Tool], context: ToolContext, name: str, raw_arguments: str | None) -> JSONObject:
    """Run one tool call of the model; always returns a JSON-safe dict (``{"error": ...}`` on failure)."""
    tool = tools.get(name)
    if tool is None:
        return {"error": f"unknown tool {name!r}; available: {', '.join(sorted(tools))}"}
    try:
        args = json.loads(raw_arguments or "{}")
    except ValueError as exc:
        return {"error": f"the arguments are not valid JSON ({exc}); send a JSON object"}
    if not isinstance(args, dict):
        return {"error": "the arguments must be a JSON object"}
    try:
        result = jsonable(await tool.handler(context, args))
        return result if isinstance(result, dict) else {"result": result}
    except pydantic.ValidationError as exc:
        return {"error": _validation_message(exc)}
    except DomainError as exc:
        return error_result(exc)
    except Exception:
        log.exception("tool %s failed", name)
        return {"error": "this tool failed unexpectedly; apologise and offer to try again or call the restaurant"}
