"""Hook implementations of the Telegram channel.

One :class:`~channels.telegram.channel.TelegramChannel` per process lives in
``runtime.extras["telegram"]``: the webhook, long polling, the notifications adapter and
the readiness check all use it.
"""

from __future__ import annotations

from typing import Any

from channels.common import plugin as common
from core.hookspecs import hookimpl

CHANNEL = "telegram"


def channel_of(runtime: Any) -> Any:
    """This process's Telegram channel (created at first use; no I/O)."""
    from channels.telegram.channel import TelegramChannel

    return common.channel_of(runtime, CHANNEL, TelegramChannel)


@hookimpl
def tobeout_register_routes(app: Any, runtime: Any) -> None:
    """Mount ``POST /channels/telegram/<restaurantId>/webhook``."""
    from channels.telegram.routes import blueprint

    app.register_blueprint(blueprint)


@hookimpl
def tobeout_startup(runtime: Any) -> None:
    """Create the channel (bots themselves are created per restaurant at first use); keep tokens out of logs."""
    from channels.telegram.redact import install_log_redaction

    install_log_redaction()
    channel_of(runtime)


@hookimpl
async def tobeout_shutdown(runtime: Any) -> None:
    """Finish the updates being processed, then close every bot's HTTP client."""
    await common.close_channel(runtime, CHANNEL)


@hookimpl
def tobeout_channels(runtime: Any) -> list[Any]:
    """The Telegram adapter, so staff changes reach guests who talk to a restaurant's bot."""
    return [channel_of(runtime)]


@hookimpl
async def tobeout_domain_event(event: Any, runtime: Any) -> None:
    """A restaurant's Telegram settings changed: forget its bot and its cached status."""
    if common.settings_changed(event, CHANNEL):
        await channel_of(runtime).forget(event.restaurant_id)


@hookimpl
async def tobeout_readiness(runtime: Any) -> dict[str, Any]:
    """``{"telegram:<id>": {"ok", "detail"}}`` for every switched-on bot (a revoked token shows here)."""
    from channels.telegram.admin import readiness

    return await readiness(channel_of(runtime))


@hookimpl
async def tobeout_integration_saving(
    restaurant_id: int, type: str, values: dict[str, Any], enabled: Any, runtime: Any
) -> dict[str, Any] | None:
    """Saving a bot token: ``getMe``, then ``setWebhook`` (or ``deleteWebhook`` when switched off)."""
    if type != CHANNEL:
        return None
    from channels.telegram.admin import on_saving

    return await on_saving(channel_of(runtime), restaurant_id, values, enabled)


@hookimpl
def tobeout_register_commands(subparsers: Any) -> None:
    """``tobeout telegram poll --restaurant ID``."""
    from channels.telegram.polling import add_commands

    add_commands(subparsers)
