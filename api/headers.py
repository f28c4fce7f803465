"""Security headers of every response, set in one ``after_request`` for the whole app.

* every response: ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy``;
* HTML pages (the demo page, the dashboard, the API docs): the Content-Security-Policy
  :data:`PAGE_CSP` (only this service's own scripts, styles, images and fonts; no inline
  script or style; no framing) and ``X-Frame-Options: DENY`` for older browsers;
* everything else: a CSP that lets nothing load or frame it (a JSON answer opened as a page
  runs nothing);
* the API (``/api/...``): ``Cache-Control: no-store``, so no browser or proxy keeps an
  authenticated answer (a view that set its own ``Cache-Control`` keeps it);
* production (``TOBEOUT_ENV=production``, served over HTTPS): ``Strict-Transport-Security``.

Scripts meant for other sites (``/widget.js``, embedded on restaurants' own pages) stay
loadable cross-origin: nothing here sets ``Cross-Origin-Resource-Policy``, and a CSP on a
script's own response does not apply to the page that embeds it.
"""

from __future__ import annotations

from quart import Quart, Response, request

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
OTHER_CSP = "default-src 'none'; frame-ancestors 'none'"
REFERRER_POLICY = "strict-origin-when-cross-origin"
HSTS = "max-age=31536000; includeSubDomains"


def install_security_headers(app: Quart, *, production: bool) -> None:
    """Add the headers (module docstring) to every response of ``app``."""

    @app.after_request
    async def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        if response.mimetype == "text/html":
            headers.setdefault("Content-Security-Policy", PAGE_CSP)
            headers.setdefault("X-Frame-Options", "DENY")
        else:
            headers.setdefault("Content-Security-Policy", OTHER_CSP)
        if request.path.startswith("/api/") and "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-store"
        if production:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
