"""Input checked at the edge, once, for every route (the staff API, the channels' webhooks, plugins' routes).

What the database or Python cannot hold is refused with a 400 (or a 404 for an id in a URL)
before any view runs, so no input can reach a query and come back as a 500:

* ``<int:...>`` in any URL is an id PostgreSQL's ``integer`` holds: one of more than ten digits
  matches no route, and a larger one of ten is answered 404 before any view runs, like any id
  that does not exist (:class:`IdConverter`, registered as the app's ``int`` converter before
  any route is added, and :func:`refuse_ids_out_of_range`).
* Bodies: JSON (and form) bodies must be valid UTF-8; JSON at most :data:`MAX_JSON_DEPTH`
  levels deep; no string (key or value, in the body or the query string) may hold a NUL
  character or a lone surrogate, which PostgreSQL's text cannot store (:func:`guard_request`).
* Inside the pydantic schemas every integer must fit ``integer`` and every date lie within
  :data:`core.limits.MIN_DATE`..:data:`core.limits.MAX_DATE` (:func:`check_bounds`, run for
  every field of every :class:`api.schemas.ApiModel`).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from pydantic_core import PydanticCustomError
from quart import Quart, request
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from api.errors import ApiError
from core.limits import INT_MAX, INT_MIN, MAX_DATE, MIN_DATE

#: How deep a JSON body may nest (no request of the API needs more than a handful).
MAX_JSON_DEPTH = 32
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Types :func:`check_bounds` has nothing to check in (exactly these types: an enum of int is an int).
_NOTHING_TO_CHECK = frozenset({str, bool, float, type(None), dict})


class IdConverter(IntegerConverter):
    """``<int:...>``: an id of at most ten digits (2**31 - 1 has ten: longer ones never reach a view).

    The route matches any of them; :func:`refuse_ids_out_of_range` answers 404 for one over
    :data:`core.limits.INT_MAX`. (Refusing it here instead, in the converter, made werkzeug answer
    405 where the same path has a route for another method.)
    """

    regex = r"\d{1,10}"


def refuse_ids_out_of_range(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """``url_value_preprocessor``: 404 for an id in the URL that PostgreSQL's ``integer`` cannot hold."""
    if values and any(isinstance(value, int) and value > INT_MAX for value in values.values()):
        raise NotFound()


def _refuse(path: str, message: str) -> ApiError:
    return ApiError(400, "Validation error", errors=[{"path": path, "message": message}])


def _text_problem(value: str) -> str | None:
    found = _BAD_TEXT.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "must not contain a NUL character (\\u0000)"
    return "must be valid Unicode text (a lone surrogate was sent)"


def _walk(document: Any) -> None:
    """Depth and text checks of a parsed JSON document, without recursion."""
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                raise _refuse(path, problem)
        elif isinstance(value, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise _refuse(path, f"the JSON nests deeper than {MAX_JSON_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                child = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and (problem := _text_problem(key)):
                    raise _refuse(child, "keys " + problem)
                stack.append((item, child, depth + 1))


def _check_pairs(pairs: Any, where: str) -> None:
    for key, value in pairs.items(multi=True):
        for text in (key, value):
            if isinstance(text, str) and (problem := _text_problem(text)):
                raise _refuse(f"{where}.{key}" if where else str(key), problem)


async def guard_request() -> None:
    """``before_request``: refuse bodies and query strings the database could not store (module docstring)."""
    _check_pairs(request.args, "")
    if request.method not in _BODY_METHODS:
        return
    mimetype = request.mimetype or ""
    is_json = request.is_json
    is_form = mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
    if not (is_json or is_form or mimetype.startswith("text/")):
        return
    if mimetype == "multipart/form-data":
        _check_pairs(await request.form, "")
        return
    raw = await request.get_data(cache=True, as_text=False)
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise _refuse("", "the request body is not valid UTF-8") from None
    if is_form:
        _check_pairs(await request.form, "")
    elif is_json and text.strip():
        try:
            document = json.loads(text)
        except RecursionError:
            raise _refuse("", f"the JSON nests deeper than {MAX_JSON_DEPTH} levels") from None
        except ValueError:
            return  # not JSON at all: the view's own parser answers its usual 400
        _walk(document)


def check_bounds(value: Any) -> Any:
    """A pydantic after-validator for any field: integers within ``integer``, dates within the allowed range
    (also inside lists and tuples; free-form dicts, such as an activity's metadata, are not columns and are
    left alone). Returns ``value`` unchanged."""
    if type(value) in _NOTHING_TO_CHECK:  # most fields of most models: answered without the walk below
        return value
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            if not INT_MIN <= item <= INT_MAX:
                raise PydanticCustomError("out_of_range", f"must be between {INT_MIN} and {INT_MAX}")
        elif isinstance(item, datetime):
            if not MIN_DATE <= item.date() <= MAX_DATE:
                raise PydanticCustomError("out_of_range", f"must be between {MIN_DATE} and {MAX_DATE}")
        elif isinstance(item, date):
            if not MIN_DATE <= item <= MAX_DATE:
                raise PydanticCustomError("out_of_range", f"must be between {MIN_DATE} and {MAX_DATE}")
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
    return value


def install_edge_validation(app: Quart) -> None:
    """Register the id converter (call before any route is added) and the request guard on ``app``."""
    app.url_map.converters["int"] = IdConverter
    app.url_value_preprocessor(refuse_ids_out_of_range)
    app.before_request(guard_request)
