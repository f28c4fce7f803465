"""Custom model fields."""

from __future__ import annotations

import datetime
from typing import Any

from tortoise.fields import TimeField


class LocalTimeField(TimeField[datetime.time]):
    """A restaurant's local wall-clock time: always naive (no UTC tzinfo is attached, unlike
    Tortoise's ``TimeField`` under ``use_tz``), stored as ``TIME`` on PostgreSQL and as
    ``HH:MM:SS`` text on SQLite (whose driver binds time values through the adapter
    :mod:`core.storage.sqlite` registers)."""

    class _db_postgres:
        SQL_TYPE = "TIME"

    def to_python_value(self, value: object) -> datetime.time | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.time.fromisoformat(value)
        elif isinstance(value, datetime.timedelta):
            value = (datetime.datetime.min + value).time()
        if not isinstance(value, datetime.time):
            raise TypeError(f"not a time of day: {value!r}")
        return value.replace(tzinfo=None)

    def to_db_value(self, value: Any, instance: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.time.fromisoformat(value)
        return value.replace(tzinfo=None)
