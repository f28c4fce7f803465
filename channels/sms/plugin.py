"""Hook implementations of the SMS channel (Twilio): :class:`channels.common.plugin.ChannelPlugin`'s.

One :class:`~channels.sms.channel.SmsChannel` per process lives in ``runtime.stash[SMS]``: the
webhook, the outbox's adapter, the integration's check on save (``accountSid``, ``authToken``
(secret), ``fromNumber``, checked with Twilio) and its health check all use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channels.common.plugin import ChannelPlugin
from channels.sms.settings import CHANNEL, SmsSettings
from core.runtime import Runtime, StashKey

if TYPE_CHECKING:
    from quart import Blueprint

    from channels.sms.channel import SmsChannel

SMS: StashKey[SmsChannel] = StashKey("sms")


def _make(runtime: Runtime) -> SmsChannel:
    from channels.sms.channel import SmsChannel

    return SmsChannel(runtime)


def _routes() -> Blueprint:
    from channels.sms.routes import blueprint

    return blueprint


PLUGIN: ChannelPlugin[SmsChannel] = ChannelPlugin(
    CHANNEL,
    SMS,
    _make,
    label="SMS",
    settings=SmsSettings,
    description="Text messages from the restaurant's Twilio number: confirmations, reminders, replies.",
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
