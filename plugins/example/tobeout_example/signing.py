"""Signed JSON webhooks: ``X-Example-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>``.

The gateway and ToBeOut share one signing secret per restaurant. The signature covers
the timestamp and the exact body bytes (``f"{t}.".encode() + body``), so neither can be
changed in transit, and a request older than the tolerance is refused, so a captured
request cannot be replayed later. Signatures are compared with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Example-Signature"


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """The hex HMAC-SHA256 of ``timestamp`` and ``body`` under ``secret``."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header value for ``body`` sent at ``timestamp``: ``t=...,v1=...``."""
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"


def verify(secret: str, body: bytes, header: str, now: float, tolerance: float) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds of ``now``."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, body, timestamp)
    return hmac.compare_digest(parts.get("v1", "").encode(), expected.encode())
