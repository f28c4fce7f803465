"""Hook implementations of the WhatsApp channel (Twilio).

One :class:`~channels.whatsapp.channel.WhatsAppChannel` per process lives in
``runtime.extras["whatsapp"]``: the webhook, the notifications adapter and the readiness
check all use it.
"""

from __future__ import annotations

from typing import Any

from channels.common import plugin as common
from core.hookspecs import hookimpl

CHANNEL = "whatsapp"


def channel_of(runtime: Any) -> Any:
    """This process's WhatsApp channel (created at first use; no I/O)."""
    from channels.whatsapp.channel import WhatsAppChannel

    return common.channel_of(runtime, CHANNEL, WhatsAppChannel)


@hookimpl
def tobeout_register_routes(app: Any, runtime: Any) -> None:
    """Mount ``POST /channels/whatsapp/<restaurantId>/webhook``."""
    from channels.whatsapp.routes import blueprint

    app.register_blueprint(blueprint)


@hookimpl
def tobeout_startup(runtime: Any) -> None:
    """Create the channel (Twilio clients are created per restaurant at first use)."""
    channel_of(runtime)


@hookimpl
async def tobeout_shutdown(runtime: Any) -> None:
    """Finish the messages being processed, then close every Twilio HTTP client."""
    await common.close_channel(runtime, CHANNEL)


@hookimpl
def tobeout_channels(runtime: Any) -> list[Any]:
    """The WhatsApp adapter, so staff changes reach guests who write on WhatsApp."""
    return [channel_of(runtime)]


@hookimpl
async def tobeout_domain_event(event: Any, runtime: Any) -> None:
    """A restaurant's WhatsApp settings changed: forget its client and its cached status."""
    if common.settings_changed(event, CHANNEL):
        await channel_of(runtime).forget(event.restaurant_id)


@hookimpl
async def tobeout_readiness(runtime: Any) -> dict[str, Any]:
    """``{"whatsapp:<id>": {"ok", "detail"}}`` for every switched-on sender (wrong credentials show here)."""
    from channels.whatsapp.admin import readiness

    return await readiness(channel_of(runtime))


@hookimpl
async def tobeout_integration_saving(
    restaurant_id: int, type: str, values: dict[str, Any], enabled: Any, runtime: Any
) -> dict[str, Any] | None:
    """Saving Twilio credentials: check them, normalise the sender, show the webhook URL."""
    if type != CHANNEL:
        return None
    from channels.whatsapp.admin import on_saving

    return await on_saving(channel_of(runtime), restaurant_id, values, enabled)
