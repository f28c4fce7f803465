"""Hook implementations of the e-mail channel: :class:`channels.common.plugin.ChannelPlugin`'s.

One :class:`~channels.email.channel.EmailChannel` per process lives in ``runtime.stash[EMAIL]``:
the outbox's adapter, the integration's check on save (the restaurant's own SMTP server tried)
and its health check; the blueprint is the unsubscribe page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channels.common.plugin import ChannelPlugin
from channels.email.settings import CHANNEL, EmailSettings
from core.runtime import Runtime, StashKey

if TYPE_CHECKING:
    from quart import Blueprint

    from channels.email.channel import EmailChannel

EMAIL: StashKey[EmailChannel] = StashKey("email")


def _make(runtime: Runtime) -> EmailChannel:
    from channels.email.channel import EmailChannel

    return EmailChannel(runtime)


def _routes() -> Blueprint:
    from channels.email.routes import blueprint

    return blueprint


PLUGIN: ChannelPlugin[EmailChannel] = ChannelPlugin(
    CHANNEL,
    EMAIL,
    _make,
    label="E-mail",
    settings=EmailSettings,
    description="Confirmations, reminders and changes by e-mail: the restaurant's SMTP server and sender, "
    "else the service's (SMTP_URL, MAIL_FROM).",
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
