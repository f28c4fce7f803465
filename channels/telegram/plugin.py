"""Hook implementations of the Telegram channel (:class:`channels.common.plugin.ChannelPlugin`).

One :class:`~channels.telegram.channel.TelegramChannel` per process lives in
``runtime.stash[TELEGRAM]``: the webhook, long polling, the notifications adapter, the
integration's check on save (``botToken``, checked with ``getMe``; the webhook registered)
and its health check all use it. Besides the common hooks: ``tobeout telegram poll --restaurant ID``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from channels.common.plugin import ChannelPlugin
from channels.telegram.settings import CHANNEL, TelegramSettings
from core.hookspecs import hookimpl
from core.integrations import SaveRequest
from core.runtime import StashKey

if TYPE_CHECKING:
    from channels.telegram.channel import TelegramChannel

TELEGRAM: StashKey[TelegramChannel] = StashKey("telegram")


class TelegramPlugin(ChannelPlugin["TelegramChannel"]):
    """The common channel hooks, the bot's checks (:mod:`channels.telegram.admin`), and the ``poll`` command."""

    async def check(self, channel: TelegramChannel, request: SaveRequest) -> Mapping[str, Any] | None:
        """Check the token (``getMe``) and register the webhook before the save is stored."""
        from channels.telegram.admin import on_saving

        return await on_saving(channel, request)

    async def health(self, channel: TelegramChannel) -> Mapping[str, Mapping[str, Any]]:
        """Every switched-on bot's last known status for ``/readyz``."""
        from channels.telegram.admin import readiness

        return await readiness(channel)

    @hookimpl
    def tobeout_register_commands(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        """``tobeout telegram poll --restaurant ID``."""
        from channels.telegram.polling import add_commands

        add_commands(subparsers)


PLUGIN = TelegramPlugin(
    CHANNEL,
    TELEGRAM,
    "channels.telegram.channel:TelegramChannel",
    label="Telegram",
    settings=TelegramSettings,
    description="The restaurant's own Telegram bot, from @BotFather.",
    routes="channels.telegram.routes:blueprint",
)
channel_of = PLUGIN.channel
globals().update(PLUGIN.hooks())  # the module is what pluggy registers: its tobeout_* hooks
