"""What the database can hold, in one place: integer range, date range, text length of a column.

The HTTP edge (``api.validation``) refuses anything outside these with a 400 before it
reaches a query; schemas take their text limits from the columns themselves
(:func:`column_max_length`), so a schema can never allow more than its column stores.
"""

from __future__ import annotations

from datetime import date

from tortoise.models import Model

#: PostgreSQL ``integer`` (every id and count column): 32-bit signed.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1

#: The dates anyone may send. Far from ``date.min``/``date.max`` (where a day's arithmetic overflows)
#: and wide enough for any booking, history or report.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)


def column_max_length(model: type[Model], field: str) -> int:
    """The ``max_length`` of ``model``'s character column ``field`` (``KeyError`` when it has none)."""
    limit = getattr(model._meta.fields_map[field], "max_length", None)
    if not isinstance(limit, int):
        raise KeyError(f"{model.__name__}.{field} has no max_length")
    return limit
