"""The dashboard's page and files as the service serves them, and rules its source keeps:
no inline script or style (it runs under a script-src/style-src 'self' policy), no markup
built from strings, every English text translated into Russian."""

from __future__ import annotations

import json
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "api" / "dashboard_ui" / "static"
SCRIPTS = sorted(STATIC.rglob("*.js"))


async def test_every_dashboard_address_serves_the_page_and_its_files(client):
    for path in (
        "/dashboard",
        "/dashboard?date=2030-01-02",
        "/dashboard/floor",
        "/dashboard/guests",
        "/dashboard/settings",
        "/dashboard/integrations",
        "/dashboard/activity",
        "/dashboard/signin",
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert '<script type="module" src="/dashboard/static/app.js">' in await response.get_data(as_text=True)
    assert (await client.get("/dashboard/nope")).status_code == 404
    assert (await client.get("/dashboard/static/../__init__.py")).status_code == 404
    for name, kind in (
        ("app.js", "javascript"),
        ("views/day.js", "javascript"),
        ("app.css", "css"),
        ("logo.svg", "svg"),
        ("i18n/ru.json", "json"),
    ):
        response = await client.get(f"/dashboard/static/{name}")
        assert response.status_code == 200, name
        assert kind in response.headers["Content-Type"], (name, response.headers["Content-Type"])
    icon = await client.get("/favicon.ico")  # asked for by browsers on /docs and the demo page
    assert icon.status_code == 200 and icon.headers["Content-Type"].startswith("image/svg+xml")
    assert (await icon.get_data()).startswith(b"<svg")


async def test_the_session_endpoint_answers_signed_out_without_an_error(client):
    response = await client.get("/api/auth/session")
    assert response.status_code == 200
    assert await response.get_json() == {"signedIn": False, "user": None, "restaurant": None}


def test_the_page_has_no_inline_script_or_style():
    html = (STATIC / "index.html").read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html and " style=" not in html and " on" not in re.sub(r"<noscript>.*?</noscript>", "", html)


def test_scripts_never_parse_markup_or_evaluate_strings():
    for path in SCRIPTS:
        source = path.read_text()
        for forbidden in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            'setAttribute("style"',
        ):
            assert forbidden not in source, f"{path.name} uses {forbidden}"
        assert not re.search(r"(from|import\()\s*[\"']https?://", source), f"{path.name} loads code from elsewhere"


async def test_the_page_registry_is_what_the_server_answers_and_the_script_loads(client):
    pages = json.loads((STATIC / "pages.json").read_text())["pages"]
    assert [p["path"] for p in pages][0] == ""  # the day view is the home page
    for page in pages:
        assert (STATIC / "views" / f"{page['view']}.js").is_file(), page
        address = f"/dashboard/{page['path']}".rstrip("/")
        assert (await client.get(address)).status_code == 200, address
    served = await client.get("/dashboard/static/pages.json")
    assert served.status_code == 200
    assert json.loads(await served.get_data(as_text=True))["pages"] == pages
    # the views that are parts of pages (dialogs, the day sheet) have no address of their own
    assert (await client.get("/dashboard/walkin")).status_code == 404


def test_every_text_has_a_russian_translation():
    texts = set()
    for path in SCRIPTS:
        texts |= set(re.findall(r'\b(?:t|N_)\("((?:[^"\\]|\\.)*)"', path.read_text()))
    texts |= {page["title"] for page in json.loads((STATIC / "pages.json").read_text())["pages"]}
    russian = json.loads((STATIC / "i18n" / "ru.json").read_text())
    assert sorted(texts - set(russian)) == []
    assert sorted(set(russian) - texts) == []  # no stale entries either
    assert all(value.strip() for value in russian.values())
