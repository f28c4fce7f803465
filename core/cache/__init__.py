"""What crosses processes besides events: cached values, counters, once-only keys, locks.

:class:`Cache` is the one interface; :class:`MemoryCache` serves a single process
(the embedded default), :class:`RedisCache` many processes. Code above it does not
know which one runs. When Redis goes away, :class:`RedisCache` keeps cached values
in-process (the API keeps answering from the database), puts counters, once-only keys
and locks in PostgreSQL (never per-process while other processes may run), and returns
to Redis by itself once it answers again.

Cached reads use per-namespace generations: :meth:`Cache.invalidate` bumps the
generation, so a value computed from data read before a write can never be
served after that write's invalidation.

The package, one module a job: :mod:`~core.cache.base` (the interface, :class:`LockTimeout`),
:mod:`~core.cache.memory` (one process), :mod:`~core.cache.redis_cache` (many processes, with the
PostgreSQL stand-in while Redis is away). Code outside imports from ``core.cache``.
"""

from __future__ import annotations

from core.cache.base import DEFAULT_TTL, GENERATION_TTL, Cache, LockTimeout
from core.cache.memory import MemoryCache
from core.cache.redis_cache import RedisCache, _shared_store

__all__ = [
    "DEFAULT_TTL",
    "GENERATION_TTL",
    "Cache",
    "LockTimeout",
    "MemoryCache",
    "RedisCache",
    "_shared_store",
    "make_cache",
]


def make_cache(redis_url: str | None, *, database_url: str | None = None) -> Cache:
    """The cache for this configuration: Redis-backed when ``redis_url`` is set (with PostgreSQL at
    ``database_url`` standing in for shared keys and locks while Redis is away)."""
    return RedisCache(redis_url, database_url=database_url) if redis_url else MemoryCache()
