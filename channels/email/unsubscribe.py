"""The unsubscribe link in every e-mail: signed, so only the guest it was sent to can use it.

``{PUBLIC_BASE_URL}/channels/email/<restaurantId>/unsubscribe/<token>``, the token being the
address (base64url) and an HMAC-SHA256 over the restaurant and the address, keyed with a key
derived from ``SECRET_KEY`` for this use only. It does not expire: an old e-mail's link still works.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from core.runtime import Runtime

PURPOSE = b"tobeout e-mail unsubscribe v1"


def _key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), PURPOSE, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret_key: str, restaurant_id: int, address: str) -> str:
    message = f"{restaurant_id}\n{address.casefold()}".encode()
    return _b64(hmac.new(_key(secret_key), message, hashlib.sha256).digest())


def token(secret_key: str, restaurant_id: int, address: str) -> str:
    """The unsubscribe token of ``address`` at the restaurant."""
    return f"{_b64(address.encode())}.{_signature(secret_key, restaurant_id, address)}"


def address_of(secret_key: str, restaurant_id: int, value: str) -> str | None:
    """The address a token was made for, or None when it is forged, for another restaurant, or garbled."""
    encoded, _, signature = value.partition(".")
    try:
        address = _unb64(encoded).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    expected = _signature(secret_key, restaurant_id, address)
    return address if hmac.compare_digest(expected.encode(), signature.encode()) else None


def unsubscribe_url(runtime: Runtime, restaurant_id: int, address: str) -> str:
    """The guest's unsubscribe link for e-mail from this restaurant."""
    settings = runtime.settings
    base = settings.public_base_url.rstrip("/")
    return f"{base}/channels/email/{restaurant_id}/unsubscribe/{token(settings.secret_key, restaurant_id, address)}"
