"""PostgreSQL standing in for Redis, while Redis is away, for what must stay shared between processes.

Counters (rate limits), once-only keys (message dedup) and locks (one conversation's
messages one at a time) must never silently become per-process while other processes
run: :class:`core.cache.RedisCache` hands them here when Redis does not answer.

* counters and once-only keys are rows of ``shared_keys`` written with one
  ``INSERT ... ON CONFLICT`` each (atomic across processes; an expired row counts as absent);
* a lock is a transaction-level advisory lock (``pg_advisory_xact_lock`` on a 64-bit hash of
  the key) held by an open transaction on a connection of a small pool of its own, so a
  holder that dies releases it with its connection, and locks never use up the ORM's pool.
  Counters and once-only keys have a pool of their own too: a turn holding a lock counts and
  marks things, and when both shared one pool, as many held locks as connections left every
  holder waiting for a connection that only a holder could give back (the server hung for good
  during the web-chat rush of ``python -m bench rush``).

If PostgreSQL does not answer either, the operation raises: the caller fails closed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from core.db import normalise_url

LOCK_POOL_SIZE = 20
#: Connections for counters and once-only keys (each held for one statement).
KEYS_POOL_SIZE = 10

_INCR = """
INSERT INTO shared_keys (key, value, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
ON CONFLICT (key) DO UPDATE SET
  value = CASE WHEN shared_keys.expires_at <= now() THEN EXCLUDED.value ELSE shared_keys.value + EXCLUDED.value END,
  expires_at = CASE WHEN shared_keys.expires_at <= now() THEN EXCLUDED.expires_at ELSE shared_keys.expires_at END
RETURNING value
"""
_ADD = """
INSERT INTO shared_keys (key, value, expires_at) VALUES ($1, 1, now() + make_interval(secs => $2))
ON CONFLICT (key) DO UPDATE SET value = 1, expires_at = EXCLUDED.expires_at WHERE shared_keys.expires_at <= now()
RETURNING 1
"""
_SWEEP = "DELETE FROM shared_keys WHERE expires_at < now() - interval '1 hour'"


class LockBusy(Exception):
    """The advisory lock was not granted within the wait time."""


class PostgresShared:
    """Counters, once-only keys and locks in the PostgreSQL database at ``database_url``."""

    def __init__(self, database_url: str) -> None:
        self._dsn = normalise_url(database_url).replace("postgres://", "postgresql://", 1)
        self._pools: dict[str, Any] = {}
        self._opening = asyncio.Lock()

    async def _get_pool(self, kind: str = "keys") -> Any:
        """The pool for ``"locks"`` (connections held for a lock's block) or ``"keys"`` (one statement)."""
        async with self._opening:
            if kind not in self._pools:
                import asyncpg

                size = LOCK_POOL_SIZE if kind == "locks" else KEYS_POOL_SIZE
                self._pools[kind] = await asyncpg.create_pool(
                    self._dsn, min_size=0, max_size=size, timeout=3, command_timeout=10
                )
            return self._pools[kind]

    async def incr(self, key: str, ttl: float, amount: int = 1) -> int:
        """Add ``amount`` to the counter ``key`` (created with expiry ``ttl``); the new value."""
        pool = await self._get_pool()
        return int(await pool.fetchval(_INCR, key, amount, float(ttl)))

    async def add(self, key: str, ttl: float) -> bool:
        """Set ``key`` if absent (or expired); True when this call set it."""
        pool = await self._get_pool()
        return await pool.fetchval(_ADD, key, float(ttl)) is not None

    @contextlib.asynccontextmanager
    async def lock(self, key: str, *, wait: float) -> AsyncIterator[None]:
        """Hold the advisory lock of ``key`` for the block; :class:`LockBusy` after ``wait`` seconds."""
        import asyncpg

        pool = await self._get_pool("locks")
        async with pool.acquire(timeout=max(wait, 0.1)) as connection, connection.transaction():
            await connection.execute("SELECT set_config('lock_timeout', $1, true)", f"{max(1, int(wait * 1000))}ms")
            try:
                await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)
            except asyncpg.LockNotAvailableError:
                raise LockBusy(key) from None
            yield

    async def sweep(self) -> None:
        """Delete rows expired for a while (they are ignored anyway; this keeps the table small)."""
        pool = await self._get_pool()
        await pool.execute(_SWEEP)

    async def close(self) -> None:
        """Close the pools (those ever opened)."""
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.close()
