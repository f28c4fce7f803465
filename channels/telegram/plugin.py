"""Hook implementations of the Telegram channel.

One :class:`~channels.telegram.channel.TelegramChannel` per process lives in
``runtime.stash[TELEGRAM]``: the webhook, long polling, the notifications adapter, the
integration's check on save and its health check all use it.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from channels.common import plugin as common
from channels.common.channel import ChannelSettings
from channels.telegram.settings import CHANNEL, TelegramSettings
from core.events import DomainEvent
from core.hookspecs import hookimpl
from core.integrations import IntegrationType, SaveRequest
from core.runtime import ChannelAdapter, Runtime, StashKey

if TYPE_CHECKING:
    from quart import Quart

    from channels.telegram.channel import TelegramChannel

TELEGRAM: StashKey[TelegramChannel] = StashKey("telegram")


def channel_of(runtime: Runtime) -> TelegramChannel:
    """This process's Telegram channel (created at first use; no I/O)."""
    from channels.telegram.channel import TelegramChannel

    return common.channel_of(runtime, TELEGRAM, TelegramChannel)


async def _check(request: SaveRequest) -> Mapping[str, Any] | None:
    from channels.telegram.admin import on_saving

    return await on_saving(channel_of(request.runtime), request)


async def _health(runtime: Runtime) -> Mapping[str, Mapping[str, Any]]:
    from channels.telegram.admin import readiness

    return await readiness(channel_of(runtime))


@hookimpl
def tobeout_plugin_settings() -> type[ChannelSettings]:
    """``send_timeout_seconds``, ``status_ttl_seconds``, ``shutdown_grace_seconds``."""
    return ChannelSettings


@hookimpl
def tobeout_integration_types(runtime: Runtime) -> list[IntegrationType]:
    """A restaurant's bot: ``botToken`` (secret); saving checks it (``getMe``) and registers the webhook."""
    return [
        IntegrationType(
            name=CHANNEL,
            label="Telegram",
            settings=TelegramSettings,
            check=_check,
            health=_health,
            description="The restaurant's own Telegram bot, from @BotFather.",
        )
    ]


@hookimpl
def tobeout_register_routes(app: Quart, runtime: Runtime) -> None:
    """Mount ``POST /channels/telegram/<restaurantId>/webhook``."""
    from channels.telegram.routes import blueprint

    app.register_blueprint(blueprint)


@hookimpl
def tobeout_startup(runtime: Runtime) -> None:
    """Create the channel (bots themselves are created per restaurant at first use)."""
    channel_of(runtime)


@hookimpl
async def tobeout_shutdown(runtime: Runtime) -> None:
    """Finish the updates being processed, then close every bot's HTTP client."""
    await common.close_channel(runtime, TELEGRAM)


@hookimpl
def tobeout_channels(runtime: Runtime) -> list[ChannelAdapter]:
    """The Telegram adapter, so staff changes reach guests who talk to a restaurant's bot."""
    return [channel_of(runtime)]


@hookimpl
async def tobeout_domain_event(event: DomainEvent, runtime: Runtime) -> None:
    """A restaurant's Telegram settings changed: forget its bot and its cached status."""
    if common.settings_changed(event, CHANNEL):
        await channel_of(runtime).forget(event.restaurant_id)


@hookimpl
def tobeout_register_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``tobeout telegram poll --restaurant ID``."""
    from channels.telegram.polling import add_commands

    add_commands(subparsers)
