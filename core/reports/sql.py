"""What every report query shares: the two SQL dialects' spellings, the range's instants, running a query.

Reports are read models: plain ``SELECT`` statements written once with PostgreSQL's ``$1``
parameters (:func:`core.db.fetch_dicts` rewrites them for SQLite), with the few expressions
the two dialects spell differently taken from :class:`Dialect`. Every statement names the
restaurant in its ``WHERE`` clause: nothing is filtered after the query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise import connections

from core.db import fetch_dicts

#: A reservation's status as it ended: an archived one counts as what it was before archiving.
EFFECTIVE_STATUS = "(CASE WHEN r.status = 'archived' THEN COALESCE(r.archived_from, 'completed') ELSE r.status END)"


def ended(status: str, archived_from: object) -> str:
    """:data:`EFFECTIVE_STATUS` in Python, for a query that groups by the two columns (cheaper than the CASE)."""
    return str(archived_from or "completed") if status == "archived" else status


@dataclass(frozen=True)
class Dialect:
    """The spellings that differ between PostgreSQL and SQLite."""

    postgres: bool

    def instant(self, expr: str) -> str:
        """``expr`` (a timestamp column or parameter) in a form that compares and subtracts correctly:
        PostgreSQL compares ``timestamptz`` values; SQLite keeps ISO text, compared as Julian days."""
        return expr if self.postgres else f"julianday({expr})"

    def seconds_between(self, start: str, end: str) -> str:
        """Elapsed seconds from instant ``start`` to instant ``end`` (both columns)."""
        if self.postgres:
            return f"EXTRACT(EPOCH FROM ({end} - {start}))"
        return f"((julianday({end}) - julianday({start})) * 86400.0)"

    def hour_of(self, local_time: str) -> str:
        """The hour (0-23) of a local wall-clock time column."""
        return (
            f"CAST(EXTRACT(HOUR FROM {local_time}) AS INTEGER)"
            if self.postgres
            else f"CAST(substr({local_time}, 1, 2) AS INTEGER)"
        )

    def weekday_of(self, local_date: str) -> str:
        """The weekday of a date column, Monday 0 ... Sunday 6."""
        if self.postgres:
            return f"(CAST(EXTRACT(ISODOW FROM {local_date}) AS INTEGER) - 1)"
        return f"((CAST(strftime('%w', {local_date}) AS INTEGER) + 6) % 7)"

    def json_text(self, column: str, *path: str) -> str:
        """The text at ``path`` inside a JSON column (NULL when absent)."""
        if self.postgres:
            inner = "".join(f"->'{key}'" for key in path[:-1])
            return f"({column}{inner}->>'{path[-1]}')"
        return f"json_extract({column}, '$.{'.'.join(path)}')"

    def param_instant(self, value: datetime) -> datetime | str:
        """A datetime parameter as the dialect binds it next to :meth:`instant`."""
        return value if self.postgres else value.isoformat()

    def param_date(self, value: date) -> date | str:
        """A date parameter as the dialect compares it with a date column."""
        return value if self.postgres else value.isoformat()


def dialect() -> Dialect:
    """The dialect of the default connection."""
    return Dialect(postgres=connections.get("default").capabilities.dialect == "postgres")


async def rows(sql: str, args: Sequence[object]) -> list[dict[str, Any]]:
    """The rows of a report's ``sql`` (``$n`` parameters) as dicts."""
    return await fetch_dicts(sql, args)
