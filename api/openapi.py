"""The OpenAPI document (``/openapi.json``, shown by ``/docs``) lists the errors each operation can answer.

quart-schema documents what the views declare: their request, query string and success models.
The error answers are added here, derived from what each route is, by the same rules the app
enforces, so no route hand-lists them:

* every operation: 400 (the edge guard of :mod:`api.validation` refuses text the database cannot
  store, in any query string or body) and 503 with ``Retry-After`` (the database is away);
* a JSON body or a query string model: 400 with ``errors``;
* POST, PUT, PATCH, DELETE: 413 (a body over the size limit); under ``/api/``, unless
  :func:`api.security.csrf_exempt`: 403, the CSRF guard;
* :func:`api.security.login_required` or :func:`api.security.require_roles`: 401 (with
  ``WWW-Authenticate``), 400 and 404 for the restaurant chosen with ``restaurantId``, and the
  operation's ``security``; ``require_roles``: 403 for the other roles;
* a path parameter: 404;
* what only the view knows (a 409 conflict, a 429 throttle, a 502 from a channel, a 403 or 404 of
  its own) is declared next to it with :func:`answers_error`.

Every error response refers to one schema, :class:`api.schemas.ErrorOut` (or, where an operation
documents the details of its error, a model derived from it, such as ``ConflictOut``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter
from quart_schema.conversion import PYDANTIC_REF_TEMPLATE
from quart_schema.openapi import OpenAPIProvider
from quart_schema.validation import (
    QUART_SCHEMA_QUERYSTRING_ATTRIBUTE,
    QUART_SCHEMA_REQUEST_ATTRIBUTE,
    QUART_SCHEMA_RESPONSE_ATTRIBUTE,
)
from werkzeug.routing import Rule

from api.schemas import ErrorOut
from api.security import CSRF_EXEMPT, CSRF_HEADER, RESTAURANT_PARAM, SIGN_IN_ROLES, UNSAFE_METHODS

F = TypeVar("F", bound=Callable[..., Any])

#: The attribute :func:`answers_error` sets: ``{status: [reason, ...]}``.
ANSWERS_ATTRIBUTE = "_tobeout_error_answers"
#: The attribute :func:`documents_response` sets: ``{content type: when}`` answered besides JSON.
OTHER_CONTENT_ATTRIBUTE = "_tobeout_other_content"

TITLES = {
    400: "Refused as given",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Too large",
    429: "Too many requests",
    502: "An outside service failed",
    503: "The database is not reachable",
}
ALWAYS = {
    400: "text the database cannot store (a NUL character, a lone surrogate) in the query string or body",
    503: "the database is away for a moment (code `database_unavailable`); try again after `Retry-After` seconds",
}
BODY = {400: "the body is not JSON or does not match its schema (`errors` lists each refused value)"}
QUERY = {400: "a query parameter is not valid (`errors`)"}
UNSAFE = {413: "the body is larger than the service accepts"}
CSRF = {403: f"a session request without the `{CSRF_HEADER}: XMLHttpRequest` header (code `csrf`)"}
SIGNED_IN = {
    400: f"`{RESTAURANT_PARAM}` is not an id, or an admin did not choose a restaurant",
    401: "no session or API token, or a token that is not valid or was revoked",
    404: f"the restaurant chosen with `{RESTAURANT_PARAM}` is not one of yours",
}
ROLES = {403: "your role may not do this"}
PATH = {404: "no such object for your restaurant (the id in the path)"}
HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "The accepted scheme.", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait.", "required": True, "schema": {"type": "integer"}}},
    503: {"Retry-After": {"description": "Seconds to wait.", "required": True, "schema": {"type": "integer"}}},
}
SECURITY: list[dict[str, list[str]]] = [{"session": []}, {"token": []}]


def answers_error(status: int, why: str) -> Callable[[F], F]:
    """Document that the view answers ``status`` when ``why`` (for what the rules of this module cannot see).

    Stack one per reason, anywhere among the view's decorators.
    """

    def mark(func: F) -> F:
        answers: dict[int, list[str]] = {k: list(v) for k, v in getattr(func, ANSWERS_ATTRIBUTE, {}).items()}
        answers.setdefault(status, []).insert(0, why)  # decorators apply bottom-up: keep them in reading order
        setattr(func, ANSWERS_ATTRIBUTE, answers)
        return func

    return mark


def documents_response(model: type[BaseModel], *, also: dict[str, str] | None = None) -> Callable[[F], F]:
    """Document the view's 200 answer as ``model`` (JSON) without validating it (for a view that may also
    answer a streamed :class:`quart.Response`, which quart-schema's ``validate_response`` refuses), and
    the other content types it can answer instead: ``also`` maps each to a sentence saying when."""

    def mark(func: F) -> F:
        schemas = dict(getattr(func, QUART_SCHEMA_RESPONSE_ATTRIBUTE, {}))
        schemas[200] = (model, None)
        setattr(func, QUART_SCHEMA_RESPONSE_ATTRIBUTE, schemas)
        setattr(func, OTHER_CONTENT_ATTRIBUTE, dict(also or {}))
        return func

    return mark


def _chain(func: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """The view and every function it wraps (``functools.wraps`` leaves ``__wrapped__``)."""
    current: Callable[..., Any] | None = func
    while current is not None:
        yield current
        current = getattr(current, "__wrapped__", None)


def _add(reasons: dict[int, list[str]], found: dict[int, str]) -> None:
    for status, why in found.items():
        if why not in reasons.setdefault(status, []):
            reasons[status].append(why)


def error_reasons(rule: Rule, method: str, func: Callable[..., Any]) -> dict[int, list[str]]:
    """Each error status the operation ``method rule`` can answer, with why (the rules of the module docstring)."""
    chain = list(_chain(func))
    reasons: dict[int, list[str]] = {}
    _add(reasons, ALWAYS)
    if any(getattr(f, QUART_SCHEMA_REQUEST_ATTRIBUTE, None) is not None for f in chain):
        _add(reasons, BODY)
    if any(getattr(f, QUART_SCHEMA_QUERYSTRING_ATTRIBUTE, None) is not None for f in chain):
        _add(reasons, QUERY)
    if method in UNSAFE_METHODS:
        _add(reasons, UNSAFE)
        if rule.rule.startswith("/api/") and not any(getattr(f, CSRF_EXEMPT, False) for f in chain):
            _add(reasons, CSRF)
    sign_in = [roles for f in chain if (roles := getattr(f, SIGN_IN_ROLES, None)) is not None]
    if sign_in:
        _add(reasons, SIGNED_IN)
    if any(sign_in):
        _add(reasons, ROLES)
    if rule.arguments:
        _add(reasons, PATH)
    for f in chain:
        for status, whys in getattr(f, ANSWERS_ATTRIBUTE, {}).items():
            for why in whys:
                _add(reasons, {status: why})
    return dict(sorted(reasons.items()))


def is_signed_in(func: Callable[..., Any]) -> bool:
    """Whether the view is behind :func:`api.security.login_required` or :func:`api.security.require_roles`."""
    return any(getattr(f, SIGN_IN_ROLES, None) is not None for f in _chain(func))


def _component(model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A ``$ref`` to ``model``'s schema and the components it needs (the schema generated from the model)."""
    if not (isinstance(model, type) and issubclass(model, ErrorOut)):
        raise TypeError(f"{model!r} documents an error answer: derive it from api.schemas.ErrorOut")
    schema = TypeAdapter(model).json_schema(ref_template=PYDANTIC_REF_TEMPLATE, mode="serialization")
    components = schema.pop("$defs", {})
    components[model.__name__] = schema
    return {"$ref": PYDANTIC_REF_TEMPLATE.format(model=model.__name__)}, components


def _error_response(status: int, whys: list[str], model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The response object of ``status``: why it is answered, its body's schema (a reference), its headers."""
    reference, components = _component(model)
    lines = [TITLES.get(status, "Error") + (":" if whys else "."), *(f"- {why}" for why in whys)]
    if model is not ErrorOut:
        lines += ["", inspect.getdoc(model) or ""]
    response: dict[str, Any] = {
        "description": "\n".join(lines),
        "content": {"application/json": {"schema": reference}},
    }
    if status in HEADERS:
        response["headers"] = HEADERS[status]
    return response, components


class ApiDocument(OpenAPIProvider):
    """quart-schema's OpenAPI document, with the error answers of every operation (module docstring)."""

    def build_paths(self, rule: Rule) -> tuple[dict, dict]:
        """The operations of ``rule`` as quart-schema builds them, plus their errors and ``security``."""
        paths, components = super().build_paths(rule)
        func = self._app.view_functions[rule.endpoint]
        declared: dict[int, Any] = getattr(func, QUART_SCHEMA_RESPONSE_ATTRIBUTE, {})
        for operations in paths.values():
            for method, shared in list(operations.items()):
                operation = {**shared, "responses": dict(shared["responses"])}
                reasons = error_reasons(rule, method.upper(), func)
                for status in sorted({*reasons, *(s for s in declared if s >= 400)}):
                    model = declared[status][0] if status in declared else ErrorOut
                    response, needed = _error_response(status, reasons.get(status, []), model)
                    operation["responses"][status] = response
                    components.update(needed)
                other = getattr(func, OTHER_CONTENT_ATTRIBUTE, {})
                if other and "200" in operation["responses"]:
                    ok = dict(operation["responses"]["200"])
                    ok["content"] = {
                        **ok.get("content", {}),
                        **{kind: {"schema": {"type": "string", "description": when}} for kind, when in other.items()},
                    }
                    operation["responses"]["200"] = ok
                if is_signed_in(func):
                    operation["security"] = SECURITY
                operations[method] = operation
        return paths, components
