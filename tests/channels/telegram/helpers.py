"""Building Telegram updates as Telegram sends them, and posting them to the webhook."""

from __future__ import annotations

import time
from typing import Any

from telegram import Chat, Message, Sticker, Update, User

from tests.channels.conftest import BOT_TOKEN, Env

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
GUEST_ID = 424242


def webhook_path(env: Env) -> str:
    return f"/channels/telegram/{env.restaurant_id}/webhook"


async def connect_bot(env: Env, fake: Any) -> str:
    """Save the bot token through the API (as an owner would); returns the secret Telegram was given."""
    await env.save("telegram", {"botToken": BOT_TOKEN, "enabled": True})
    return fake.webhook(BOT_TOKEN)["secret_token"]


async def post_update(env: Env, update: dict[str, Any], secret: str | None) -> Any:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return await env.app.test_client().post(webhook_path(env), json=update, headers=headers)


def user(language: str = "en", user_id: int = GUEST_ID) -> User:
    return User(user_id, "Anna", False, last_name="Smith", language_code=language)


def sticker_update(update_id: int, chat_id: int = GUEST_ID) -> dict[str, Any]:
    """A sticker message, serialised from python-telegram-bot objects."""
    sticker = Sticker("CAACAgI", "AgADsticker", 512, 512, False, False, Sticker.REGULAR, emoji="👍")
    message = Message(
        7, datetime_now(), Chat(chat_id, Chat.PRIVATE, first_name="Anna"), from_user=user(), sticker=sticker
    )
    return Update(update_id, message=message).to_dict()


def edited_update(update_id: int, chat_id: int = GUEST_ID) -> dict[str, Any]:
    """An edited text message."""
    message = Message(
        8, datetime_now(), Chat(chat_id, Chat.PRIVATE), from_user=user(), text="edited", edit_date=datetime_now()
    )
    return Update(update_id, edited_message=message).to_dict()


def text_update(update_id: int, text: str, language: str = "en", chat_id: int = GUEST_ID) -> dict[str, Any]:
    """A private text message from the guest, serialised from python-telegram-bot objects."""
    message = Message(
        update_id,
        datetime_now(),
        Chat(chat_id, Chat.PRIVATE, first_name="Anna"),
        from_user=user(language, chat_id),
        text=text,
    )
    return Update(update_id, message=message).to_dict()


def datetime_now():  # noqa: ANN201 - PTB wants an aware datetime
    from datetime import UTC, datetime

    return datetime.fromtimestamp(int(time.time()), UTC)


def sent_texts(fake: Any, chat_id: int = GUEST_ID) -> list[str]:
    return [m["text"] for m in fake.sent_messages(BOT_TOKEN, chat_id)]
