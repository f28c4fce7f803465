"""The storage seam: what differs between PostgreSQL and SQLite, behind one protocol.

:class:`~core.storage.base.Storage` names the operations the two databases spell differently (the hot
reads, a booking attempt's locks and statements, guest locks, generated rows, SQL spellings);
:class:`~core.storage.postgres.PostgresStorage` and :class:`~core.storage.sqlite.SqliteStorage` implement
it. :func:`core.db.init_db` chooses one from the default connection's dialect (:func:`select`) and
:func:`storage` returns it: a global read, cheap on the booking hot path. Every call into Tortoise's
private parts is in :mod:`core.storage.orm`.
"""

from __future__ import annotations

from tortoise import connections

from core.storage.base import Storage
from core.storage.postgres import PostgresStorage
from core.storage.sqlite import SqliteStorage

_BY_DIALECT: dict[str, Storage] = {"postgres": PostgresStorage(), "sqlite": SqliteStorage()}
_selected: Storage | None = None


def _of_default() -> Storage:
    return _BY_DIALECT[connections.get("default").capabilities.dialect]


def select() -> Storage:
    """Choose the implementation for the default connection's dialect (after ``Tortoise.init``)."""
    global _selected
    _selected = _of_default()
    return _selected


def forget() -> None:
    """Forget the choice (the connections were closed)."""
    global _selected
    _selected = None


def storage() -> Storage:
    """The implementation for the connected database (chosen by :func:`select`; outside it, from the
    default connection's dialect, each call)."""
    return _selected if _selected is not None else _of_default()


__all__ = ["Storage", "forget", "select", "storage"]
