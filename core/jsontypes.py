"""The type of a JSON value, for data that crosses a process boundary (the cache, the bus, a column).

A value of type :data:`JSON` is what ``json.loads`` can return; code that reads one narrows it
(``isinstance``) before use instead of trusting its shape, since another process, version or
person may have written it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

JSONScalar: TypeAlias = str | int | float | bool | None
JSON: TypeAlias = JSONScalar | list["JSON"] | dict[str, "JSON"]
JSONObject: TypeAlias = dict[str, JSON]

#: What may be written as JSON: like :data:`JSON`, but read-only containers, so that a
#: ``list[dict[str, str]]`` is accepted where a value is only serialised.
JSONLike: TypeAlias = JSONScalar | Sequence["JSONLike"] | Mapping[str, "JSONLike"]


def text_at(values: Mapping[str, JSON] | None, key: str) -> str | None:
    """``values[key]`` as text: None when absent, empty or a container (a number is written out)."""
    value = (values or {}).get(key)
    if value is None or value == "" or isinstance(value, dict | list):
        return None
    return value if isinstance(value, str) else str(value)


def int_at(values: Mapping[str, JSON] | None, key: str, default: int = 0) -> int:
    """``values[key]`` as a whole number (a number, or its digits as text), else ``default``."""
    value = (values or {}).get(key)
    if isinstance(value, bool):
        return default
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return default
