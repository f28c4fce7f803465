"""Hook implementations of the WhatsApp channel (Twilio): :class:`channels.common.plugin.ChannelPlugin`'s.

One :class:`~channels.whatsapp.channel.WhatsAppChannel` per process lives in
``runtime.stash[WHATSAPP]``: the webhook, the notifications adapter, the integration's
check on save (``accountSid``, ``authToken`` (secret), ``fromNumber``, checked with Twilio)
and its health check all use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channels.common.plugin import ChannelPlugin
from channels.whatsapp.settings import CHANNEL, WhatsAppSettings
from core.runtime import Runtime, StashKey

if TYPE_CHECKING:
    from quart import Blueprint

    from channels.whatsapp.channel import WhatsAppChannel

WHATSAPP: StashKey[WhatsAppChannel] = StashKey("whatsapp")


def _make(runtime: Runtime) -> WhatsAppChannel:
    from channels.whatsapp.channel import WhatsAppChannel

    return WhatsAppChannel(runtime)


def _routes() -> Blueprint:
    from channels.whatsapp.routes import blueprint

    return blueprint


PLUGIN: ChannelPlugin[WhatsAppChannel] = ChannelPlugin(
    CHANNEL,
    WHATSAPP,
    _make,
    label="WhatsApp",
    settings=WhatsAppSettings,
    description="The restaurant's WhatsApp sender through its Twilio account.",
    routes=_routes,
)
channel_of = PLUGIN.channel
tobeout_plugin_settings = PLUGIN.tobeout_plugin_settings
tobeout_integration_types = PLUGIN.tobeout_integration_types
tobeout_register_routes = PLUGIN.tobeout_register_routes
tobeout_startup = PLUGIN.tobeout_startup
tobeout_shutdown = PLUGIN.tobeout_shutdown
tobeout_channels = PLUGIN.tobeout_channels
tobeout_domain_event = PLUGIN.tobeout_domain_event
