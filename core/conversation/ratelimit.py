"""Per-conversation rate limit: a fixed one-minute window counted in the shared cache."""

from __future__ import annotations

from datetime import datetime

from core.cache import Cache
from core.conversation.types import InboundMessage

WINDOW_SECONDS = 60


async def count_message(cache: Cache, message: InboundMessage, now: datetime) -> int:
    """Count this message in its conversation's current minute; returns the count so far (1 for the first)."""
    window = int(now.timestamp()) // WINDOW_SECONDS
    key = f"rl:conv:{message.restaurant_id}:{message.channel}:{message.chat_id}:{window}"
    return await cache.incr(key, ttl=WINDOW_SECONDS * 2)
