"""The staff dashboard at ``/dashboard``: the API's browser face.

A single page (``static/index.html``) written as hand-made ES modules and CSS, served
by the service itself (no build step, no CDN). It talks only to the public REST API and
``/api/events``. Every ``/dashboard/<page>`` path answers the same page, so each view
has an address that survives a reload; ``/dashboard/static/...`` are its files, found
next to this module (so it works whatever the working directory is). ``/favicon.ico`` is the
same logo, for the pages that name no icon (``/docs``, the demo page), which browsers ask for.
"""

from __future__ import annotations

import json
from pathlib import Path

from quart import Blueprint, Response, redirect, send_from_directory
from quart_schema import hide
from werkzeug.wrappers import Response as WerkzeugResponse

STATIC = Path(__file__).resolve().parent / "static"
SIGN_IN = "signin"  # the sign-in form's address (``?next=`` the page to go on to), not a page of the menu


def _pages() -> frozenset[str]:
    """The addresses under /dashboard/ that answer the page: the one registry, ``static/pages.json``
    (the script builds its menu and router from the same file), and the sign-in form; anything else is a 404."""
    registry = json.loads((STATIC / "pages.json").read_text(encoding="utf-8"))
    return frozenset(str(entry["path"]) for entry in registry["pages"] if entry["path"]) | {SIGN_IN}


PAGES = _pages()

blueprint = Blueprint("dashboard_ui", __name__, url_prefix="/dashboard")
icon_blueprint = Blueprint("site_icon", __name__)


async def _page() -> Response:
    response = await send_from_directory(STATIC, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("")
@hide
async def home() -> Response:
    """The day view (``?date=YYYY-MM-DD``; today by default)."""
    return await _page()


@blueprint.get("/")
@hide
async def home_slash() -> WerkzeugResponse:
    """``/dashboard/`` is ``/dashboard``."""
    return redirect("/dashboard", 308)


@blueprint.get("/<page>")
@hide
async def page(page: str) -> Response:
    """One of the dashboard's pages (the same document; the script renders the page)."""
    if page not in PAGES:
        from werkzeug.exceptions import NotFound

        raise NotFound()
    return await _page()


@blueprint.get("/static/<path:filename>")
@hide
async def static(filename: str) -> Response:
    """The dashboard's scripts, styles and images (revalidated on every load, so a deploy shows at once)."""
    response = await send_from_directory(STATIC, filename)
    response.headers["Cache-Control"] = "no-cache"
    return response


@icon_blueprint.get("/favicon.ico")
@hide
async def favicon() -> Response:
    """The service's icon (the dashboard's logo, SVG), cached a day."""
    response = await send_from_directory(STATIC, "logo.svg", mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
