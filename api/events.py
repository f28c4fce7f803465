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
streams per token or session and ``SSE_MAX_PER_ADDRESS`` (20) per client address, counted over every
process through the cache (Redis; in one process without it); beyond, 429 with ``Retry-After``. A
stream's place lasts ``SSE_SLOT_SECONDS`` (30) and is renewed at each recheck, so the places of a
process killed with streams open are free again within that time. **Never holds a shutdown**: when
the server is told to stop, every stream sends ``retry: 1000`` and ``event: reconnect`` and ends, so
the browser reconnects to another instance while this one finishes its other requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quart import Blueprint, Response, ResponseReturnValue, current_app, make_response

from api.security import client_address, credential_check, login_required, principal, restaurant_scope
from core.cache import Cache
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
#: Seconds a stream's place under the caps lasts unless renewed (``SSE_SLOT_SECONDS``).
DEFAULT_SLOT_SECONDS = 30.0
#: One event per open stream of this process, set when the server starts shutting down.
_CLOSING: set[asyncio.Event] = set()
SIGNED_OUT = 'event: signed-out\ndata: {"reason": "the session or token is no longer valid"}\n\n'
RECONNECT = 'retry: 1000\nevent: reconnect\ndata: {"reason": "the server is restarting"}\n\n'


def places_ttl(config: Mapping[str, Any]) -> float:
    """Seconds a stream's place under the caps lasts unless renewed."""
    return float(config.get("SSE_SLOT_SECONDS", DEFAULT_SLOT_SECONDS))


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
    places: Places | None = None,
) -> AsyncIterator[str]:
    """Yield SSE text for the events of ``restaurant_id`` (``None``: all) until the client goes away, the
    credential stops being valid (``still_valid``, asked every ``recheck`` seconds) or the server stops.
    ``places`` were taken under the caps by the caller; they are renewed at each recheck and released here."""
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
                if loop.time() >= next_check:
                    next_check = loop.time() + recheck
                    if still_valid is not None and not await still_valid(runtime.clock()):
                        yield SIGNED_OUT
                        return
                    if places is not None:
                        await places.renew()
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
        if places is not None:
            with contextlib.suppress(Exception):  # a cache that is away: the places expire by themselves
                await places.release()


@dataclass(frozen=True)
class Places:
    """The places one stream holds under the caps (its credential's, its address's), shared by every process
    through the cache (Redis when set): renewed while the stream is open, given back when it ends, and free
    again ``ttl`` seconds after a process that held them was killed."""

    cache: Cache
    holder: str
    limits: dict[str, int]
    ttl: float

    async def renew(self) -> None:
        """Keep the places for another ``ttl`` seconds."""
        for key, limit in self.limits.items():
            await self.cache.take_slot(key, self.holder, limit, self.ttl)

    async def release(self) -> None:
        """Give the places back."""
        for key in self.limits:
            await self.cache.release_slot(key, self.holder)


async def _take_places(runtime: Runtime, credential: str, address: str) -> Places:
    """Count a new stream against the caps; 429 when the credential or the address has too many open."""
    config = current_app.config
    places = Places(
        runtime.cache,
        uuid.uuid4().hex,
        {
            "sse:" + credential: int(config.get("SSE_MAX_PER_CREDENTIAL", DEFAULT_MAX_PER_CREDENTIAL)),
            "sse:addr:" + address: int(config.get("SSE_MAX_PER_ADDRESS", DEFAULT_MAX_PER_ADDRESS)),
        },
        places_ttl(config),
    )
    taken: list[str] = []
    for key, limit in places.limits.items():
        if not await places.cache.take_slot(key, places.holder, limit, places.ttl):
            for held in taken:
                await places.cache.release_slot(held, places.holder)
            by_address = key.startswith("sse:addr:")
            SSE_REFUSED.labels("address" if by_address else "credential").inc()
            what = "this address" if by_address else "this session or token"
            raise RateLimited(
                f"Too many open event streams for {what} (at most {limit}); close one first.",
                code="too_many_streams",
                details={"retryAfter": 5},
            )
        taken.append(key)
    return places


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
    recheck = min(recheck, places_ttl(current_app.config) / 3)  # renewed well before they expire
    places = await _take_places(runtime, credential, client_address())
    response = await make_response(
        event_stream(runtime, restaurant_id, heartbeat, still_valid=still_valid, recheck=recheck, places=places),
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
