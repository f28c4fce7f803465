"""Security headers on every response, from one place (api/headers.py)."""

from __future__ import annotations

from api.headers import PAGE_CSP
from tests.api.helpers import CSRF, register_owner


async def test_api_answers_carry_nosniff_referrer_policy_no_store_and_a_closed_csp(app):
    client = app.test_client()
    await register_owner(client)
    for response in (
        await client.get("/api/auth/me"),
        await client.get("/api/nowhere"),
        await client.post("/api/tables", json={}, headers=CSRF),
    ):
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert headers["Cache-Control"] == "no-store", "an authenticated answer is never kept by a cache"
        assert "Strict-Transport-Security" not in headers, "HSTS only in production"


async def test_pages_get_the_page_csp_and_no_framing(app):
    client = app.test_client()
    await register_owner(client)  # the demo page shows the first restaurant
    for path in ("/", "/docs", "/dashboard"):
        response = await client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert response.headers["Content-Security-Policy"] == PAGE_CSP
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        page = await response.get_data(as_text=True)
        assert "<style" not in page and "<script>" not in page, "no inline style or script to allow"
        assert "https://" not in page.split("<body>")[0], "no asset from another site"


async def test_the_docs_assets_are_served_by_the_service(app):
    client = app.test_client()
    for path, kind in (
        ("/docs/static/swagger-ui-bundle.js", "javascript"),
        ("/docs/static/swagger-ui.css", "css"),
        ("/docs/docs.js", "javascript"),
    ):
        response = await client.get(path)
        assert response.status_code == 200 and kind in response.content_type, (path, response.content_type)
    assert (await client.get("/docs/static/../../app.py")).status_code == 404


async def test_the_widget_stays_loadable_from_other_sites(app):
    client = app.test_client()
    for path, kind in (("/widget.js", "application/javascript"), ("/widget.css", "text/css")):
        response = await client.get(path, headers={"Origin": "https://bistro.example"})
        assert response.status_code == 200 and response.mimetype == kind
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Cross-Origin-Resource-Policy" not in response.headers
        assert response.headers["Cache-Control"].startswith("public")


async def test_production_adds_hsts(app_factory, postgres_url):
    app = await app_factory(postgres_url, env={"TOBEOUT_ENV": "production"})
    response = await app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
