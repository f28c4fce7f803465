"""Cached restaurant figures (availability, dashboard) go stale the moment something they depend on changes.

One bus handler, installed at startup, bumps the generation of the restaurant's cache
namespace (``restaurant:<id>``) for every reservation, table, hours, restaurant and
guest event. Handlers run in the process that published the event, before the event
reaches any subscriber, and the cache is shared (Redis) when several processes run,
so a read after a write is never served a figure computed before it, in any process.
"""

from __future__ import annotations

from quart import Quart

from api.common import restaurant_namespace
from core.events import DomainEvent
from core.runtime import Runtime

#: Events whose restaurant's cached figures must be recomputed.
INVALIDATING_PREFIXES = ("reservation.", "table.", "hours.", "restaurant.", "guest.", "timeslot")


def invalidation_handler(runtime: Runtime):  # type: ignore[no-untyped-def]
    """The handler: ``event`` -> invalidate ``restaurant:<event.restaurant_id>``."""

    async def invalidate_restaurant_cache(event: DomainEvent) -> None:
        if event.type.startswith(INVALIDATING_PREFIXES):
            await runtime.cache.invalidate(restaurant_namespace(event.restaurant_id))

    return invalidate_restaurant_cache


def install_cache_invalidation(app: Quart) -> None:
    """Register the handler on the app's bus when the app starts (once, however often it starts)."""

    @app.before_serving
    async def _install_cache_invalidation() -> None:
        runtime: Runtime = app.runtime  # type: ignore[attr-defined]
        if not runtime.extras.get("cache_invalidation_installed"):
            runtime.bus.add_handler(invalidation_handler(runtime))
            runtime.extras["cache_invalidation_installed"] = True
