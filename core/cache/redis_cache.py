"""The cache shared by many processes: :class:`RedisCache`, and :func:`_shared_store`, the PostgreSQL
stand-in (:mod:`core.shared_pg`) it hands counters, once-only keys and locks to while Redis is away.

Named ``redis_cache``, not ``redis``: a module ``core.cache.redis`` would read like the ``redis`` library.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from core.cache.base import DEFAULT_TTL, Cache, LockTimeout
from core.cache.memory import MemoryCache
from core.jsontypes import JSON, JSONLike

if TYPE_CHECKING:
    from core.shared_pg import PostgresShared

T = TypeVar("T")
log = logging.getLogger(__name__)


# A place among ARGV[3] of a sorted set whose scores are the places' expiry (ms, Redis' own clock): drop the
# expired, then renew the holder's or add it while there is room. 1 when held, 0 when full.
_TAKE_SLOT = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
"""

# The generation of a namespace and the value cached under it, in one round trip (see RedisCache.cached).
_LOOKUP = """
local generation = redis.call('GET', KEYS[1]) or '0'
return {generation, redis.call('GET', ARGV[1] .. generation .. ARGV[2])}
"""

# Counters and their expiry (set on the first increment only) at once, ARGV holding each key's amount and
# expiry (ms) in turn: one command where a MULTI pipeline sends four per counter and parses four replies (the
# pipeline's client-side work was a tenth of a web-chat turn's CPU), and one for several counters.
_INCR = """
local values = {}
for i, key in ipairs(KEYS) do
  values[i] = redis.call('INCRBY', key, ARGV[2 * i - 1])
  redis.call('PEXPIRE', key, ARGV[2 * i], 'NX')
end
return values
"""

# A once-only key (KEYS[1], expiry ARGV[1] ms) and, only when it was absent, a counter (KEYS[2], expiry ARGV[2] ms
# set on its first increment): the counter's value, or nil when the key was there (nothing counted).
_ADD_AND_INCR = """
if not redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then
  return false
end
local value = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2], 'NX')
return value
"""


class RedisCache(Cache):
    """Redis-backed cache shared by every process.

    While Redis does not answer, cached values fall back to this process's memory (the API then
    reads the database: :mod:`api.cache_invalidation`), but what must stay shared between
    processes (counters, once-only keys, locks) goes to PostgreSQL (:mod:`core.shared_pg`) when
    that is the database, and raises when it does not answer either: never silently per-process.
    Only a single-process setup on SQLite keeps them in memory (it has no other process to share with).
    After ``retry_after`` seconds the next call tries Redis again, so the cache returns by itself.
    """

    PREFIX = "tobeout:"

    def __init__(self, redis_url: str, *, retry_after: float = 2.0, database_url: str | None = None) -> None:
        from core.redis_client import connect

        self._redis = connect(redis_url, connect_timeout=1, timeout=2)
        self._fallback = MemoryCache()
        self._shared = _shared_store(database_url)
        self._down_until = 0.0
        self._retry_after = retry_after
        self._lookup = self._redis.register_script(_LOOKUP)
        self._take_slot = self._redis.register_script(_TAKE_SLOT)
        self._incr = self._redis.register_script(_INCR)
        self._add_and_incr = self._redis.register_script(_ADD_AND_INCR)

    @property
    def degraded(self) -> bool:
        return self._down_until > time.monotonic()

    @property
    def shared_fallback(self) -> str:
        """Where counters, once-only keys and locks go while Redis is away: ``"postgresql"`` or ``"memory"``."""
        return "postgresql" if self._shared is not None else "memory"

    def _went_down(self, exc: BaseException) -> None:
        if not self.degraded:
            log.warning(
                "redis unavailable (%s); cache in-process, counters, dedup keys and locks on %s",
                exc,
                self.shared_fallback,
            )
        self._down_until = time.monotonic() + self._retry_after

    async def _call(self, op: Callable[[], Awaitable[T]], fallback: Callable[[], Awaitable[T]]) -> T:
        if self.degraded:
            return await fallback()
        try:
            return await op()
        except Exception as exc:  # redis.ConnectionError, TimeoutError, ...: serve without Redis for a moment
            self._went_down(exc)
            return await fallback()

    async def get(self, key: str) -> JSON:
        async def op() -> JSON:
            raw = await self._redis.get(self.PREFIX + key)
            return None if raw is None else json.loads(raw)

        return await self._call(op, lambda: self._fallback.get(key))

    async def cached(
        self, namespace: str, key: str, loader: Callable[[], Awaitable[JSONLike]], ttl: float = DEFAULT_TTL
    ) -> JSONLike:
        """As :meth:`Cache.cached`, with the generation and the value read in one round trip (a Lua script:
        the value's key is built inside it, so this needs a single Redis server, not a cluster)."""
        if self.degraded:
            return await super().cached(namespace, key, loader, ttl)
        try:
            reply = await self._lookup(
                keys=[f"{self.PREFIX}gen:{namespace}"], args=[f"{self.PREFIX}c:{namespace}:", f":{key}"]
            )
        except Exception as exc:  # as in _call: serve without Redis for a moment
            self._went_down(exc)
            return await super().cached(namespace, key, loader, ttl)
        if len(reply) > 1 and reply[1] is not None:  # a miss: GET's false, sent back as a nil
            hit: JSON = json.loads(reply[1])
            return hit
        value = await loader()
        await self.set(f"c:{namespace}:{int(reply[0])}:{key}", value, ttl)
        return value

    async def set(self, key: str, value: JSONLike, ttl: float = DEFAULT_TTL) -> None:
        raw = json.dumps(value, default=str)
        await self._call(
            lambda: self._redis.set(self.PREFIX + key, raw, px=int(ttl * 1000)),
            lambda: self._fallback.set(key, value, ttl),
        )

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._call(
                lambda: self._redis.delete(*(self.PREFIX + k for k in keys)), lambda: self._fallback.delete(*keys)
            )

    async def incr(self, key: str, ttl: float, amount: int = 1) -> int:
        return (await self._incr_all([(key, ttl, amount)]))[0]

    async def incr_many(self, counters: Sequence[tuple[str, float]]) -> list[int]:
        return await self._incr_all([(key, ttl, 1) for key, ttl in counters])

    async def _incr_all(self, counters: Sequence[tuple[str, float, int]]) -> list[int]:
        """Each ``(key, ttl, amount)`` counted by one script; in PostgreSQL or memory while Redis is away."""
        if not counters:
            return []

        async def op() -> list[int]:
            keys = [self.PREFIX + key for key, _, _ in counters]
            args = [part for _, ttl, amount in counters for part in (amount, int(ttl * 1000))]
            return [int(value) for value in await self._incr(keys=keys, args=args)]

        async def fallback() -> list[int]:
            store = self._shared if self._shared is not None else self._fallback
            return [await store.incr(key, ttl, amount) for key, ttl, amount in counters]

        return await self._call(op, fallback)

    async def add(self, key: str, ttl: float) -> bool:
        async def op() -> bool:
            return bool(await self._redis.set(self.PREFIX + key, "1", px=int(ttl * 1000), nx=True))

        async def fallback() -> bool:
            if self._shared is not None:
                return await self._shared.add(key, ttl)
            return await self._fallback.add(key, ttl)

        return await self._call(op, fallback)

    async def add_and_incr(self, key: str, ttl: float, counter: str, counter_ttl: float) -> int | None:
        async def op() -> int | None:
            value = await self._add_and_incr(
                keys=[self.PREFIX + key, self.PREFIX + counter], args=[int(ttl * 1000), int(counter_ttl * 1000)]
            )
            return None if value is None else int(value)

        async def fallback() -> int | None:
            store = self._shared if self._shared is not None else self._fallback
            if not await store.add(key, ttl):
                return None
            return await store.incr(counter, counter_ttl)

        return await self._call(op, fallback)

    async def take_slot(self, key: str, holder: str, limit: int, ttl: float) -> bool:
        """As :meth:`Cache.take_slot`, shared by every process (one Lua script: a single Redis server). While
        Redis is away the places are counted in this process only: a cap, not a guarantee, so it degrades."""

        async def op() -> bool:
            return bool(
                await self._take_slot(keys=[f"{self.PREFIX}slots:{key}"], args=[holder, int(ttl * 1000), limit])
            )

        return await self._call(op, lambda: self._fallback.take_slot(key, holder, limit, ttl))

    async def release_slot(self, key: str, holder: str) -> None:
        async def op() -> None:
            await self._redis.zrem(f"{self.PREFIX}slots:{key}", holder)

        await self._call(op, lambda: self._fallback.release_slot(key, holder))

    @contextlib.asynccontextmanager
    async def lock(self, key: str, *, timeout: float = 60.0, wait: float = 30.0) -> AsyncIterator[None]:
        if not self.degraded:
            lock = self._redis.lock(self.PREFIX + "lock:" + key, timeout=timeout, blocking_timeout=wait)
            try:
                acquired = await lock.acquire()
            except Exception as exc:
                self._went_down(exc)
            else:
                if not acquired:
                    raise LockTimeout(f"lock {key!r} is busy")
                try:
                    yield
                finally:
                    with contextlib.suppress(Exception):  # expired or Redis gone: nothing left to release
                        await lock.release()
                return
        async with self._fallback_lock(key, timeout=timeout, wait=wait):
            yield

    @contextlib.asynccontextmanager
    async def _fallback_lock(self, key: str, *, timeout: float, wait: float) -> AsyncIterator[None]:
        if self._shared is None:
            async with self._fallback.lock(key, timeout=timeout, wait=wait):
                yield
            return
        from core.shared_pg import LockBusy

        try:
            async with self._shared.lock(key, wait=wait):
                yield
        except LockBusy:
            raise LockTimeout(f"lock {key!r} is busy") from None

    async def ping(self) -> bool:
        try:
            await self._redis.ping()
        except Exception:
            return False
        self._down_until = 0.0
        return True

    async def close(self) -> None:
        await self._redis.aclose()

    async def reset(self) -> None:
        """Drop every pooled Redis connection; the next command opens a fresh one."""
        try:
            await self._redis.connection_pool.disconnect()
        except Exception as exc:
            log.warning("could not reset the Redis connections: %s", exc)
        if self._shared is not None:
            await self._shared.close()


def _shared_store(database_url: str | None) -> PostgresShared | None:
    """The PostgreSQL stand-in for shared keys, or None for SQLite / no database (one process)."""
    if not database_url or database_url.startswith("sqlite:"):
        return None
    from core.shared_pg import PostgresShared

    return PostgresShared(database_url)  # imported here: asyncpg only where PostgreSQL is used
