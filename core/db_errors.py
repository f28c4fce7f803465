"""What a database error means for the caller: the database is away (try again), or the data was refused.

The ORM wraps the driver's errors (``OperationalError`` around asyncpg's), so both
questions look through the whole chain of causes.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator

_NETWORK_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ETIMEDOUT,
        errno.ECONNABORTED,
        errno.EPIPE,
    }
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` says the database cannot be reached or is shutting down / starting up
    (connection refused or lost, admin shutdown, too many connections, connect or pool timeout)."""
    import asyncpg
    from tortoise.exceptions import DBConnectionError

    for error in _chain(exc):
        if isinstance(
            error,
            DBConnectionError
            | ConnectionError
            | TimeoutError
            | asyncpg.PostgresConnectionError
            | asyncpg.exceptions.OperatorInterventionError
            | asyncpg.exceptions.InsufficientResourcesError,
        ):
            return True
        if isinstance(error, OSError) and (error.errno in _NETWORK_ERRNOS or "Connect call failed" in str(error)):
            return True  # "Multiple exceptions: [Errno 111] ..." on connect carries the errno of one of them
        if isinstance(error, asyncpg.InterfaceError) and "closed" in str(error):
            return True  # "connection is closed" / "pool is closing"
        if isinstance(error, asyncpg.InternalClientError | asyncpg.InterfaceError) and (
            "another operation" in str(error) or "cannot switch to state" in str(error)
        ):
            return True  # a pooled connection whose server went away mid-use (a shutdown, a killed backend)
    return False


def data_refused(exc: BaseException) -> str | None:
    """The database's (or the ORM's) reason when it refused a value as such (too long, out of range,
    not encodable), else None. Such an error is the caller's input, never a fault of the service."""
    import asyncpg
    from asyncpg.exceptions import _base
    from tortoise.exceptions import ValidationError

    for error in _chain(exc):
        if isinstance(error, ValidationError | asyncpg.exceptions.DataError | _base.DataError):
            return str(error).split("\n")[0]
    return None
