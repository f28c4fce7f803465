"""Liveness and readiness probes."""

from __future__ import annotations

from quart import Blueprint, current_app, jsonify
from quart_schema import hide

from core import db
from core.plugins import call_hook

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
@hide
async def healthz():  # type: ignore[no-untyped-def]
    """The process is alive."""
    return jsonify({"status": "ok"})


@blueprint.get("/readyz")
@hide
async def readyz():  # type: ignore[no-untyped-def]
    """Database and (when configured) Redis answer; plugins may add checks. 503 names what is down."""
    runtime = current_app.runtime
    checks: dict[str, dict] = {}
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
    try:
        results = await call_hook(runtime.plugins, "tobeout_readiness", runtime=runtime)
    except Exception as exc:  # a plugin's check needing the database while it is away: still say what is down
        results = [{"plugins": {"ok": False, "detail": f"checks failed: {exc.__class__.__name__}"}}]
    for result in results:
        for name, check in result.items():
            checks[name] = check
    ready = all(check["ok"] for name, check in checks.items() if name in required)
    body = {"status": "ready" if ready else "unavailable", "checks": checks}
    if not ready:
        body["unavailable"] = sorted(name for name in required if name in checks and not checks[name]["ok"])
    return jsonify(body), 200 if ready else 503
