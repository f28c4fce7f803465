"""Domain events and the bus that carries them.

Two ways to listen, for two different needs:

* ``add_handler(fn)``: ``fn(event)`` runs once, in the process that published the
  event (plugin hooks that notify a guest). ``add_batch_handler(fn)``: ``fn(events)`` runs
  once per publish with the events published together (:meth:`EventBus.publish_all`, e.g.
  a conversation turn's), for work a batch needs once (cache invalidation). A failing
  handler is logged and never disturbs the publisher.
* ``subscribe(restaurant_id)``: an async iterator of the events of one restaurant
  published by *any* process (dashboards' Server-Sent Events). In-process by
  default; through Redis pub/sub when ``REDIS_URL`` is set, degrading to in-process
  delivery while Redis is away and recovering by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from core.jsontypes import JSONObject

if TYPE_CHECKING:
    from redis.asyncio.client import PubSub

log = logging.getLogger(__name__)
T = TypeVar("T")

Handler = Callable[["DomainEvent"], Awaitable[None] | None]
BatchHandler = Callable[[Sequence["DomainEvent"]], Awaitable[None] | None]

RESERVATION_CREATED = "reservation.created"
RESERVATION_UPDATED = "reservation.updated"
RESERVATION_STATUS_CHANGED = "reservation.status_changed"
RESERVATION_CANCELED = "reservation.canceled"
TABLE_CHANGED = "table.changed"
HOURS_CHANGED = "hours.changed"
RESTAURANT_CHANGED = "restaurant.changed"
GUEST_CHANGED = "guest.changed"


class Actor(StrEnum):
    """Who caused an event: the ``guest`` (in a chat), ``staff`` (the API, the dashboard) or the
    ``system`` (the worker: no-shows, completion, archiving)."""

    GUEST = "guest"
    STAFF = "staff"
    SYSTEM = "system"


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened in one restaurant, and who made it happen (``actor``). ``data`` is JSON-safe."""

    type: str
    restaurant_id: int
    data: JSONObject = field(default_factory=dict)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    occurred_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    actor: str = Actor.SYSTEM

    def to_json(self) -> str:
        """Serialise for the wire (Redis, SSE)."""
        # its own fields, not ``asdict``: that deep-copies the payload first (2.5 % of a rush's CPU)
        fields_ = {f.name: getattr(self, f.name) for f in fields(self)}
        return json.dumps(fields_, separators=(",", ":"), default=_json_default)

    @classmethod
    def from_json(cls, raw: str | bytes) -> DomainEvent:
        """Parse what :meth:`to_json` produced."""
        return cls(**json.loads(raw))


class _Fanout:
    """Per-restaurant queues of this process's subscribers."""

    def __init__(self, max_queue: int = 1000) -> None:
        self._queues: dict[int | None, set[asyncio.Queue[DomainEvent]]] = {}
        self._max_queue = max_queue

    def deliver(self, event: DomainEvent) -> None:
        for key in (event.restaurant_id, None):
            for queue in self._queues.get(key, ()):
                if queue.full():  # a stalled reader loses its oldest event, never blocks the bus
                    queue.get_nowait()
                queue.put_nowait(event)

    @contextlib.asynccontextmanager
    async def listen(self, restaurant_id: int | None) -> AsyncIterator[asyncio.Queue[DomainEvent]]:
        queue: asyncio.Queue[DomainEvent] = asyncio.Queue(self._max_queue)
        self._queues.setdefault(restaurant_id, set()).add(queue)
        try:
            yield queue
        finally:
            self._queues[restaurant_id].discard(queue)


class EventBus:
    """In-process bus: handlers and subscribers of this one process."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []
        self._batch_handlers: list[BatchHandler] = []
        self._fanout = _Fanout()

    def add_handler(self, handler: Handler) -> None:
        """Run ``handler(event)`` for every event this process publishes."""
        self._handlers.append(handler)

    def add_batch_handler(self, handler: BatchHandler) -> None:
        """Run ``handler(events)`` once for every publish of this process, with the events published together
        (one for :meth:`publish`, all of them for :meth:`publish_all`): for work a batch needs once, such as
        making a cache stale. Batch handlers run before the per-event handlers and the subscribers."""
        self._batch_handlers.append(handler)

    async def publish(self, event: DomainEvent) -> None:
        """Hand ``event`` to the local handlers and to every subscriber of its restaurant."""
        await self.publish_all([event])

    async def publish_all(self, events: Sequence[DomainEvent]) -> None:
        """Publish ``events`` together, in order: the batch handlers run once, the handlers run for each event,
        then every subscriber gets each event of its restaurant (with Redis, in one round trip)."""
        if not events:
            return
        for batch_handler in list(self._batch_handlers):
            await _run(batch_handler, events, "a batch")
        for event in events:
            await self._run_handlers(event)
        await self._broadcast(events)

    async def _run_handlers(self, event: DomainEvent) -> None:
        for handler in list(self._handlers):
            await _run(handler, event, event.type)

    async def _broadcast(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            self._fanout.deliver(event)

    @contextlib.asynccontextmanager
    async def subscribe(self, restaurant_id: int | None) -> AsyncIterator[asyncio.Queue[DomainEvent]]:
        """A queue receiving the events of ``restaurant_id`` (``None``: all restaurants, for admins)."""
        async with self._fanout.listen(restaurant_id) as queue:
            yield queue

    @property
    def degraded(self) -> bool:
        """True when events cannot currently cross processes although they should."""
        return False

    async def start(self) -> None:
        """Start background work (nothing for the in-process bus)."""

    async def close(self) -> None:
        """Stop background work."""


class RedisEventBus(EventBus):
    """Bus whose subscribers receive events from every process through Redis pub/sub.

    Pub/sub channels are global to a Redis server, not per database, so the channel
    names carry the database number: deployments (or test runs) on other databases of
    the same server never see each other's events.

    Two halves recover on their own, independently:

    * the listener (one pattern subscription per process) is replaced whenever its
      connection fails or stays silent past :attr:`silence_limit` (it pings every
      :attr:`ping_every` seconds, so a dead link is noticed even when no event comes);
    * publishing: a failed publish delivers the event to this process's subscribers and
      sends the following events the same way for ``reconnect_delay`` seconds, then tries
      Redis again. It never touches the listener's state (redis-py's pub/sub reconnects by
      itself, so a flag cleared here would never be set again).

    :attr:`degraded` is true while either half is down: events do not cross processes then.
    """

    def __init__(self, redis_url: str, *, reconnect_delay: float = 1.0, ping_every: float = 5.0) -> None:
        super().__init__()
        from core.redis_client import connect

        self._redis = connect(redis_url, connect_timeout=2, timeout=5)
        database = self._redis.connection_pool.connection_kwargs.get("db", 0)
        self.channel_prefix = f"tobeout:{database}:events:"
        self._listener: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._reconnect_delay = reconnect_delay
        self.ping_every = ping_every
        self.silence_limit = 3 * ping_every
        self._publish_down_until = 0.0

    @property
    def degraded(self) -> bool:
        return not self._connected.is_set() or self._publish_down_until > _now()

    async def start(self) -> None:
        self._listener = asyncio.create_task(self._listen_forever(), name="redis-event-listener")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._connected.wait(), timeout=2)

    async def close(self) -> None:
        if self._listener:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
        await self._redis.aclose()

    async def _broadcast(self, events: Sequence[DomainEvent]) -> None:
        if self._publish_down_until <= _now():
            try:
                if len(events) == 1:
                    await self._redis.publish(f"{self.channel_prefix}{events[0].restaurant_id}", events[0].to_json())
                else:  # one round trip for a turn's events (Redis keeps their order)
                    async with self._redis.pipeline(transaction=False) as pipe:
                        for event in events:
                            pipe.publish(f"{self.channel_prefix}{event.restaurant_id}", event.to_json())
                        await pipe.execute()
                if self._connected.is_set():
                    return
                # published, but this process's own listener is not subscribed: deliver here too
            except Exception as exc:  # Redis went away: keep this process's dashboards alive
                if self._publish_down_until == 0.0 or self._publish_down_until <= _now():
                    log.warning("redis publish failed, delivering in-process only for now: %s", exc)
                self._publish_down_until = _now() + self._reconnect_delay
        for event in events:
            self._fanout.deliver(event)

    async def _listen_forever(self) -> None:
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.psubscribe(f"{self.channel_prefix}*")
                self._connected.set()
                log.info("redis event listener connected")
                await self._pump(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self._connected.is_set():
                    log.warning("redis event listener lost its connection: %s", exc)
            finally:
                self._connected.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(self._reconnect_delay)

    async def _pump(self, pubsub: PubSub) -> None:
        """Deliver messages until the connection fails or stays silent too long (then raise)."""
        heard = pinged = _now()
        while True:
            message = await pubsub.get_message(timeout=min(1.0, self.ping_every))
            now = _now()
            if message is not None:
                heard = now
                if message.get("type") == "pmessage":
                    try:
                        self._fanout.deliver(DomainEvent.from_json(message["data"]))
                    except (ValueError, TypeError, KeyError):
                        log.warning("ignoring malformed event on redis")
            if now - heard > self.silence_limit:
                raise ConnectionError(f"no answer from redis for {self.silence_limit:.0f}s")
            if now - pinged >= self.ping_every:
                pinged = now
                await pubsub.ping()  # its pong is a message: proof the subscription is alive


def _json_default(value: object) -> object:
    """A payload's dataclass as its fields (as ``asdict`` gave), anything else not JSON as its text."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)


def _now() -> float:
    return time.monotonic()


async def _run(handler: Callable[[T], Awaitable[None] | None], argument: T, what: str) -> None:
    """Call one handler (awaiting it when it is async); a failure is logged, never raised to the publisher."""
    try:
        result = handler(argument)
        if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
            await result
    except Exception:
        log.exception("event handler %r failed for %s", handler, what)


def make_event_bus(redis_url: str | None) -> EventBus:
    """The bus for this configuration: Redis-backed when ``redis_url`` is set."""
    return RedisEventBus(redis_url) if redis_url else EventBus()
