"""The cache of one process: :class:`MemoryCache`, a dictionary with expiry (the embedded default, and
what :class:`~core.cache.redis_cache.RedisCache` keeps cached values in while Redis is away)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator

from core.cache.base import DEFAULT_TTL, Cache, LockTimeout
from core.jsontypes import JSON, JSONLike


class MemoryCache(Cache):
    """A dictionary with expiry, for one process."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[float, str]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._lock_users: dict[str, int] = {}
        self._slots: dict[str, dict[str, float]] = {}

    def _live(self, key: str) -> tuple[float, str] | None:
        item = self._data.get(key)
        if item is None:
            return None
        if item[0] < time.monotonic():
            del self._data[key]
            return None
        return item

    async def get(self, key: str) -> JSON:
        item = self._live(key)
        return None if item is None else json.loads(item[1])

    async def set(self, key: str, value: JSONLike, ttl: float = DEFAULT_TTL) -> None:
        if len(self._data) > 50_000:
            self._sweep()
        self._data[key] = (time.monotonic() + ttl, json.dumps(value, default=str))

    def _sweep(self) -> None:
        now = time.monotonic()
        for key in [k for k, (exp, _) in self._data.items() if exp < now]:
            del self._data[key]

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._data.pop(key, None)

    async def incr(self, key: str, ttl: float, amount: int = 1) -> int:
        item = self._live(key)  # no await between reading and writing: atomic on the event loop
        if item is None:
            self._data[key] = (time.monotonic() + ttl, str(amount))
            return amount
        value = int(json.loads(item[1])) + amount
        self._data[key] = (item[0], str(value))
        return value

    async def add(self, key: str, ttl: float) -> bool:
        if self._live(key) is not None:
            return False
        self._data[key] = (time.monotonic() + ttl, "1")
        return True

    async def take_slot(self, key: str, holder: str, limit: int, ttl: float) -> bool:
        now = time.monotonic()
        held = {h: until for h, until in self._slots.get(key, {}).items() if until > now}
        if holder not in held and len(held) >= limit:
            self._slots[key] = held
            return False
        held[holder] = now + ttl
        self._slots[key] = held
        return True

    async def release_slot(self, key: str, holder: str) -> None:
        held = self._slots.get(key)
        if held is not None:
            held.pop(holder, None)
            if not held:
                del self._slots[key]

    @contextlib.asynccontextmanager
    async def lock(self, key: str, *, timeout: float = 60.0, wait: float = 30.0) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._lock_users[key] = self._lock_users.get(key, 0) + 1
        try:
            try:
                await asyncio.wait_for(lock.acquire(), timeout=wait)
            except TimeoutError:
                raise LockTimeout(f"lock {key!r} is busy") from None
            try:
                yield
            finally:
                lock.release()
        finally:
            self._lock_users[key] -= 1
            if not self._lock_users[key]:
                del self._lock_users[key]
                self._locks.pop(key, None)
