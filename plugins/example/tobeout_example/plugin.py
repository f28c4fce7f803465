"""A complete third-party channel: a generic signed JSON webhook, as an SMS gateway would use.

Installed as its own package (``pip install ./plugins/example``); ToBeOut finds it through
its ``tobeout.plugins`` entry point (``example``). Its channel hooks are
:class:`channels.common.plugin.ChannelPlugin`'s, as the built-in channels' are:

- ``tobeout_plugin_settings``: its ``plugins.toml`` table, checked at startup;
- ``tobeout_integration_types``: the ``example`` integration each restaurant's owner saves
  through ``POST /api/integrations/example`` (signing secret encrypted, checked by pinging
  the gateway), with its health in ``/readyz``;
- ``tobeout_register_routes``: the signed inbound webhook, which books through the engine;
- ``tobeout_channels``: the adapter the outbox delivers notifications and reminders through;
- ``tobeout_startup`` / ``tobeout_shutdown``: the HTTP client's life;
- ``tobeout_domain_event``: the gateway's settings changed (and, here, a log line per reservation event);

and one of its own, ``tobeout_conversation_tools``: one extra tool the LLM may call
(``get_parking_info``).

It uses nothing of ToBeOut but the documented plugin API (``core.runtime``,
``core.integrations``, ``core.plugins``, ``core.conversation``, ``core.errors``,
``channels.common.plugin``).
"""

from __future__ import annotations

import logging

from quart import Blueprint

from channels.common.plugin import ChannelPlugin
from core.conversation.tools import Tool, ToolArgs, ToolContext, ToolResult
from core.events import DomainEvent
from core.hookspecs import hookimpl
from core.runtime import Runtime, StashKey
from tobeout_example.channel import ExampleChannel
from tobeout_example.settings import NAME, ExampleSettings, GatewaySettings

__version__ = "1.0.0"
log = logging.getLogger(__name__)
CHANNEL: StashKey[ExampleChannel] = StashKey(NAME)


async def parking_tool(context: ToolContext, args: ToolArgs) -> ToolResult:
    """The ``get_parking_info`` tool: what the restaurant says about parking."""
    return {"parking": context.runtime.options(NAME, ExampleSettings).parking}


def _routes() -> Blueprint:
    from tobeout_example.routes import blueprint

    return blueprint


class ExamplePlugin(ChannelPlugin[ExampleChannel]):
    """The channel hooks, plus a conversation tool and a log line per reservation event."""

    @hookimpl
    def tobeout_conversation_tools(self, runtime: Runtime) -> list[Tool]:
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
    async def tobeout_domain_event(self, event: DomainEvent, runtime: Runtime) -> None:
        """Log every reservation change (a real plugin might call a CRM); forget a changed gateway's status."""
        if event.type.startswith("reservation."):
            log.info("example plugin saw %s in restaurant %s", event.type, event.restaurant_id)
        await super().tobeout_domain_event(event, runtime)


PLUGIN = ExamplePlugin(
    NAME,
    CHANNEL,
    ExampleChannel,
    label="Example SMS gateway",
    settings=GatewaySettings,
    description="A gateway that posts signed JSON messages and receives our signed replies.",
    routes=_routes,
    options=ExampleSettings,
)
channel_of = PLUGIN.channel
globals().update(PLUGIN.hooks())  # the module is what pluggy registers: its tobeout_* hooks
