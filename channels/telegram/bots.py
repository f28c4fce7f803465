"""python-telegram-bot objects: one ``telegram.Bot`` per restaurant, and its errors in the core's terms.

One process serves many restaurants, each with its own bot token. :class:`BotRegistry`
keeps a ``Bot`` per restaurant, created at first use from the stored token and replaced
when the token changes (the stored token is read on every use, so a token saved through
another process is picked up too). Nothing is created at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from core.errors import ChannelError

log = logging.getLogger(__name__)


def make_bot(token: str, base_url: str, *, timeout: float = 10.0) -> Bot:
    """A ``Bot`` for ``token`` talking to ``base_url`` (``…/bot``); not initialised (no ``getMe``).

    One HTTP client serves both ordinary calls and ``getUpdates`` (PTB's default pool of
    one connection would make concurrent sends wait); :func:`close_bot` closes it.
    """
    request = HTTPXRequest(connection_pool_size=32, read_timeout=timeout, write_timeout=timeout, connect_timeout=5.0)
    return Bot(
        token,
        base_url=base_url,
        base_file_url=base_url.removesuffix("/bot") + "/file/bot",
        request=request,
        get_updates_request=request,
    )


async def close_bot(bot: Bot) -> None:
    """Close the bot's HTTP client (never raises)."""
    with contextlib.suppress(Exception):
        await bot.request.shutdown()


def is_auth_error(exc: BaseException) -> bool:
    """True for Telegram refusing the token itself (revoked, mistyped)."""
    return isinstance(exc, InvalidToken)


def channel_error(exc: TelegramError | TimeoutError, action: str = "call Telegram") -> ChannelError:
    """The core's :class:`ChannelError` for a python-telegram-bot error (never includes the token)."""
    if isinstance(exc, RetryAfter):
        seconds = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
        return ChannelError(
            f"Telegram asked to slow down ({action}); retry in {seconds:g}s.",
            retryable=True,
            code="telegram_rate_limited",
            details={"retryAfter": seconds},
        )
    if isinstance(exc, InvalidToken):
        return ChannelError(
            "Telegram refused this bot token (revoked or mistyped); paste the current token from @BotFather.",
            code="telegram_unauthorized",
        )
    if isinstance(exc, Forbidden):
        return ChannelError(
            f"Telegram forbade this ({action}): the guest blocked the bot or never started it. {exc.message}",
            code="telegram_forbidden",
        )
    if isinstance(exc, TimedOut | TimeoutError):
        return ChannelError(f"Telegram did not answer in time ({action}).", retryable=True, code="telegram_timeout")
    if isinstance(exc, BadRequest):
        return ChannelError(f"Telegram refused the request ({action}): {exc.message}", code="telegram_bad_request")
    if isinstance(exc, NetworkError):
        return ChannelError(f"Telegram is unreachable ({action}): {exc.message}", retryable=True, code="telegram_down")
    if isinstance(exc, Conflict | ChatMigrated):
        return ChannelError(f"Telegram refused the request ({action}): {exc.message}", code="telegram_conflict")
    return ChannelError(f"Telegram failed ({action}): {exc}", code="telegram_error")


class BotRegistry:
    """A ``telegram.Bot`` per restaurant, rebuilt when its token changes."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self._base_url = base_url
        self._timeout = timeout
        self._bots: dict[int, tuple[str, Bot]] = {}
        self._closing: set[asyncio.Task[None]] = set()

    def get(self, restaurant_id: int, token: str) -> Bot:
        """The restaurant's bot for ``token`` (a new one when the token changed)."""
        entry = self._bots.get(restaurant_id)
        if entry is not None and entry[0] == token:
            return entry[1]
        bot = make_bot(token, self._base_url, timeout=self._timeout)
        self._bots[restaurant_id] = (token, bot)
        if entry is not None:
            self._close_later(entry[1])
        return bot

    def drop(self, restaurant_id: int) -> None:
        """Forget the restaurant's bot (its settings changed); it is closed in the background."""
        entry = self._bots.pop(restaurant_id, None)
        if entry is not None:
            self._close_later(entry[1])

    def temporary(self, token: str) -> Bot:
        """A bot outside the registry (checking a token before it is saved); close it with :func:`close_bot`."""
        return make_bot(token, self._base_url, timeout=self._timeout)

    def _close_later(self, bot: Bot) -> None:
        task = asyncio.get_running_loop().create_task(close_bot(bot))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def close(self) -> None:
        """Close every bot (at shutdown)."""
        bots, self._bots = [bot for _, bot in self._bots.values()], {}
        await asyncio.gather(*(close_bot(bot) for bot in bots), *self._closing, return_exceptions=True)
