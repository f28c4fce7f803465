"""Counting requests of public, unauthenticated endpoints (the guest's manage page, the widget's booking form)
in the shared cache, one fixed window per key.

``await throttle(cache, "manage:addr:" + address, limit=60, window=60)`` counts one request and raises
:class:`core.errors.RateLimited` (HTTP 429 with ``Retry-After``) once the key went over ``limit`` in the
current window. The counter lives in :class:`core.cache.Cache`, so every process of a deployment counts
together when Redis is configured.
"""

from __future__ import annotations

from core.cache import Cache
from core.errors import RateLimited


async def throttle(cache: Cache, key: str, *, limit: int, window: int, message: str | None = None) -> int:
    """Count one request under ``key`` (a window of ``window`` seconds starts with the first one) and return
    the count so far; :class:`RateLimited` with ``retryAfter = window`` past ``limit``."""
    count = await cache.incr(f"throttle:{key}", ttl=window)
    if count > limit:
        raise RateLimited(
            message or "Too many requests; please wait a minute and try again.", details={"retryAfter": window}
        )
    return count
