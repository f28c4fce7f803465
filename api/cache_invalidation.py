"""Cached restaurant figures (availability, dashboard) go stale the moment something they depend on changes.

One bus handler, installed at startup, bumps the generation of the restaurant's cache
namespace (``restaurant:<id>``) for every reservation, table, hours, restaurant and
guest event, and of its reports' namespace (``reports:<id>``) for those and every
conversation event. It is a batch handler: events published together (a conversation turn's
messages) bump each namespace once, all in one round trip. Handlers run in the process that
published the events, before they reach any subscriber, and the cache is shared (Redis) when
several processes run, so a read after a write is never served a figure computed before it, in any process.

While Redis is away (``cache.degraded``) the figures are not cached at all: every read
goes to the database. An invalidation that could not reach Redis is remembered and
replayed as soon as Redis answers again (on the next read, or by a small background
retry), so a figure cached in Redis before the outage is never served after a write
made during it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from quart import Quart

from api.common import reports_namespace, restaurant_namespace
from core.events import DomainEvent
from core.runtime import Runtime, StashKey, runtime_of

log = logging.getLogger(__name__)

#: Events whose restaurant's cached figures must be recomputed.
INVALIDATING_PREFIXES = ("reservation.", "table.", "hours.", "restaurant.", "guest.", "timeslot")
#: Events whose restaurant's cached reports must be recomputed (``reports:<id>``): the same, and the
#: conversations' (a turn, a handoff), which the bot's report counts.
REPORT_PREFIXES = (*INVALIDATING_PREFIXES, "conversation.")
DEFAULT_TTL = 30.0
RETRY_SECONDS = 1.0
_CACHE: StashKey[RestaurantCache] = StashKey("restaurant_cache")
_INSTALLED: StashKey[bool] = StashKey("cache_invalidation_installed")


class RestaurantCache:
    """Per-restaurant cached reads over ``runtime.cache``, with invalidations that survive a Redis outage."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.pending: set[str] = set()
        self._retry: asyncio.Task[None] | None = None

    async def cached(
        self,
        restaurant_id: int,
        key: str,
        loader: Callable[[], Awaitable[Any]],
        ttl: float = DEFAULT_TTL,
        *,
        reports: bool = False,
    ) -> Any:
        """``loader()``'s value for ``key`` in the restaurant's namespace (its reports' namespace with
        ``reports``); straight from ``loader`` while the shared cache is away."""
        cache = self.runtime.cache
        if self.pending and not cache.degraded:
            await self.replay()
        if cache.degraded or self.pending:
            return await loader()
        namespace = reports_namespace(restaurant_id) if reports else restaurant_namespace(restaurant_id)
        return await cache.cached(namespace, key, loader, ttl=ttl)

    async def invalidate(self, namespaces: Iterable[str]) -> None:
        """Make every figure cached under ``namespaces`` (:func:`api.common.restaurant_namespace`,
        :func:`api.common.reports_namespace`) stale, in one round trip (remembered for replay if Redis is away)."""
        namespaces = list(namespaces)
        if not namespaces:
            return
        await self.runtime.cache.invalidate(*namespaces)
        if self.runtime.cache.degraded:
            self.pending.update(namespaces)
            self._schedule_retry()

    async def replay(self) -> None:
        """Send the invalidations that could not reach Redis; stop at the first that still cannot."""
        cache = self.runtime.cache
        for namespace in sorted(self.pending):
            await cache.invalidate(namespace)
            if cache.degraded:
                return
            self.pending.discard(namespace)
        log.info("cache invalidations replayed after redis came back")

    def _schedule_retry(self) -> None:
        if self._retry is None or self._retry.done():
            self._retry = asyncio.get_running_loop().create_task(self._retry_until_sent(), name="cache-replay")

    async def _retry_until_sent(self) -> None:
        while self.pending:
            await asyncio.sleep(RETRY_SECONDS)
            with contextlib.suppress(Exception):
                await self.replay()

    async def close(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retry


def restaurant_cache(runtime: Runtime) -> RestaurantCache:
    """The app's :class:`RestaurantCache` (created on first use)."""
    return runtime.stash.setdefault(_CACHE, lambda: RestaurantCache(runtime))


def stale_namespaces(events: Iterable[DomainEvent]) -> list[str]:
    """The cache namespaces ``events`` make stale, each once, in the order the events name them."""
    namespaces: dict[str, None] = {}
    for event in events:
        if event.type.startswith(INVALIDATING_PREFIXES):
            namespaces[restaurant_namespace(event.restaurant_id)] = None
        if event.type.startswith(REPORT_PREFIXES):
            namespaces[reports_namespace(event.restaurant_id)] = None
    return list(namespaces)


def invalidation_handler(runtime: Runtime) -> Callable[[Sequence[DomainEvent]], Awaitable[None]]:
    """The batch handler: events published together -> their namespaces (:func:`stale_namespaces`) invalidated."""

    async def invalidate_restaurant_cache(events: Sequence[DomainEvent]) -> None:
        await restaurant_cache(runtime).invalidate(stale_namespaces(events))

    return invalidate_restaurant_cache


def install_cache_invalidation(app: Quart) -> None:
    """Register the handler on the app's bus when the app starts (once, however often it starts)."""

    @app.before_serving
    async def _install_cache_invalidation() -> None:
        runtime = runtime_of(app)
        if not runtime.stash.get(_INSTALLED):
            runtime.bus.add_batch_handler(invalidation_handler(runtime))
            runtime.stash[_INSTALLED] = True

    @app.after_serving
    async def _stop_cache_replay() -> None:
        await restaurant_cache(runtime_of(app)).close()
