"""The Telegram webhook: ``POST /channels/telegram/<restaurantId>/webhook``.

Telegram posts one Update (JSON) per request with the secret registered by ``setWebhook``
in ``X-Telegram-Bot-Api-Secret-Token``. Without the restaurant's secret the answer is 403
and nothing is processed. A verified update is answered with 200 at once; the engine's work
and the replies run in the background (Telegram would otherwise retry a slow request).
"""

from __future__ import annotations

import hmac

from quart import Blueprint, ResponseReturnValue, current_app, jsonify, request
from quart_schema import hide

from channels.telegram.channel import TelegramChannel
from channels.telegram.plugin import channel_of
from channels.telegram.settings import load_config
from core.runtime import runtime_of

blueprint = Blueprint("telegram_channel", __name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def channel() -> TelegramChannel:
    """This process's :class:`channels.telegram.channel.TelegramChannel`."""
    return channel_of(runtime_of(current_app))


@blueprint.post("/channels/telegram/<int:restaurant_id>/webhook")
@hide
async def webhook(restaurant_id: int) -> ResponseReturnValue:
    """One Telegram Update for the restaurant's bot."""
    config = await load_config(runtime_of(current_app), restaurant_id)
    given = request.headers.get(SECRET_HEADER, "")
    expected = config.webhook_secret if config is not None else None
    if config is None or not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return jsonify({"message": "Wrong or missing secret token."}), 403
    if not config.usable:
        return jsonify({"ok": True, "ignored": "the bot is switched off"}), 200
    data = await request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        return jsonify({"ok": True, "ignored": "not a Telegram update"}), 200
    accepted = await channel().accept(config, data)
    return jsonify({"ok": True} if accepted else {"ok": True, "duplicate": True}), 200
