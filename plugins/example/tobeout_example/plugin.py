"""A complete third-party channel: a generic signed JSON webhook, as an SMS gateway would use.

Installed as its own package (``pip install ./plugins/example``); ToBeOut finds it through
its ``tobeout.plugins`` entry point (``example``). Every hook it implements is one a
built-in channel uses too:

- ``tobeout_plugin_settings``: its ``plugins.toml`` table, checked at startup;
- ``tobeout_integration_types``: the ``example`` integration each restaurant's owner saves
  through ``POST /api/integrations/example`` (signing secret encrypted, checked by pinging
  the gateway), with its health in ``/readyz``;
- ``tobeout_register_routes``: the signed inbound webhook, which books through the engine;
- ``tobeout_channels``: the adapter the notifier delivers staff changes through;
- ``tobeout_conversation_tools``: one extra tool the LLM may call (``get_parking_info``);
- ``tobeout_startup`` / ``tobeout_shutdown``: the HTTP client's life;
- ``tobeout_domain_event``: a listener (here it only logs).

It uses nothing of ToBeOut but the documented plugin API (``core.runtime``,
``core.integrations``, ``core.plugins``, ``core.conversation``, ``core.errors``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from quart import Quart

from core.conversation.tools import Tool, ToolContext
from core.events import DomainEvent
from core.hookspecs import hookimpl
from core.integrations import IntegrationType, SaveRequest
from core.runtime import ChannelAdapter, Runtime, StashKey
from tobeout_example.channel import ExampleChannel
from tobeout_example.settings import NAME, ExampleSettings, GatewaySettings

__version__ = "1.0.0"
log = logging.getLogger(__name__)
CHANNEL: StashKey[ExampleChannel] = StashKey(NAME)


def channel_of(runtime: Runtime) -> ExampleChannel:
    """This process's :class:`ExampleChannel` (made at first use; no I/O)."""
    return runtime.stash.setdefault(CHANNEL, lambda: ExampleChannel(runtime))


async def _check(request: SaveRequest) -> Mapping[str, Any] | None:
    return await channel_of(request.runtime).check_on_save(request)


async def _health(runtime: Runtime) -> Mapping[str, Mapping[str, Any]]:
    return await channel_of(runtime).health()


async def parking_tool(context: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
    """The ``get_parking_info`` tool: what the restaurant says about parking."""
    return {"parking": context.runtime.options(NAME, ExampleSettings).parking}


@hookimpl
def tobeout_plugin_settings() -> type[ExampleSettings]:
    """``signature_tolerance_seconds``, ``send_timeout_seconds``, ``parking``."""
    return ExampleSettings


@hookimpl
def tobeout_integration_types(runtime: Runtime) -> list[IntegrationType]:
    """The ``example`` integration: a restaurant's gateway (signing secret, outbound URL)."""
    return [
        IntegrationType(
            name=NAME,
            label="Example SMS gateway",
            settings=GatewaySettings,
            check=_check,
            health=_health,
            description="A gateway that posts signed JSON messages and receives our signed replies.",
        )
    ]


@hookimpl
def tobeout_register_routes(app: Quart, runtime: Runtime) -> None:
    """Mount the inbound webhook."""
    from tobeout_example.routes import blueprint

    app.register_blueprint(blueprint)


@hookimpl
def tobeout_startup(runtime: Runtime) -> None:
    """Make the channel (and its HTTP client) before the first request."""
    channel_of(runtime)


@hookimpl
async def tobeout_shutdown(runtime: Runtime) -> None:
    """Close the HTTP client."""
    channel = runtime.stash.pop(CHANNEL)
    if channel is not None:
        await channel.close()


@hookimpl
def tobeout_channels(runtime: Runtime) -> list[ChannelAdapter]:
    """The adapter: staff changes reach guests who wrote through the gateway."""
    return [channel_of(runtime)]


@hookimpl
def tobeout_conversation_tools(runtime: Runtime) -> list[Tool]:
    """One tool the LLM may call."""
    return [
        Tool(
            name="get_parking_info",
            description="Where guests can park near the restaurant.",
            parameters={"type": "object", "properties": {}, "additionalProperties": False},
            handler=parking_tool,
        )
    ]


@hookimpl
def tobeout_domain_event(event: DomainEvent, runtime: Runtime) -> None:
    """Log every reservation change (a real plugin might call a CRM)."""
    if event.type.startswith("reservation."):
        log.info("example plugin saw %s in restaurant %s", event.type, event.restaurant_id)
