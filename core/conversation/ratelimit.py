"""Per-conversation rate limit: a fixed one-minute window counted in the shared cache."""

from __future__ import annotations

from datetime import datetime

from core.conversation.types import InboundMessage

WINDOW_SECONDS = 60


def counter(message: InboundMessage, now: datetime) -> tuple[str, float]:
    """The cache counter (key, expiry) of this message's conversation in the current minute."""
    window = int(now.timestamp()) // WINDOW_SECONDS
    return f"rl:conv:{message.restaurant_id}:{message.channel}:{message.chat_id}:{window}", WINDOW_SECONDS * 2
