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
