"""Signed, expiring links that let a guest look at, change or cancel one booking without signing in.

A manage link is ``{PUBLIC_BASE_URL}/manage/{token}``. The token names the restaurant, the
reservation and an expiry instant, and carries an HMAC-SHA256 over the three, keyed with a key
derived from the service's ``SECRET_KEY`` (HKDF, so the key is used for nothing else)::

    <restaurant id>.<reservation id>.<expiry, unix seconds>.<signature, base64url>

Whoever holds the token may act on that one reservation of that one restaurant until the expiry;
the signature makes any other id or a later expiry worthless. What it cannot do is outlive a change of
``SECRET_KEY``: every link then reads as forged (the guest's next confirmation carries a new one).

Links expire :data:`LINK_GRACE` after the booking ends (:func:`link_expiry`), so one stays usable
on the evening itself and a little beyond. A booking moved later keeps its old link's expiry: whoever
moves it (the manage page does) hands out a fresh link with :func:`manage_url`.

Checking a token (:func:`read_manage_token`) needs no database; the caller then reads the reservation
scoped by both ids (``Reservation.filter(restaurant_id=..., id=...)``), so a token never reaches
another restaurant's booking.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.errors import NotFound
from core.models import Reservation

#: How long after the booking's end its link still works.
LINK_GRACE = timedelta(days=2)
#: The path of the guest's page under ``PUBLIC_BASE_URL``.
MANAGE_PATH = "/manage/"
#: What the derived key is for (HKDF's ``info``): a new purpose gets a new label, never this key.
_KEY_LABEL = b"tobeout manage-link v1"
_TOKEN = re.compile(r"^([1-9][0-9]{0,9})\.([1-9][0-9]{0,9})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$")


class LinkProblem(StrEnum):
    """Why a token was refused."""

    MALFORMED = "malformed"  # not a token at all (cut off when copied, a typo)
    FORGED = "forged"  # well-formed, but the signature is not ours (or SECRET_KEY changed)
    EXPIRED = "expired"  # ours, but past its expiry


class InvalidManageLink(NotFound):
    """A manage token that is malformed, forged or expired (``problem`` says which). HTTP 404 at the edge:
    the page says the link cannot be used, never which booking it was meant for."""

    code = "invalid_manage_link"

    def __init__(self, problem: LinkProblem, restaurant_id: int | None = None) -> None:
        messages = {
            LinkProblem.MALFORMED: "This link is incomplete; open it again from your confirmation.",
            LinkProblem.FORGED: "This link is not valid; open it again from your confirmation.",
            LinkProblem.EXPIRED: "This link has expired.",
        }
        super().__init__(messages[problem], details={"problem": str(problem)})
        self.problem = problem
        #: The restaurant of an expired link (its signature was good), so a page can say whom to call.
        self.restaurant_id = restaurant_id


@dataclass(frozen=True)
class ManageToken:
    """What a valid token grants: the reservation ``reservation_id`` of ``restaurant_id`` until ``expires_at``."""

    restaurant_id: int
    reservation_id: int
    expires_at: datetime


def manage_key(secret_key: str) -> bytes:
    """The 32-byte key manage links are signed with, derived from the service's ``SECRET_KEY``."""
    if not secret_key:
        raise ValueError("manage links need the service's SECRET_KEY")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_LABEL)
    return hkdf.derive(secret_key.encode())


def link_expiry(ends_at: datetime) -> datetime:
    """When the link of a booking ending at ``ends_at`` (aware) stops working: :data:`LINK_GRACE` later,
    to the second."""
    if ends_at.tzinfo is None:
        raise ValueError("ends_at must be timezone-aware")
    return (ends_at + LINK_GRACE).astimezone(UTC).replace(microsecond=0)


def _signature(key: bytes, restaurant_id: int, reservation_id: int, expires: int) -> str:
    message = f"{restaurant_id}.{reservation_id}.{expires}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign_manage_token(secret_key: str, restaurant_id: int, reservation_id: int, expires_at: datetime) -> str:
    """The token granting ``reservation_id`` of ``restaurant_id`` until ``expires_at`` (aware; whole seconds)."""
    if restaurant_id < 1 or reservation_id < 1:
        raise ValueError("ids must be positive")
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    expires = int(expires_at.timestamp())
    signature = _signature(manage_key(secret_key), restaurant_id, reservation_id, expires)
    return f"{restaurant_id}.{reservation_id}.{expires}.{signature}"


def read_manage_token(secret_key: str, token: str, now: datetime) -> ManageToken:
    """The grant ``token`` carries, checked at ``now``; :class:`InvalidManageLink` when it is malformed,
    not signed with this service's key, or expired (the signature is compared in constant time, and
    checked before the expiry so an expired forgery reads as forged)."""
    match = _TOKEN.match(token or "")
    if match is None:
        raise InvalidManageLink(LinkProblem.MALFORMED)
    restaurant_id, reservation_id, expires = (int(match.group(i)) for i in (1, 2, 3))
    expected = _signature(manage_key(secret_key), restaurant_id, reservation_id, expires)
    if not hmac.compare_digest(expected, match.group(4)):
        raise InvalidManageLink(LinkProblem.FORGED)
    if now.timestamp() >= expires:
        raise InvalidManageLink(LinkProblem.EXPIRED, restaurant_id)
    return ManageToken(restaurant_id, reservation_id, datetime.fromtimestamp(expires, UTC))


def manage_token(secret_key: str, reservation: Reservation) -> str:
    """The token of ``reservation``'s manage link, expiring :data:`LINK_GRACE` after it ends."""
    return sign_manage_token(secret_key, reservation.restaurant_id, reservation.id, link_expiry(reservation.ends_at))


def manage_url(base_url: str, secret_key: str, reservation: Reservation) -> str:
    """The guest's manage link of ``reservation``: ``{base_url}/manage/{token}`` (``base_url`` is the
    service's ``PUBLIC_BASE_URL``; a trailing slash is fine).

    ``manage_url(runtime.settings.public_base_url, runtime.settings.secret_key, reservation)``."""
    return base_url.rstrip("/") + MANAGE_PATH + manage_token(secret_key, reservation)
