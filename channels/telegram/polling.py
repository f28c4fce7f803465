"""``tobeout telegram poll --restaurant ID``: the same handlers by long polling, for development.

Without a public https address Telegram cannot reach the webhook. Polling removes the
bot's webhook (``deleteWebhook``) and asks Telegram for updates (``getUpdates``), handing
each to the very code the webhook uses. Save the token again (dashboard or
``POST /api/integrations/telegram``) to go back to the webhook.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from telegram.error import TelegramError

from channels.telegram.admin import ALLOWED_UPDATES
from channels.telegram.bots import channel_error
from channels.telegram.channel import TelegramChannel
from channels.telegram.settings import CHANNEL, load_config
from core.config import Settings
from core.errors import ConfigurationError

log = logging.getLogger(__name__)


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``tobeout telegram poll``."""
    telegram = subparsers.add_parser("telegram", help="the Telegram channel")
    commands = telegram.add_subparsers(dest="telegram_command", required=True)
    poll_parser = commands.add_parser("poll", help="answer a restaurant's bot by long polling (no webhook needed)")
    poll_parser.add_argument("--restaurant", type=int, required=True, help="restaurant id")
    poll_parser.add_argument("--timeout", type=int, default=30, help="seconds each getUpdates call waits")
    poll_parser.set_defaults(handler=_poll_command)


def _poll_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        asyncio.run(run_with_app(settings, args.restaurant, timeout=args.timeout))
    except KeyboardInterrupt:
        pass
    return 0


async def run_with_app(
    settings: Settings, restaurant_id: int, *, stop: asyncio.Event | None = None, timeout: int = 30
) -> None:
    """Start the service's runtime (database, cache, plugins, engine) without HTTP, then poll."""
    from api.app import create_app  # the same wiring as `tobeout serve`
    from core.runtime import runtime_of

    app = create_app(settings)
    await app.startup()
    try:
        channel = runtime_of(app).channels.get(CHANNEL)  # the plugin's channel object is the Telegram adapter
        if not isinstance(channel, TelegramChannel):
            raise ConfigurationError("the Telegram channel plugin is switched off in plugins.toml")
        await poll(channel, restaurant_id, stop=stop, timeout=timeout)
    finally:
        await app.shutdown()


async def poll(
    channel: TelegramChannel, restaurant_id: int, *, stop: asyncio.Event | None = None, timeout: int = 30
) -> None:
    """Delete the webhook, then handle updates until ``stop`` is set (or forever)."""
    config = await load_config(channel.runtime, restaurant_id)
    if config is None or not config.usable:
        reason = config.problem if config is not None and config.problem else "save its token and switch it on first"
        raise ConfigurationError(f"Restaurant {restaurant_id} has no usable Telegram bot: {reason}.")
    bot = channel.clients.get(restaurant_id, config.token or "")
    try:
        await bot.delete_webhook()
        me = await bot.get_me()
    except TelegramError as exc:
        raise channel_error(exc, "deleteWebhook") from None
    print(f"Polling Telegram for @{me.username} (restaurant {restaurant_id}); Ctrl-C to stop.", flush=True)
    offset: int | None = None
    delay = 1.0
    while stop is None or not stop.is_set():
        try:
            updates = await bot.get_updates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
        except (TelegramError, TimeoutError) as exc:
            error = channel_error(exc, "getUpdates")
            if not error.retryable:
                raise error from None
            log.warning("telegram polling: %s (retrying in %.0fs)", error.message, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
            continue
        delay = 1.0
        for update in updates:
            offset = update.update_id + 1
            await channel.process(config, update.to_dict())
