"""Connecting a restaurant's bot (when staff save the token) and checking that it still works.

:func:`on_saving` is the integration type's check, run before ``POST /api/integrations/telegram`` stores the settings:
``getMe`` checks the token (a refused token is a 400 and nothing is stored), then
``setWebhook`` registers ``PUBLIC_BASE_URL/channels/telegram/<id>/webhook`` with a
generated secret that is stored encrypted. Switching the bot off (or removing the token)
deletes the webhook.

:func:`readiness` reports every switched-on bot for ``/readyz``: the last known status
from the shared cache, refreshed by ``getMe`` + ``getWebhookInfo`` at most every
``status_ttl_seconds``, within a small time budget so that the probe stays cheap.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from telegram.error import Forbidden, InvalidToken, TelegramError

from channels.common.settings import webhook_url
from channels.common.status import readiness as common_readiness
from channels.common.status import record_status, status
from channels.telegram.bots import channel_error as to_channel_error
from channels.telegram.bots import close_bot, is_auth_error
from channels.telegram.channel import TelegramChannel
from channels.telegram.settings import CHANNEL, load_config
from core.errors import ValidationError
from core.integrations import SaveRequest
from core.redaction import register_secret

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
REFUSED = "Telegram refused this bot token. Copy the token again from @BotFather (/mybots → API Token) and paste it."


async def on_saving(channel: TelegramChannel, request: SaveRequest) -> dict[str, Any]:
    """Check the token and (un)register the webhook; the extra values to store and show."""
    runtime, restaurant_id = channel.runtime, request.restaurant_id
    config = await load_config(runtime, restaurant_id)
    stored_token = config.token if config is not None else None
    token = request.submitted("botToken", stored_token)
    active = request.switched_on
    if stored_token and stored_token != token or stored_token and not active:
        await _delete_webhook(channel, stored_token)  # the old bot must stop posting to us
    await channel.forget(restaurant_id)
    if not token:
        return {"webhookSecret": None, "webhookUrl": None, "botUsername": None, "botId": None, "status": None}
    if not active:  # switching off always works, even with Telegram down or the token revoked
        detail = "Switched off; the webhook was removed." if stored_token else "Switched off."
        return {"webhookSecret": None, "webhookUrl": None, "status": status(True, detail)}
    bot = channel.clients.temporary(token)
    try:
        try:
            me = await bot.get_me()
        except (InvalidToken, Forbidden):
            raise ValidationError(REFUSED, details={"field": "botToken"}) from None
        except (TelegramError, TimeoutError) as exc:
            raise to_channel_error(exc, "getMe") from None
        found = {"botUsername": me.username, "botId": me.id}
        kept = config.webhook_secret if config is not None and config.token == token else None
        secret = kept or secrets.token_urlsafe(32)  # the same bot keeps its secret
        register_secret(secret)  # PTB logs setWebhook's parameters at DEBUG
        url = webhook_url(runtime, CHANNEL, restaurant_id)
        try:
            await bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        except (TelegramError, TimeoutError) as exc:
            problem = to_channel_error(exc, "setWebhook").message
            detail = f"@{me.username} works, but Telegram refused the webhook {url}: {problem} "
            detail += "Set PUBLIC_BASE_URL to this service's public https address, or use `tobeout telegram poll`."
            return {**found, "webhookSecret": None, "webhookUrl": None, "status": status(False, detail)}
        return {
            **found,
            "webhookSecret": {"encrypted": runtime.secrets.encrypt(secret)},
            "webhookUrl": url,
            "status": status(True, f"Connected as @{me.username}; updates arrive at {url}."),
        }
    finally:
        await close_bot(bot)


async def _delete_webhook(channel: TelegramChannel, token: str) -> None:
    bot = channel.clients.temporary(token)
    try:
        await bot.delete_webhook()
    except (TelegramError, TimeoutError) as exc:  # a revoked token has no webhook to remove
        log.info("telegram: deleteWebhook of the previous bot failed: %s", to_channel_error(exc).message)
    finally:
        await close_bot(bot)


async def check(channel: TelegramChannel, restaurant_id: int) -> dict[str, Any]:
    """Ask Telegram whether the restaurant's bot works and its webhook points here; records and returns the status."""
    runtime = channel.runtime
    config = await load_config(runtime, restaurant_id)
    if config is None or not config.enabled:
        return status(True, "switched off")
    if config.problem or not config.token:
        ok, detail = False, config.problem or "No bot token saved."
    else:
        bot = channel.clients.get(restaurant_id, config.token)
        try:
            async with asyncio.timeout(channel.timeout):
                me = await bot.get_me()
                info = await bot.get_webhook_info()
        except (TelegramError, TimeoutError) as exc:
            ok = False
            detail = to_channel_error(exc, "getMe").message if is_auth_error(exc) else to_channel_error(exc).message
        else:
            expected = webhook_url(runtime, CHANNEL, restaurant_id)
            ok = info.url == expected
            detail = f"Connected as @{me.username}."
            if not ok:
                detail += f" The webhook is not registered at {expected} (save the token again to register it)."
            if info.last_error_message:
                detail += f" Telegram's last delivery error: {info.last_error_message}."
    await record_status(channel, restaurant_id, ok, detail)
    return status(ok, detail)


async def readiness(channel: TelegramChannel) -> dict[str, Any]:
    """``{"telegram:<id>": {"ok", "detail"}}`` for every switched-on bot (cached; stale ones refreshed)."""
    return await common_readiness(channel, check, "checking the bot with Telegram…")
