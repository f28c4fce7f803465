"""Hook implementations of the WhatsApp channel (Twilio).

One :class:`~channels.whatsapp.channel.WhatsAppChannel` per process lives in
``runtime.stash[WHATSAPP]``: the webhook, the notifications adapter, the integration's
check on save and its health check all use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from channels.common import plugin as common
from channels.common.channel import ChannelSettings
from channels.whatsapp.settings import CHANNEL, WhatsAppSettings
from core.events import DomainEvent
from core.hookspecs import hookimpl
from core.integrations import IntegrationType, SaveRequest
from core.runtime import ChannelAdapter, Runtime, StashKey

if TYPE_CHECKING:
    from quart import Quart

    from channels.whatsapp.channel import WhatsAppChannel

WHATSAPP: StashKey[WhatsAppChannel] = StashKey("whatsapp")


def channel_of(runtime: Runtime) -> WhatsAppChannel:
    """This process's WhatsApp channel (created at first use; no I/O)."""
    from channels.whatsapp.channel import WhatsAppChannel

    return common.channel_of(runtime, WHATSAPP, WhatsAppChannel)


async def _check(request: SaveRequest) -> Mapping[str, Any] | None:
    from channels.whatsapp.admin import on_saving

    return await on_saving(channel_of(request.runtime), request)


async def _health(runtime: Runtime) -> Mapping[str, Mapping[str, Any]]:
    from channels.whatsapp.admin import readiness

    return await readiness(channel_of(runtime))


@hookimpl
def tobeout_plugin_settings() -> type[ChannelSettings]:
    """``send_timeout_seconds``, ``status_ttl_seconds``, ``shutdown_grace_seconds``."""
    return ChannelSettings


@hookimpl
def tobeout_integration_types(runtime: Runtime) -> list[IntegrationType]:
    """A restaurant's Twilio sender: ``accountSid``, ``authToken`` (secret), ``fromNumber``; checked on save."""
    return [
        IntegrationType(
            name=CHANNEL,
            label="WhatsApp",
            settings=WhatsAppSettings,
            check=_check,
            health=_health,
            description="The restaurant's WhatsApp sender through its Twilio account.",
        )
    ]


@hookimpl
def tobeout_register_routes(app: Quart, runtime: Runtime) -> None:
    """Mount ``POST /channels/whatsapp/<restaurantId>/webhook``."""
    from channels.whatsapp.routes import blueprint

    app.register_blueprint(blueprint)


@hookimpl
def tobeout_startup(runtime: Runtime) -> None:
    """Create the channel (Twilio clients are created per restaurant at first use)."""
    channel_of(runtime)


@hookimpl
async def tobeout_shutdown(runtime: Runtime) -> None:
    """Finish the messages being processed, then close every Twilio HTTP client."""
    await common.close_channel(runtime, WHATSAPP)


@hookimpl
def tobeout_channels(runtime: Runtime) -> list[ChannelAdapter]:
    """The WhatsApp adapter, so staff changes reach guests who write on WhatsApp."""
    return [channel_of(runtime)]


@hookimpl
async def tobeout_domain_event(event: DomainEvent, runtime: Runtime) -> None:
    """A restaurant's WhatsApp settings changed: forget its client and its cached status."""
    if common.settings_changed(event, CHANNEL):
        await channel_of(runtime).forget(event.restaurant_id)
