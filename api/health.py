"""Liveness and readiness probes, and the channels' health for staff.

* ``GET /livez`` (and ``/healthz``): the process answers; no I/O at all (a liveness probe).
* ``GET /readyz``: this instance can serve bookings: the database answers (and Redis, only when
  ``READY_REQUIRES_REDIS=true``: without it the service degrades to PostgreSQL, so a load balancer must
  not drop every instance while Redis restarts). It names no restaurant and calls no outside service.
* ``GET /api/health`` (signed in): the same plus every integration's and plugin's check, limited to the
  caller's restaurant (admins: all), e.g. ``telegram:<restaurantId>`` for a revoked bot token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quart import Blueprint, ResponseReturnValue, current_app, jsonify
from quart_schema import hide, tag

from api.security import login_required, principal
from core import db
from core.plugins import call_hook
from core.runtime import Runtime, runtime_of

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
@blueprint.get("/livez")
@hide
async def livez() -> ResponseReturnValue:
    """The process is alive (answers without touching the database, Redis or anything outside)."""
    return jsonify({"status": "ok"})


@blueprint.get("/readyz")
@hide
async def readyz() -> ResponseReturnValue:
    """The database answers (and Redis when ``READY_REQUIRES_REDIS``); 503 names what is down."""
    runtime = runtime_of(current_app)
    checks, required = await infrastructure_checks(runtime)
    return _answer(checks, required)


@blueprint.get("/api/health")
@tag(["health"])
@login_required
async def health() -> ResponseReturnValue:
    """Readiness plus every integration's and plugin's check, for the caller's restaurant (admins: all)."""
    runtime = runtime_of(current_app)
    checks, required = await infrastructure_checks(runtime)
    who = principal()
    for name, check in (await plugin_checks(runtime)).items():
        _, _, owner = name.rpartition(":")
        if who.is_admin or not owner.isdigit() or int(owner) == who.restaurant_id:
            checks[name] = check
    return _answer(checks, required)


def _answer(checks: dict[str, dict[str, Any]], required: set[str]) -> ResponseReturnValue:
    ready = all(check["ok"] for name, check in checks.items() if name in required)
    body: dict[str, Any] = {"status": "ready" if ready else "unavailable", "checks": checks}
    if not ready:
        body["unavailable"] = sorted(name for name in required if name in checks and not checks[name]["ok"])
    return jsonify(body), 200 if ready else 503


async def infrastructure_checks(runtime: Runtime) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The database, Redis and the event bus (no restaurant, no outside service); and which are required."""
    checks: dict[str, dict[str, Any]] = {}
    try:
        await db.ping()
        checks["database"] = {"ok": True, "detail": "reachable"}
    except Exception as exc:
        checks["database"] = {"ok": False, "detail": f"unreachable: {exc.__class__.__name__}"}
    if runtime.settings.redis_url:
        ok = await runtime.cache.ping()
        checks["redis"] = {"ok": ok, "detail": "reachable" if ok else "unreachable"}
        checks["events"] = {
            "ok": not runtime.bus.degraded,
            "detail": "redis pub/sub" if not runtime.bus.degraded else "in-process only (redis down)",
        }
    required = {"database", "redis"} if runtime.settings.ready_requires_redis else {"database"}
    return checks, required


async def plugin_checks(runtime: Runtime) -> dict[str, dict[str, Any]]:
    """Every integration type's ``health`` and every ``tobeout_readiness`` check; a failing one reports itself."""
    checks: dict[str, dict[str, Any]] = {}
    for kind in runtime.integrations.values():
        if kind.health is None:
            continue
        try:
            found = await kind.health(runtime)
        except Exception as exc:  # a broken health check is a finding, not a 500
            found = {kind.name: {"ok": False, "detail": f"health check failed: {exc.__class__.__name__}"}}
        checks.update({name: dict(check) for name, check in found.items()})
    try:
        results = await call_hook(runtime.plugins, "tobeout_readiness", runtime=runtime)
    except Exception as exc:  # e.g. a check needing the database while it is away: still say what is down
        results = [{"plugins": {"ok": False, "detail": f"checks failed: {exc.__class__.__name__}"}}]
    for result in results:
        if isinstance(result, Mapping):
            checks.update({str(name): dict(check) for name, check in result.items() if isinstance(check, Mapping)})
    return checks
