"""Real answers held to the app's own ``/openapi.json``: the status is documented for the operation, the
documented headers are there and the body validates against the documented schema (by schemathesis)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx

_PARAMETER = re.compile(r"<(?:[^:<>]*:)?([^<>]+)>")


class Documented:
    """The OpenAPI document of a started app, to check its answers against."""

    def __init__(self, app: Any, document: dict[str, Any]) -> None:
        import schemathesis

        self.app, self.document = app, document
        self.schema = schemathesis.openapi.from_dict(document)

    @classmethod
    async def of(cls, app: Any) -> Documented:
        """The document ``app`` serves at ``/openapi.json``."""
        response = await app.test_client().get("/openapi.json")
        assert response.status_code == 200
        return cls(app, await response.get_json())

    def operations(self) -> list[tuple[str, str]]:
        """Every ``(METHOD, path template)`` of the document."""
        return [(method.upper(), path) for path, item in self.document["paths"].items() for method in item]

    def operation(self, method: str, template: str) -> dict[str, Any]:
        """The operation object of ``method template``."""
        return self.document["paths"][template][method.lower()]

    def template(self, method: str, path: str) -> str:
        """The path template of the operation that answers ``method path``."""
        rule, _ = self.app.url_map.bind("tobeout.test").match(path.split("?", 1)[0], method=method, return_rule=True)
        return _PARAMETER.sub(r"{\1}", rule.rule)

    async def check(self, method: str, path: str, response: Any) -> dict[str, Any]:
        """Assert that the Quart ``response`` to ``method path`` is documented; returns its JSON body."""
        from schemathesis.core.failures import FailureGroup

        template = self.template(method, path)
        status = response.status_code
        documented = self.operation(method, template)["responses"]
        assert str(status) in documented, f"{method} {template} answered {status}; documented: {sorted(documented)}"
        for name, header in documented[str(status)].get("headers", {}).items():
            assert not header.get("required") or name in response.headers, f"{method} {template} {status}: no {name}"
        body = await response.get_data()
        answer = httpx.Response(
            status,
            headers=list(response.headers.items()),
            content=body,
            request=httpx.Request(method, f"http://tobeout.test{path}"),
        )
        answer.elapsed = timedelta(0)
        try:
            self.schema[template][method].validate_response(answer)
        except FailureGroup as group:
            raise AssertionError(f"{method} {template} {status}: {body[:300]!r}\n{group}") from None
        return await response.get_json()
