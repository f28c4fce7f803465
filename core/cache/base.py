"""The cache's interface: :class:`Cache` (cached values, counters, once-only keys, locks, slots) and
:class:`LockTimeout`, with the defaults every implementation shares.

Cached reads use per-namespace generations: :meth:`Cache.invalidate` bumps the
generation, so a value computed from data read before a write can never be
served after that write's invalidation.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence

from core.jsontypes import JSON, JSONLike

DEFAULT_TTL = 30.0
GENERATION_TTL = 7 * 24 * 3600.0


class LockTimeout(Exception):
    """A lock could not be acquired within its wait time."""


class Cache:
    """The interface; every method is safe to call concurrently."""

    async def get(self, key: str) -> JSON:
        """The JSON value stored at ``key``, or None."""
        raise NotImplementedError

    async def set(self, key: str, value: JSONLike, ttl: float = DEFAULT_TTL) -> None:
        """Store a JSON-serialisable ``value`` for ``ttl`` seconds."""
        raise NotImplementedError

    async def delete(self, *keys: str) -> None:
        """Forget ``keys``."""
        raise NotImplementedError

    async def incr(self, key: str, ttl: float, amount: int = 1) -> int:
        """Add ``amount`` to the counter at ``key`` (created with expiry ``ttl``) and return the new value,
        atomically: concurrent callers each see a different value."""
        raise NotImplementedError

    async def incr_many(self, counters: Sequence[tuple[str, float]]) -> list[int]:
        """Add 1 to each counter ``(key, ttl)`` as :meth:`incr` does, together (one round trip with Redis);
        their new values, in the same order."""
        return [await self.incr(key, ttl) for key, ttl in counters]

    async def add(self, key: str, ttl: float) -> bool:
        """Set ``key`` only if absent; True when this call set it (a once-only marker)."""
        raise NotImplementedError

    async def add_and_incr(self, key: str, ttl: float, counter: str, counter_ttl: float) -> int | None:
        """:meth:`add` the once-only ``key`` and, only when this call set it, :meth:`incr` ``counter`` (created with
        expiry ``counter_ttl``): the counter's new value, or None when ``key`` was there already (nothing
        counted). One round trip with Redis (an inbound message marked and counted in its conversation's minute)."""
        if not await self.add(key, ttl):
            return None
        return await self.incr(counter, counter_ttl)

    def lock(
        self, key: str, *, timeout: float = 60.0, wait: float = 30.0
    ) -> contextlib.AbstractAsyncContextManager[None]:
        """Hold an exclusive lock on ``key``; released on exit or after ``timeout`` seconds."""
        raise NotImplementedError

    async def take_slot(self, key: str, holder: str, limit: int, ttl: float) -> bool:
        """Hold one of the ``limit`` places of ``key`` as ``holder`` for ``ttl`` seconds; False when all are
        held by others. Calling it again for a holder that has its place renews it (always True). A place
        not renewed within ``ttl`` is free again, so a process killed while holding places leaks none."""
        raise NotImplementedError

    async def release_slot(self, key: str, holder: str) -> None:
        """Give ``holder``'s place of ``key`` back."""
        raise NotImplementedError

    async def ping(self) -> bool:
        """True when the backing store answers."""
        return True

    @property
    def degraded(self) -> bool:
        """True when a shared store is configured but not reachable right now."""
        return False

    async def close(self) -> None:
        """Release connections."""

    async def reset(self) -> None:
        """Drop the connections to the backing store, so the next call opens fresh ones (nothing in-process)."""

    async def generation(self, namespace: str) -> int:
        """The current generation number of ``namespace``."""
        value = await self.get(f"gen:{namespace}")
        return int(value) if isinstance(value, int | str) and str(value).isdigit() else 0

    async def invalidate(self, *namespaces: str) -> None:
        """Make every value cached under each of ``namespaces`` stale at once (one round trip with Redis)."""
        await self.incr_many([(f"gen:{namespace}", GENERATION_TTL) for namespace in namespaces])

    async def cached(
        self, namespace: str, key: str, loader: Callable[[], Awaitable[JSONLike]], ttl: float = DEFAULT_TTL
    ) -> JSONLike:
        """``loader()``'s JSON value, from the cache when a fresh one is there."""
        full_key = f"c:{namespace}:{await self.generation(namespace)}:{key}"
        hit = await self.get(full_key)
        if hit is not None:
            return hit
        value = await loader()
        await self.set(full_key, value, ttl)
        return value
