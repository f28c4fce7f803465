"""``GET /api/events``: the caller's restaurant's domain events as Server-Sent Events.

Fed by ``runtime.bus.subscribe(restaurant_id)``, so with Redis an event published by
any process reaches every dashboard of that restaurant (and no other restaurant's);
without Redis, or while it is away, the events of this process still arrive. An
admin streams one restaurant (``?restaurantId=``) or, without it, all of them.

Wire format per event::

    event: reservation.created
    data: {"id": "...", "type": "reservation.created", "restaurantId": 1, "data": {...}, "occurredAt": "..."}
    id: <event id>

and a comment line (``: heartbeat``) every ``SSE_HEARTBEAT_SECONDS`` (app config,
default 15) so proxies keep the connection open and a vanished client is noticed.
A client that disconnects ends its generator and its subscription.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from quart import Blueprint, Response, ResponseReturnValue, current_app, make_response

from api.security import login_required, principal, restaurant_scope
from core.events import DomainEvent
from core.runtime import Runtime, StashKey, runtime_of

blueprint = Blueprint("events", __name__)

DEFAULT_HEARTBEAT_SECONDS = 15.0
ACTIVE_STREAMS: StashKey[int] = StashKey("sse_active_streams")  # open streams of this process


def format_event(event: DomainEvent) -> str:
    """One SSE message for ``event``."""
    payload = {
        "id": event.id,
        "type": event.type,
        "restaurantId": event.restaurant_id,
        "data": event.data,
        "occurredAt": event.occurred_at,
    }
    data = json.dumps(payload, separators=(",", ":"), default=str)
    return f"event: {event.type}\ndata: {data}\nid: {event.id}\n\n"


async def event_stream(runtime: Runtime, restaurant_id: int | None, heartbeat: float) -> AsyncIterator[str]:
    """Yield SSE text for the events of ``restaurant_id`` (``None``: all) until the client goes away."""
    runtime.stash[ACTIVE_STREAMS] = (runtime.stash.get(ACTIVE_STREAMS) or 0) + 1
    try:
        async with runtime.bus.subscribe(restaurant_id) as queue:
            yield f"retry: 3000\n: connected to {'all restaurants' if restaurant_id is None else restaurant_id}\n\n"
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=heartbeat)
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                yield format_event(event)
    finally:
        runtime.stash[ACTIVE_STREAMS] = runtime.stash[ACTIVE_STREAMS] - 1


@blueprint.get("/api/events")
@login_required
async def events() -> ResponseReturnValue:
    """Server-Sent Events of the caller's restaurant (admin: ``?restaurantId=`` or every restaurant)."""
    who = principal()
    restaurant_id = who.restaurant_id if who.is_admin else restaurant_scope()
    runtime = runtime_of(current_app)
    heartbeat = float(current_app.config.get("SSE_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS))
    response = await make_response(
        event_stream(runtime, restaurant_id, heartbeat),
        200,
        {
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        },
    )
    if isinstance(response, Response):
        response.timeout = None  # a stream lives until the client leaves
    return response
