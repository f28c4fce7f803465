"""How this service's Redis clients are configured (shared by the cache and the event bus)."""

from __future__ import annotations


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
