"""``/docs``: the API described by ``/openapi.json`` in Swagger UI, every file served by this service.

Swagger UI's files (version 5, which reads OpenAPI 3.1) come from the ``swagger-ui-py`` package
(no CDN), its start-up from ``docs_static/docs.js`` (no inline script), so the page works under
the strict page CSP of :mod:`api.headers`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from quart import Blueprint, Response, send_from_directory
from quart_schema import hide

blueprint = Blueprint("docs", __name__)
OWN = Path(__file__).resolve().parent / "docs_static"
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ToBeOut API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script src="/docs/static/swagger-ui-standalone-preset.js"></script>
<script src="/docs/docs.js"></script>
</body>
</html>
"""


def _swagger_ui_static() -> Path:
    """The ``static`` folder of the installed ``swagger-ui-py`` package (found without importing it)."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or spec.origin is None:
        raise RuntimeError("the swagger-ui-py package is not installed")
    return Path(spec.origin).resolve().parent / "static"


SWAGGER_UI = _swagger_ui_static()
SWAGGER_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"})


@blueprint.get("/docs")
@hide
async def docs_page() -> Response:
    """The Swagger UI page."""
    return Response(PAGE, content_type="text/html; charset=utf-8")


@blueprint.get("/docs/docs.js")
@hide
async def docs_script() -> Response:
    """The page's own start-up script."""
    return await send_from_directory(OWN, "docs.js", mimetype="application/javascript")


@blueprint.get("/docs/static/<name>")
@hide
async def swagger_file(name: str) -> Response | tuple[Response, int]:
    """Swagger UI's script and stylesheet, from the installed package."""
    if name not in SWAGGER_FILES:
        return Response("Not found.", status=404, mimetype="text/plain")
    return await send_from_directory(SWAGGER_UI, name)
