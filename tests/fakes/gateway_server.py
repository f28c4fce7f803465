"""A fake SMS-style gateway for the example channel plugin: it receives our signed JSON posts.

It speaks the wire format documented in docs/plugins.md: a JSON POST with
``X-Example-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>``. A post whose
signature does not check out under the gateway's secret gets a 401, as a real gateway would
answer. :func:`signed_headers` signs what a test posts to ToBeOut as the gateway would.
This is written from the documented format, independently of the plugin's own code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import deque
from typing import Any

from .base import FakeServer, RecordedRequest, Reply


def signed_headers(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers a gateway sends with ``body``."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Example-Signature": f"t={t},v1={mac}"}


class FakeGateway(FakeServer):
    def __init__(self, secret: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.secret = secret
        self._failures: deque[int] = deque()
        self._flock = threading.Lock()

    @property
    def outbound_url(self) -> str:
        return f"{self.url}/outbound"

    def fail_next(self, *statuses: int) -> None:
        """Answer the next posts with these HTTP statuses."""
        with self._flock:
            self._failures.extend(statuses)

    @property
    def messages(self) -> list[dict]:
        """The ``type: message`` posts accepted (verified), oldest first."""
        return [
            r.body
            for r in self.requests
            if isinstance(r.body, dict) and r.body.get("type") == "message" and self._verified(r)
        ]

    def _verified(self, request: RecordedRequest) -> bool:
        header = request.headers.get("x-example-signature", "")
        parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
        mac = hmac.new(self.secret.encode(), f"{parts.get('t', '')}.".encode() + request.raw, hashlib.sha256)
        return hmac.compare_digest(parts.get("v1", ""), mac.hexdigest())

    def handle(self, request: RecordedRequest) -> Reply:
        if request.method != "POST" or request.path != "/outbound":
            return Reply(404, {"error": "not found"})
        if not self._verified(request):
            return Reply(401, {"error": "bad signature"})
        with self._flock:
            status = self._failures.popleft() if self._failures else 200
        return Reply(status, {"ok": status < 400, "echo": json.loads(request.raw or b"{}").get("type")})
