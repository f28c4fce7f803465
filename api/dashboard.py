"""``GET /api/dashboard/stats`` and ``GET /api/dashboard/upcoming``: the restaurant's figures at a glance.

Both are cached for 30 s in the restaurant's cache namespace (``restaurant:<id>``),
which every reservation, table, hours and guest event invalidates (see
:mod:`api.cache_invalidation`), so a figure never lags behind a write.
"""

from __future__ import annotations

from typing import Any

from quart import Blueprint, current_app
from quart_schema import tag, validate_querystring, validate_response

from api.cache_invalidation import restaurant_cache
from api.schemas.reservations import DashboardStats, ReservationOut, UpcomingQuery
from api.security import login_required, restaurant_scope
from core.booking import dashboard
from core.booking.views import reservation_view
from core.runtime import runtime_of

blueprint = Blueprint("dashboard", __name__, url_prefix="/api/dashboard")
CACHE_TTL = 30.0


@blueprint.get("/stats")
@tag(["dashboard"])
@login_required
@validate_response(DashboardStats)
async def stats() -> dict[str, int]:
    """``{todayReservations, confirmedReservations, pendingReservations, totalGuests}`` (cached 30 s)."""
    rid = restaurant_scope()
    runtime = runtime_of(current_app)
    now = runtime.clock()

    async def load() -> dict:
        return await dashboard.dashboard_stats(rid, now=now)

    key = f"dashboard:stats:{now:%Y%m%dT%H%M}"
    return await restaurant_cache(runtime).cached(rid, key, load, ttl=CACHE_TTL)


@blueprint.get("/upcoming")
@tag(["dashboard"])
@login_required
@validate_querystring(UpcomingQuery)
@validate_response(list[ReservationOut])
async def upcoming(query_args: UpcomingQuery) -> list[dict[str, Any]]:
    """The next active reservations from now, soonest first (``?limit=``, default 10; cached 30 s)."""
    rid = restaurant_scope()
    runtime = runtime_of(current_app)
    now = runtime.clock()

    async def load() -> list[dict]:
        rows = await dashboard.upcoming(rid, now=now, limit=query_args.limit)
        return [ReservationOut.model_validate(reservation_view(r)).model_dump(mode="json", by_alias=True) for r in rows]

    key = f"dashboard:upcoming:{query_args.limit}:{now:%Y%m%dT%H%M}"
    return await restaurant_cache(runtime).cached(rid, key, load, ttl=CACHE_TTL)
