"""Messages for web-chat visitors that arrive while no request is open (staff changes).

The widget has no push connection; it fetches its outbox when it loads and every
minute while open. Entries live in the shared cache for a week.
"""

from __future__ import annotations

from typing import Any

from core.conversation.types import Reply
from core.runtime import Runtime

OUTBOX_TTL = 7 * 24 * 3600
OUTBOX_LIMIT = 20


def outbox_key(restaurant_id: int, session_id: str) -> str:
    """Cache key of one visitor's pending messages."""
    return f"webchat:outbox:{restaurant_id}:{session_id}"


class WebchatAdapter:
    """Channel adapter for notifications to web-chat visitors."""

    name = "webchat"

    def __init__(self, runtime: Runtime) -> None:
        self._cache = runtime.cache

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Queue ``replies`` for the visitor ``chat_id`` (their session id)."""
        key = outbox_key(restaurant_id, chat_id)
        async with self._cache.lock(key, timeout=10, wait=10):
            pending = await self._cache.get(key) or []
            pending.extend(reply.to_dict() for reply in replies)
            await self._cache.set(key, pending[-OUTBOX_LIMIT:], ttl=OUTBOX_TTL)

    async def take(self, restaurant_id: int, chat_id: str) -> list[dict[str, Any]]:
        """Return and clear the visitor's pending messages."""
        key = outbox_key(restaurant_id, chat_id)
        async with self._cache.lock(key, timeout=10, wait=10):
            pending = await self._cache.get(key) or []
            if pending:
                await self._cache.delete(key)
        return pending
