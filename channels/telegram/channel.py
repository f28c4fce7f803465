"""Telegram updates in, replies out: the channel's work, shared by the webhook and long polling.

:meth:`TelegramChannel.accept` takes a verified update, drops a redelivered ``update_id``
and runs :meth:`TelegramChannel.process` in the background, so the webhook answers
Telegram at once. Processing hands text messages (and ``/start``) and button presses to
the conversation engine and sends its replies with ``sendMessage``, quick replies as an
inline keyboard. Stickers, photos, voice notes... get a short polite answer; edited
messages, member updates and group chats are ignored. Nothing here raises into the
webhook: failures are logged (and a refused token recorded as the channel's status).

The object is also the channel's adapter (``name``, ``async send``) for notifications.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from channels.common.channel import ChatChannel
from channels.common.status import record_status
from channels.common.texts import split_text, unsupported
from channels.telegram.bots import BotRegistry, channel_error, is_auth_error
from channels.telegram.settings import CHANNEL, PLUGIN, TelegramConfig, api_base, load_config
from core.conversation.languages import supported
from core.conversation.types import Choice, InboundMessage, Reply
from core.errors import ChannelError
from core.runtime import Runtime

log = logging.getLogger(__name__)

DEDUP_TTL = 48 * 3600.0
CHOICE_TTL = 7 * 24 * 3600.0
MAX_TEXT = 4000  # Telegram allows 4096 characters per message
MAX_INBOUND = 2000
CALLBACK_LIMIT = 64  # bytes of callback_data Telegram keeps
CALLBACK_PREFIX = "#c:"


def language_of(code: str | None) -> str | None:
    """The bot's language for a Telegram ``language_code`` such as ``"ru-RU"`` or ``"de"`` (Ukrainian,
    Belarusian and Kazakh users get Russian, other languages English); None when unknown."""
    if not code:
        return None
    if code.lower().startswith(("uk", "be", "kk")):
        return "ru"
    return supported(code) or "en"


def chat_ref(chat_id: str | int) -> int | str:
    """Telegram chat ids are integers (``@channel`` names stay strings)."""
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)


class TelegramChannel(ChatChannel):
    """The Telegram channel of one process: bots (``clients``), background tasks, inbound and outbound messages."""

    name, label, plugin = CHANNEL, "Telegram", PLUGIN
    capabilities = frozenset({"buttons", "link"})  # inline keyboards
    rate_per_second = 30  # Telegram's limit per bot for messages to different chats
    clients: BotRegistry

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.timeout = self.options.send_timeout_seconds
        self.clients = BotRegistry(api_base(runtime), timeout=self.timeout)

    # ------------------------------------------------------------------ inbound

    async def accept(self, config: TelegramConfig, data: dict[str, Any]) -> bool:
        """Take a verified update for processing in the background; False for a redelivered ``update_id``."""
        update_id = data.get("update_id")
        if isinstance(update_id, int):
            key = f"telegram:update:{config.restaurant_id}:{update_id}"
            if not await self.runtime.cache.add(key, DEDUP_TTL):
                return False
        self.spawn(self.process(config, data), name=f"telegram-update-{config.restaurant_id}-{update_id}")
        return True

    async def process(self, config: TelegramConfig, data: dict[str, Any]) -> None:
        """Handle one update to the end; never raises."""
        rid = config.restaurant_id
        try:
            bot = self.clients.get(rid, config.token or "")
            update = Update.de_json(data, bot)
        except Exception as exc:
            log.warning("telegram: unreadable update for restaurant %s: %s", rid, exc.__class__.__name__)
            return
        try:
            await self._dispatch(config, bot, update)
        except ChannelError as exc:
            log.warning("telegram: restaurant %s update %s: %s", rid, update.update_id, exc.message)
        except Exception:
            log.exception("telegram: restaurant %s update %s failed", rid, update.update_id)

    async def _dispatch(self, config: TelegramConfig, bot: Any, update: Update) -> None:
        if update.callback_query is not None:
            await self._button(config, bot, update)
            return
        message = update.message  # edited messages, channel posts, member updates: nothing to answer
        if message is None or message.chat.type != "private" or message.from_user is None:
            return
        user = message.from_user
        language = language_of(user.language_code)
        if not message.text:
            await self._send(bot, config.restaurant_id, str(message.chat.id), [Reply(unsupported(language))])
            return
        said = message.text.strip()
        if said.startswith("/"):  # "/start@ChezTestBot payload" -> "/start payload"; the engine knows /start
            command, _, rest = said.partition(" ")
            said = f"{command.split('@')[0]} {rest}".strip()
        await self._converse(config, bot, update.update_id, user, message.chat.id, said, language)

    async def _button(self, config: TelegramConfig, bot: Any, update: Update) -> None:
        query = update.callback_query
        if query is None:
            return
        try:
            await bot.answer_callback_query(query.id)
        except TelegramError as exc:  # too old to answer: the choice still counts
            log.info("telegram: answerCallbackQuery failed: %s", channel_error(exc).message)
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        if message is not None:
            try:
                await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message.message_id, reply_markup=None)
            except TelegramError:
                pass  # the keyboard stays; pressing it again is a new answer, nothing breaks
        value = await self._choice_value(config.restaurant_id, query.data or "")
        if value:
            user = query.from_user
            await self._converse(config, bot, update.update_id, user, chat_id, value, language_of(user.language_code))

    async def _converse(
        self, config: TelegramConfig, bot: Any, update_id: int, user: Any, chat_id: int, said: str, language: str | None
    ) -> None:
        inbound = InboundMessage(
            restaurant_id=config.restaurant_id,
            channel=CHANNEL,
            sender_id=str(user.id),
            chat_id=str(chat_id),
            text=said[:MAX_INBOUND],
            message_id=str(update_id),
            sender_name=user.full_name or None,
            language_hint=language,
        )
        replies = await self.runtime.engine.handle(inbound)
        if replies:  # [] means this update was already handled
            await self._send(bot, config.restaurant_id, str(chat_id), replies)

    # ------------------------------------------------------------------ quick replies

    async def _callback_data(self, restaurant_id: int, choice: Choice) -> str:
        if len(choice.value.encode()) <= CALLBACK_LIMIT and not choice.value.startswith(CALLBACK_PREFIX):
            return choice.value
        digest = hashlib.sha256(choice.value.encode()).hexdigest()[:24]
        await self.runtime.cache.set(f"telegram:choice:{restaurant_id}:{digest}", choice.value, ttl=CHOICE_TTL)
        return CALLBACK_PREFIX + digest

    async def _choice_value(self, restaurant_id: int, data: str) -> str | None:
        if not data.startswith(CALLBACK_PREFIX):
            return data
        value = await self.runtime.cache.get(f"telegram:choice:{restaurant_id}:{data[len(CALLBACK_PREFIX) :]}")
        return value if isinstance(value, str) else None

    async def _keyboard(self, restaurant_id: int, choices: tuple[Choice, ...]) -> InlineKeyboardMarkup | None:
        if not choices:
            return None
        buttons = [
            InlineKeyboardButton(c.label[:64], callback_data=await self._callback_data(restaurant_id, c))
            for c in choices
        ]
        per_row = 3 if all(len(c.label) <= 12 for c in choices) else 1
        return InlineKeyboardMarkup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])

    # ------------------------------------------------------------------ outbound

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Adapter: deliver ``replies`` to a Telegram chat of the restaurant's bot; ``ChannelError`` on failure."""
        config = await load_config(self.runtime, restaurant_id)
        if config is None or not config.usable:
            raise self.unavailable(config, "no bot is connected and switched on")
        await self._send(self.clients.get(restaurant_id, config.token or ""), restaurant_id, chat_id, replies)

    async def _send(self, bot: Any, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        for reply in replies:
            pieces = split_text(reply.text or "…", MAX_TEXT)
            markup = await self._keyboard(restaurant_id, reply.choices)
            for i, piece in enumerate(pieces):
                last = i == len(pieces) - 1
                try:
                    async with asyncio.timeout(self.timeout * 2):
                        await bot.send_message(
                            chat_id=chat_ref(chat_id), text=piece, reply_markup=markup if last else None
                        )
                except (TelegramError, TimeoutError) as exc:
                    if is_auth_error(exc):
                        await record_status(self, restaurant_id, False, channel_error(exc).message)
                    raise channel_error(exc, "sendMessage") from None
