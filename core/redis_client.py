"""How this service's Redis clients are configured (shared by the cache and the event bus)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis


def one_retry_on_reconnect() -> dict[str, object]:
    """``from_url`` options retrying a command once, at once, on a connection error.

    After Redis restarts, every pooled connection is stale: the first command on each fails
    with "Connection closed by server". One immediate retry on a fresh connection makes that
    invisible, while a Redis that is really down still fails fast (connection refused twice).
    """
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError

    return {"retry": Retry(NoBackoff(), 1), "retry_on_error": [ConnectionError]}


#: Connections one client opens at most. redis-py's own default is 100, and a command past it failed at once
#: ("Too many connections"), which the cache took for Redis being down: 200 web-chat guests at once
#: sent this service to its PostgreSQL fallback (``python -m bench rush``).
MAX_CONNECTIONS = 1000
#: Seconds a command waits for a free connection when all of them are busy, before it fails.
POOL_WAIT = 2.0


def connect(redis_url: str, *, connect_timeout: float, timeout: float) -> Redis:
    """A client of ``redis_url`` whose commands wait for a free connection (up to :data:`POOL_WAIT` s) when
    :data:`MAX_CONNECTIONS` are busy, instead of failing; a command retried once on a stale connection."""
    from redis.asyncio import BlockingConnectionPool
    from redis.asyncio import Redis as Client

    pool = BlockingConnectionPool.from_url(
        redis_url,
        max_connections=MAX_CONNECTIONS,
        timeout=POOL_WAIT,
        socket_connect_timeout=connect_timeout,
        socket_timeout=timeout,
        **one_retry_on_reconnect(),
    )
    client = Client(connection_pool=pool)
    client.auto_close_connection_pool = True  # closing the client closes its pool, as from_url's do
    return client
