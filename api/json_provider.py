"""JSON responses encoded by orjson: the same JSON as Quart's default provider, several times faster.

Quart's default (Flask's ``DefaultJSONProvider``) encodes responses with the standard library;
on a page of 50 reservations that is about 0.2 ms of the request's CPU, orjson a fraction of it
(see docs/benchmarks.md, *The request hot path*). What a client receives is unchanged: keys
sorted, compact (indented in debug mode), a final newline, and every value the default provider
converts converted the same way (dates and datetimes as HTTP dates, decimals and UUIDs as
strings, dataclasses as objects: orjson hands them to the same ``default``). Enums are their
values either way. Only the bytes of non-ASCII text differ: UTF-8 instead of ``\\u`` escapes,
the same JSON string. ``dumps``/``loads`` (used outside responses) stay the standard library's.
"""

from __future__ import annotations

from typing import Any, cast

import orjson
from flask.json.provider import DefaultJSONProvider
from quart import Quart, Response

_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_APPEND_NEWLINE
)


class FastJSONProvider(DefaultJSONProvider):
    """Quart's JSON provider with responses encoded by orjson (module docstring)."""

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """The JSON response for ``args``/``kwargs``, as :meth:`DefaultJSONProvider.response` makes it."""
        obj = self._prepare_response_obj(args, kwargs)
        options = _OPTIONS
        if (self.compact is None and self._app.debug) or self.compact is False:
            options |= orjson.OPT_INDENT_2
        body = orjson.dumps(obj, default=self.default, option=options)
        response_class = cast("type[Response]", self._app.response_class)  # Quart's Response
        return response_class(body, mimetype=self.mimetype)


def install_fast_json(app: Quart) -> None:
    """Make ``app`` encode its JSON responses with :class:`FastJSONProvider`. Call it after ``QuartSchema(app)``:
    quart-schema's own provider is replaced, and its ``default`` (pydantic objects to JSON) kept."""
    fast = FastJSONProvider(app)
    if isinstance(app.json, DefaultJSONProvider):  # quart-schema's provider is one
        fast.default = app.json.default
    app.json = fast
