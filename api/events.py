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

**A stream lives only as long as its right to.** Every ``SSE_RECHECK_SECONDS`` (4) the stream checks
its credential again (the same one-statement lookup as a request): once the token is revoked, the
session signed out (here or "everywhere"), the password changed or the staff member removed, it
sends ``event: signed-out`` and ends. **Capped**: at most ``SSE_MAX_PER_CREDENTIAL`` (5) open
streams per token or session and ``SSE_MAX_PER_ADDRESS`` (20) per client address in one process;
beyond, 429 with ``Retry-After``. **Never holds a shutdown**: when the server is told to stop,
every stream sends ``retry: 1000`` and ``event: reconnect`` and ends, so the browser reconnects to
another instance while this one finishes its other requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

from quart import Blueprint, Response, ResponseReturnValue, current_app, make_response

from api.security import client_address, credential_check, login_required, principal, restaurant_scope
from core.errors import RateLimited
from core.events import DomainEvent
from core.metrics import SSE_REFUSED, SSE_STREAMS
from core.runtime import Runtime, StashKey, runtime_of

blueprint = Blueprint("events", __name__)

DEFAULT_HEARTBEAT_SECONDS = 15.0
DEFAULT_RECHECK_SECONDS = 4.0
DEFAULT_MAX_PER_CREDENTIAL = 5
DEFAULT_MAX_PER_ADDRESS = 20
ACTIVE_STREAMS: StashKey[int] = StashKey("sse_active_streams")  # open streams of this process
OPEN_BY_KEY: StashKey[Counter[str]] = StashKey("sse_open_by_key")  # per credential and per address
#: One event per open stream of this process, set when the server starts shutting down.
_CLOSING: set[asyncio.Event] = set()
SIGNED_OUT = 'event: signed-out\ndata: {"reason": "the session or token is no longer valid"}\n\n'
RECONNECT = 'retry: 1000\nevent: reconnect\ndata: {"reason": "the server is restarting"}\n\n'


def close_streams() -> None:
    """Tell every open stream of this process to end now (the server is shutting down)."""
    for closing in list(_CLOSING):
        closing.set()


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


async def event_stream(
    runtime: Runtime,
    restaurant_id: int | None,
    heartbeat: float,
    *,
    still_valid: Callable[[datetime], Awaitable[bool]] | None = None,
    recheck: float = DEFAULT_RECHECK_SECONDS,
    keys: tuple[str, ...] = (),
) -> AsyncIterator[str]:
    """Yield SSE text for the events of ``restaurant_id`` (``None``: all) until the client goes away, the
    credential stops being valid (``still_valid``, asked every ``recheck`` seconds) or the server stops.
    ``keys`` were counted against the caps by the caller; they are released here."""
    loop = asyncio.get_running_loop()
    closing = asyncio.Event()
    _CLOSING.add(closing)
    runtime.stash[ACTIVE_STREAMS] = (runtime.stash.get(ACTIVE_STREAMS) or 0) + 1
    SSE_STREAMS.inc()
    closed = loop.create_task(closing.wait())
    waiting: asyncio.Task[DomainEvent] | None = None
    try:
        async with runtime.bus.subscribe(restaurant_id) as queue:
            yield f"retry: 3000\n: connected to {'all restaurants' if restaurant_id is None else restaurant_id}\n\n"
            next_check = loop.time() + recheck
            next_beat = loop.time() + heartbeat
            while True:
                waiting = waiting or loop.create_task(queue.get())
                timeout = max(0.0, min(next_check, next_beat) - loop.time())
                done, _ = await asyncio.wait({waiting, closed}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
                if closed in done:
                    yield RECONNECT
                    return
                if waiting in done:
                    event, waiting = waiting.result(), None
                    yield format_event(event)
                if still_valid is not None and loop.time() >= next_check:
                    next_check = loop.time() + recheck
                    if not await still_valid(runtime.clock()):
                        yield SIGNED_OUT
                        return
                if loop.time() >= next_beat:
                    next_beat = loop.time() + heartbeat
                    yield ": heartbeat\n\n"
    finally:
        for task in (waiting, closed):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        _CLOSING.discard(closing)
        runtime.stash[ACTIVE_STREAMS] = runtime.stash[ACTIVE_STREAMS] - 1
        SSE_STREAMS.dec()
        counts = runtime.stash.get(OPEN_BY_KEY)
        if counts is not None:
            counts.subtract(keys)
            for key in keys:
                if counts[key] <= 0:
                    del counts[key]


def _take_slots(runtime: Runtime, credential: str, address: str) -> tuple[str, ...]:
    """Count a new stream against the caps; 429 when the credential or the address has too many open."""
    counts = runtime.stash.get(OPEN_BY_KEY)
    if counts is None:
        counts = runtime.stash[OPEN_BY_KEY] = Counter()
    config = current_app.config
    limits = {
        credential: int(config.get("SSE_MAX_PER_CREDENTIAL", DEFAULT_MAX_PER_CREDENTIAL)),
        "addr:" + address: int(config.get("SSE_MAX_PER_ADDRESS", DEFAULT_MAX_PER_ADDRESS)),
    }
    for key, limit in limits.items():
        if counts[key] >= limit:
            what = "this address" if key.startswith("addr:") else "this session or token"
            SSE_REFUSED.labels("address" if key.startswith("addr:") else "credential").inc()
            raise RateLimited(
                f"Too many open event streams for {what} (at most {limit}); close one first.",
                code="too_many_streams",
                details={"retryAfter": 5},
            )
    keys = tuple(limits)
    counts.update(keys)
    return keys


@blueprint.get("/api/events")
@login_required
async def events() -> ResponseReturnValue:
    """Server-Sent Events of the caller's restaurant (admin: ``?restaurantId=`` or every restaurant)."""
    who = principal()
    restaurant_id = who.restaurant_id if who.is_admin else restaurant_scope()
    runtime = runtime_of(current_app)
    heartbeat = float(current_app.config.get("SSE_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS))
    recheck = float(current_app.config.get("SSE_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))
    credential, still_valid = credential_check()
    keys = _take_slots(runtime, credential, client_address())
    response = await make_response(
        event_stream(runtime, restaurant_id, heartbeat, still_valid=still_valid, recheck=recheck, keys=keys),
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
