"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from quart import Blueprint, ResponseReturnValue, current_app, jsonify
from quart_schema import hide

from core import db
from core.plugins import call_hook
from core.runtime import Runtime, runtime_of

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
@hide
async def healthz() -> ResponseReturnValue:
    """The process is alive."""
    return jsonify({"status": "ok"})


@blueprint.get("/readyz")
@hide
async def readyz() -> ResponseReturnValue:
    """Database and (when configured) Redis answer; integrations and plugins add checks. 503 names what is down."""
    runtime = runtime_of(current_app)
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
    required = {"database", "redis"}
    checks.update(await plugin_checks(runtime))
    ready = all(check["ok"] for name, check in checks.items() if name in required)
    body: dict[str, Any] = {"status": "ready" if ready else "unavailable", "checks": checks}
    if not ready:
        body["unavailable"] = sorted(name for name in required if name in checks and not checks[name]["ok"])
    return jsonify(body), 200 if ready else 503


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
        checks.update({name: dict(check) for name, check in result.items()})
    return checks
