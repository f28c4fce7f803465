"""A complete small plugin: a JSON webhook channel, a conversation tool and a domain-event listener.

Installed with ``pip install ./plugins/example``; ToBeOut finds it through the
``tobeout.plugins`` entry point. Settings come from plugins.toml::

    [plugins.example]
    shared_secret = "change-me"
    parking = "Free parking behind the restaurant after 18:00."
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from pydantic import SecretStr
from quart import Blueprint, current_app, jsonify, request

from core.conversation.types import InboundMessage, Reply
from core.hookspecs import hookimpl
from core.plugins import PluginSettings

__version__ = "1.0.0"
CHANNEL = "example"
log = logging.getLogger(__name__)
blueprint = Blueprint("example_channel", __name__)

#: What the adapter "sent", so a test or a demo can see notifications.
OUTBOX: list[tuple[int, str, str]] = []


class ExampleSettings(PluginSettings):
    """``[plugins.example]`` in plugins.toml."""

    shared_secret: SecretStr = SecretStr("")
    parking: str = "No parking information."


def _settings() -> dict[str, Any]:
    return {"shared_secret": current_app.runtime.options("example", ExampleSettings).shared_secret.get_secret_value()}


@hookimpl
def tobeout_plugin_settings() -> type[ExampleSettings]:
    """``shared_secret``, ``parking``."""
    return ExampleSettings


@blueprint.post("/channels/example/<int:restaurant_id>/inbound")
async def inbound(restaurant_id: int):  # type: ignore[no-untyped-def]
    """``{userId, text, messageId}`` with ``X-Example-Secret`` -> ``{replies: [...]}``."""
    secret = str(_settings().get("shared_secret", ""))
    given = request.headers.get("X-Example-Secret", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return jsonify({"message": "Wrong or missing X-Example-Secret."}), 403
    body = await request.get_json(silent=True)
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("userId", "text", "messageId")):
        return jsonify({"message": "Send JSON {userId, text, messageId} (all strings)."}), 400
    replies = await current_app.runtime.engine.handle(
        InboundMessage(
            restaurant_id=restaurant_id,
            channel=CHANNEL,
            sender_id=body["userId"],
            chat_id=body["userId"],
            text=body["text"],
            message_id=body["messageId"],
        )
    )
    return jsonify({"replies": [reply.to_dict() for reply in replies]})


class ExampleAdapter:
    """Delivers notifications for guests known on this channel (here: records them)."""

    name = CHANNEL

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Record each reply; a real channel would call its service's API here."""
        for reply in replies:
            OUTBOX.append((restaurant_id, chat_id, reply.text))


async def parking_tool(context: Any, args: dict[str, Any]) -> dict[str, Any]:
    """The ``get_parking_info`` tool: what the restaurant says about parking."""
    return {"parking": context.runtime.options("example", ExampleSettings).parking}


@hookimpl
def tobeout_register_routes(app: Any, runtime: Any) -> None:
    """Mount the webhook."""
    app.register_blueprint(blueprint)


@hookimpl
def tobeout_channels(runtime: Any) -> list[Any]:
    """Offer the adapter for notifications."""
    return [ExampleAdapter()]


@hookimpl
def tobeout_conversation_tools(runtime: Any) -> list[Any]:
    """Add one tool the LLM may call."""
    from core.conversation.tools import Tool

    return [
        Tool(
            name="get_parking_info",
            description="Where guests can park near the restaurant.",
            parameters={"type": "object", "properties": {}, "additionalProperties": False},
            handler=parking_tool,
        )
    ]


@hookimpl
async def tobeout_domain_event(event: Any, runtime: Any) -> None:
    """Log every reservation change (a real plugin might call a CRM)."""
    if event.type.startswith("reservation."):
        log.info("example plugin saw %s in restaurant %s", event.type, event.restaurant_id)


@hookimpl
def tobeout_readiness(runtime: Any) -> dict[str, Any]:
    """Report whether the shared secret is configured."""
    configured = bool(runtime.options("example", ExampleSettings).shared_secret.get_secret_value())
    return {"example": {"ok": configured, "detail": "configured" if configured else "shared_secret missing"}}
