"""What every report query shares: the two SQL dialects' spellings, the range's instants, running a query.

Reports are read models: plain ``SELECT`` statements written once with PostgreSQL's ``$1``
parameters (:func:`core.db.fetch_dicts` rewrites them for SQLite), with the few expressions
the two databases spell differently taken from :func:`dialect` (the storage seam's
:class:`core.storage.base.SqlSpelling`). Every statement names the
restaurant in its ``WHERE`` clause: nothing is filtered after the query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.db import fetch_dicts
from core.storage import storage
from core.storage.base import SqlSpelling

#: A reservation's status as it ended: an archived one counts as what it was before archiving.
EFFECTIVE_STATUS = "(CASE WHEN r.status = 'archived' THEN COALESCE(r.archived_from, 'completed') ELSE r.status END)"


def ended(status: str, archived_from: object) -> str:
    """:data:`EFFECTIVE_STATUS` in Python, for a query that groups by the two columns (cheaper than the CASE)."""
    return str(archived_from or "completed") if status == "archived" else status


def dialect() -> SqlSpelling:
    """The connected database's spellings (:attr:`core.storage.base.Storage.sql`)."""
    return storage().sql


async def rows(sql: str, args: Sequence[object]) -> list[dict[str, Any]]:
    """The rows of a report's ``sql`` (``$n`` parameters) as dicts."""
    return await fetch_dicts(sql, args)
