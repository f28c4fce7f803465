"""The one adapter over Tortoise's private parts: every call into an underscore name of the ORM is here.

The booking engine's hot path builds model objects from rows it read itself (hand-written SQL on
PostgreSQL) and objects for rows it wrote in one statement, without reading them back; the database
setup resets the ORM's per-process state. Those need Tortoise internals, which change between
releases: a Tortoise upgrade is checked here (and by the tests), nowhere else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

M = TypeVar("M", bound=Model)

#: the state Tortoise keeps on an instance loaded from the database
_LOADED_STATE = {"_partial": False, "_saved_in_db": True, "_custom_generated_pk": False}


def from_row(model: type[M], row: Mapping[str, Any]) -> M:
    """An instance of ``model`` from a full row of its table (``SELECT *``), converted by its fields."""
    return model._init_from_db(**dict(row))


def columns(model: type[Model]) -> tuple[str, ...]:
    """The columns of ``model``'s table (what ``SELECT *`` returns), for hand-written SQL that names them."""
    return tuple(model._meta.fields_db_projection.values())


def from_prefixed(model: type[M], row: Mapping[str, Any], prefix: str) -> M | None:
    """An instance of ``model`` from the columns of ``row`` named ``prefix`` + column (a joined table's, see
    :func:`columns`); None when the join found no row (its primary key is NULL)."""
    values = {column: row[prefix + column] for column in columns(model)}
    if values[model._meta.db_pk_column] is None:
        return None
    return model._init_from_db(**values)


def from_python_values(model: type[M], values: Iterable[tuple[str, Any]], **overrides: Any) -> M:
    """An instance of ``model`` loaded from ``(field, value)`` pairs that are already the fields' Python values,
    then ``overrides`` (no field conversion: a fraction of :func:`from_row`'s cost when many rows are read)."""
    instance = model.__new__(model)
    state = instance.__dict__
    state.update(values)
    state.update(overrides)
    state.update(_LOADED_STATE, _await_when_save={})
    return instance


def as_saved(model: type[M], **values: Any) -> M:
    """An instance of ``model`` for a row just written with ``values`` (its relations may be given as
    objects), marked as saved so that a later ``save()`` updates it."""
    return model.construct(_saved_in_db=True, **values)


def column_values(instance: Model) -> dict[str, Any]:
    """The instance's values by field name, for every field stored in a column of its table."""
    return {name: getattr(instance, name) for name in instance._meta.fields_db_projection}


def update_values(instance: Model) -> list[tuple[str, Any]]:
    """``(column, value)`` for every column of the instance's row but its primary key, each value as the
    database driver takes it (JSON encoded, an enum's value): what ``save()`` writes, for hand-written SQL."""
    meta = instance._meta
    return [
        (column, meta.fields_map[name].to_db_value(getattr(instance, name), instance))
        for name, column in meta.fields_db_projection.items()
        if name != meta.pk_attr
    ]


def db_value(model: type[Model], name: str, value: Any) -> Any:
    """``value`` of ``model``'s field ``name`` as the database driver takes it (JSON encoded, an enum's value)."""
    return model._meta.fields_map[name].to_db_value(value, model)


def pool_client(conn: BaseDBAsyncClient) -> BaseDBAsyncClient:
    """The pool's client behind ``conn`` (a transaction's client wraps the one it was opened on)."""
    while getattr(conn, "_parent", None) is not None:
        conn = conn._parent
    return conn


def fresh_context() -> None:
    """Forget Tortoise's per-process state before a new ``Tortoise.init``: the context stored in the current
    context variable (reused even after its connections were closed) and the statement cache, which is keyed
    by connection name, not dialect (a process reconnecting to another kind of database would reuse old SQL)."""
    from tortoise.backends.base.executor import EXECUTOR_CACHE
    from tortoise.context import _current_context

    _current_context.set(None)
    EXECUTOR_CACHE.clear()


async def expire_pool(conn: BaseDBAsyncClient) -> bool:
    """Expire the pool's connections so the next query opens fresh ones (asyncpg's
    ``Pool.expire_connections``); False when ``conn`` has no pool to expire (SQLite)."""
    expire = getattr(conn, "_expire_connections", None)
    if expire is None:
        return False
    await expire()
    return True


class _Transaction:
    """Tortoise's ``in_transaction()``, mended where it fails to start.

    Tortoise (1.1.9) takes a pooled connection (on SQLite: the connection's lock) and points the task's
    connection variable at the transaction before it sends ``BEGIN``; when ``BEGIN`` fails (a connection
    whose server restarted or whose backend was killed) it gives back neither. The task's every later
    query then goes to that dead connection ("connection is closed", even after the pool was reset), and
    the pool is one connection short for good (SQLite: every later transaction waits on the lock). Here a
    failed start is undone as an exit with that error would undo it."""

    __slots__ = ("_context",)

    def __init__(self, connection_name: str | None) -> None:
        from tortoise.transactions import in_transaction as tortoise_transaction

        self._context = tortoise_transaction(connection_name)

    async def __aenter__(self) -> BaseDBAsyncClient:
        try:
            return await self._context.__aenter__()
        except BaseException as exc:
            if getattr(self._context, "token", None) is not None:  # it got as far as pointing the task at it
                with contextlib.suppress(Exception):  # the rollback fails on a dead connection; the rest runs
                    await self._context.__aexit__(type(exc), exc, exc.__traceback__)
            raise

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._context.__aexit__(exc_type, exc, tb)


def in_transaction(connection_name: str | None = None) -> _Transaction:
    """``async with in_transaction():`` runs the block in one transaction, as Tortoise's does, but a
    transaction that could not start leaves neither the task nor the pool holding its dead connection."""
    return _Transaction(connection_name)
