"""The twilio SDK: a REST client per restaurant, signature checks, and Twilio's errors in the core's terms.

Every restaurant has its own Twilio account (or subaccount). :class:`TwilioClients` keeps
one ``twilio.rest.Client`` with an ``AsyncTwilioHttpClient`` per restaurant, created at
first use inside the running loop (aiohttp needs one) and replaced when the credentials
change. ``TWILIO_API_BASE_URL`` redirects the ``api.twilio.com`` domain (tests' fake).
Twilio's async HTTP client ignores its ``timeout``, so every call is wrapped in
``asyncio.timeout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator, add_port, get_signature_algorithm, remove_port
from twilio.rest import Client

from core.errors import ChannelError

AUTH_ERRORS = {20003, 20005, 20006}  # authenticate; account suspended; account not active


def valid_signature(auth_token: str, url: str, params: Any, signature: str, settings_header: str | None) -> bool:
    """Whether ``signature`` (``X-Twilio-Signature``) signs this POST of ``params`` to ``url``.

    Computed with the SDK's :class:`RequestValidator` and compared with ``hmac.compare_digest``,
    with and without the default port (Twilio signs either form).
    """
    if not signature:
        return False
    algorithm = get_signature_algorithm(settings_header)
    validator = RequestValidator(auth_token)
    parsed = urlparse(url)
    for candidate in (remove_port(parsed), add_port(parsed)):
        try:
            expected = validator.compute_signature(candidate, params, algorithm)
        except ValueError:  # an algorithm this SDK does not know
            return False
        if hmac.compare_digest(expected.encode(), signature.encode()):
            return True
    return False


def is_auth_error(exc: BaseException) -> bool:
    """True for Twilio refusing the account's credentials."""
    return isinstance(exc, TwilioRestException) and (exc.status == 401 or exc.code in AUTH_ERRORS)


def channel_error(exc: BaseException, action: str = "call Twilio") -> ChannelError:
    """The core's :class:`ChannelError` for a twilio / aiohttp / timeout error (never includes secrets)."""
    if isinstance(exc, TwilioRestException):
        reason = f"Twilio error {exc.code}: {exc.msg}" if exc.code else f"Twilio answered {exc.status}: {exc.msg}"
        if is_auth_error(exc):
            return ChannelError(
                "Twilio refused the account's credentials (Account SID / Auth Token); "
                f"save them again from the Twilio console. ({reason})",
                code="twilio_unauthorized",
                details={"twilioCode": exc.code},
            )
        retryable = exc.status == 429 or exc.status >= 500
        return ChannelError(
            f"Twilio refused to {action}: {reason}",
            retryable=retryable,
            code="twilio_error",
            details={"twilioCode": exc.code, "status": exc.status},
        )
    if isinstance(exc, TimeoutError):
        return ChannelError(f"Twilio did not answer in time ({action}).", retryable=True, code="twilio_timeout")
    if isinstance(exc, aiohttp.ClientError):
        return ChannelError(
            f"Twilio is unreachable ({action}): {exc.__class__.__name__}", retryable=True, code="twilio_down"
        )
    return ChannelError(f"Twilio failed ({action}): {exc.__class__.__name__}", code="twilio_error")


TWILIO_ERRORS = (TwilioRestException, TimeoutError, aiohttp.ClientError)


class TwilioClients:
    """A Twilio REST client per restaurant, rebuilt when its credentials change."""

    def __init__(self, base_url: str | None, *, timeout: float = 10.0) -> None:
        self._base_url = base_url
        self.timeout = timeout
        self._clients: dict[int, tuple[tuple[str, str], Client, AsyncTwilioHttpClient]] = {}
        self._closing: set[asyncio.Task[None]] = set()

    def make(self, account_sid: str, auth_token: str) -> tuple[Client, AsyncTwilioHttpClient]:
        """A new client (inside the running loop); close its HTTP client when done."""
        http = AsyncTwilioHttpClient()
        client = Client(account_sid, auth_token, http_client=http)
        if self._base_url:
            client.api.base_url = self._base_url
            client.edge = client.region = None  # TWILIO_EDGE / TWILIO_REGION would rewrite the host
        return client, http

    def get(self, restaurant_id: int, account_sid: str, auth_token: str) -> Client:
        """The restaurant's client for these credentials."""
        entry = self._clients.get(restaurant_id)
        if entry is not None and hmac.compare_digest(
            "\0".join(entry[0]).encode(), "\0".join((account_sid, auth_token)).encode()
        ):
            return entry[1]
        client, http = self.make(account_sid, auth_token)
        self._clients[restaurant_id] = ((account_sid, auth_token), client, http)
        if entry is not None:
            self._close_later(entry[2])
        return client

    def drop(self, restaurant_id: int) -> None:
        """Forget the restaurant's client (its settings changed)."""
        entry = self._clients.pop(restaurant_id, None)
        if entry is not None:
            self._close_later(entry[2])

    def _close_later(self, http: AsyncTwilioHttpClient) -> None:
        task = asyncio.get_running_loop().create_task(close_http(http))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def call(self, make_call: Any, action: str) -> Any:
        """Await ``make_call()`` within the timeout, translating Twilio's errors to ``ChannelError``."""
        try:
            async with asyncio.timeout(self.timeout):
                return await make_call()
        except TWILIO_ERRORS as exc:
            raise channel_error(exc, action) from None

    async def close(self) -> None:
        """Close every client (at shutdown)."""
        entries, self._clients = list(self._clients.values()), {}
        await asyncio.gather(*(close_http(http) for _, _, http in entries), *self._closing, return_exceptions=True)


async def close_http(http: AsyncTwilioHttpClient) -> None:
    """Close an async Twilio HTTP client (never raises)."""
    with contextlib.suppress(Exception):
        await http.close()


def form_dict(form: Mapping[str, Any]) -> dict[str, str]:
    """A Twilio form as a plain dict (Twilio never repeats a field of an inbound message)."""
    return {key: str(form.get(key, "")) for key in form}
