"""A restaurant's channel status, ``{"ok", "detail", "checkedAt"}``, and the ``/readyz`` report built from it.

The status is cached (shared by all processes) for the plugin's ``status_ttl_seconds`` and
copied into the settings row when it changes, so staff see it. :func:`readiness` reports
every switched-on restaurant from the cache and refreshes stale entries with the channel's
own check, in the background and within :data:`READINESS_BUDGET` seconds.

``channel`` arguments are channel objects (:class:`channels.common.channel.ChatChannel`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar

from channels.common.channel import ChatChannel, status_key
from core.integrations import active_integrations, get_integration, save_integration

log = logging.getLogger(__name__)

READINESS_BUDGET = 2.0

C = TypeVar("C", bound=ChatChannel)
Check = Callable[[C, int], Coroutine[Any, Any, dict[str, Any]]]


def status(ok: bool, detail: str) -> dict[str, Any]:
    """A status record as stored and shown: ``{"ok", "detail", "checkedAt"}``."""
    return {"ok": ok, "detail": detail, "checkedAt": datetime.now(UTC).isoformat(timespec="seconds")}


async def record_status(channel: ChatChannel, restaurant_id: int, ok: bool, detail: str) -> None:
    """Remember the channel's health for ``/readyz``; also in the settings row when it changed (staff see it)."""
    runtime, name = channel.runtime, channel.name
    record = status(ok, detail)
    ttl = channel.options.status_ttl_seconds
    previous = await runtime.cache.get(status_key(name, restaurant_id))
    await runtime.cache.set(status_key(name, restaurant_id), record, ttl=ttl)
    if isinstance(previous, dict) and previous.get("ok") == ok and previous.get("detail") == detail:
        return
    try:
        row = await get_integration(restaurant_id, name)
        stored = (row.settings or {}).get("status") if row is not None else None
        same = isinstance(stored, dict) and stored.get("ok") == ok and stored.get("detail") == detail
        if row is not None and not same:
            await save_integration(restaurant_id, name, {"status": record}, (), runtime.secrets)
    except Exception:  # the status is advisory: never let recording it break a send
        log.exception("could not store the %s status of restaurant %s", channel.label, restaurant_id)


async def readiness(channel: C, check: Check[C], waiting: str) -> dict[str, Any]:
    """``{"<channel>:<id>": {"ok", "detail"}}`` for every switched-on restaurant (cached; stale ones refreshed).

    ``check(channel, restaurant_id)`` asks the service and records the status; a check not
    done within the budget is reported as not ok with the ``waiting`` detail.
    """
    runtime, checking, name = channel.runtime, channel.checks, channel.name
    rids = [row.restaurant_id for row in await active_integrations(name)]
    report: dict[str, Any] = {}
    pending: dict[int, asyncio.Task[Any]] = {}
    for rid in sorted(rids):
        cached = await runtime.cache.get(status_key(name, rid))
        if isinstance(cached, dict):
            report[f"{name}:{rid}"] = {"ok": bool(cached.get("ok")), "detail": str(cached.get("detail", ""))}
            continue
        task = checking.get(rid)
        if task is None or task.done():
            task = checking[rid] = channel.spawn(check(channel, rid), name=f"{name}-check-{rid}")
        pending[rid] = task
    if pending:
        await asyncio.wait(set(pending.values()), timeout=READINESS_BUDGET)
    for rid, task in pending.items():
        if task.done() and not task.cancelled() and task.exception() is None:
            result = task.result()
            report[f"{name}:{rid}"] = {"ok": result["ok"], "detail": result["detail"]}
        else:
            report[f"{name}:{rid}"] = {"ok": False, "detail": waiting}
        if task.done():
            checking.pop(rid, None)
    return report
