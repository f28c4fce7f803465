"""A fake Twilio REST API (Messages + Account) for the real ``twilio`` SDK, sync and async.

Point the SDK at it by overriding the Api domain's base URL::

    with FakeTwilio() as fake:
        fake.add_account("AC" + "0" * 32, "secret")
        client = Client("AC" + "0" * 32, "secret")
        client.api.base_url = fake.base_url   # every client.messages / client.api call goes here

Also :func:`sign_twilio_request` and :func:`inbound_message_params` for building inbound
webhook posts exactly as Twilio sends them.
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from typing import Any

from twilio.request_validator import RequestValidator

from .base import FakeServer, RecordedRequest, Reply

API = "/2010-04-01"
_ACCOUNT = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)\.json$")
_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
_MESSAGE = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages/(?P<msg>[^/]+)\.json$")


def sign_twilio_request(url: str, params: dict[str, Any], auth_token: str, algorithm: str | None = None) -> str:
    """The ``X-Twilio-Signature`` header value Twilio would send for a POST of ``params`` to ``url``."""
    return RequestValidator(auth_token).compute_signature(url, params, algorithm)


def inbound_message_params(account_sid: str, from_: str, to: str, body: str, **extra: str) -> dict[str, str]:
    """Form params of an inbound message webhook (SMS, or WhatsApp with ``whatsapp:+..`` numbers)."""
    params = {
        "MessageSid": _sid("SM"),
        "SmsMessageSid": "",
        "AccountSid": account_sid,
        "From": from_,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }
    params["SmsMessageSid"] = params["MessageSid"]
    if from_.startswith("whatsapp:"):
        params.update({"WaId": from_.removeprefix("whatsapp:+"), "ProfileName": "Guest", "MessageType": "text"})
    params.update(extra)
    return params


def _now() -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())


def _sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def error_body(status: int, code: int, message: str) -> dict:
    """Twilio's (legacy, v2010) JSON error shape."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class FakeTwilio(FakeServer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._accounts: dict[str, str] = {}
        self._messages: list[tuple[dict, dict]] = []  # (posted form params, Message resource)
        self._failures: list[dict] = []

    @property
    def base_url(self) -> str:
        """Replacement for ``https://api.twilio.com`` (TWILIO_API_BASE_URL)."""
        return self.url

    # ---- scripting -------------------------------------------------------------------
    def add_account(self, sid: str, token: str) -> None:
        with self._lock:
            self._accounts[sid] = token

    def fail_next(
        self, status: int, code: int, message: str, times: int = 1, *, endpoint: str = "/Messages", delay: float = 0
    ) -> None:
        """Fail the next ``times`` authenticated requests whose path contains ``endpoint``.

        E.g. ``fail_next(400, 21211, "The 'To' number +1 is not a valid phone number.")``,
        ``fail_next(429, 20429, "Too Many Requests")``; ``endpoint=""`` matches every request.
        """
        with self._lock:
            self._failures.append(
                {
                    "status": status,
                    "code": code,
                    "message": message,
                    "times": times,
                    "endpoint": endpoint,
                    "delay": delay,
                }
            )

    def delay_next(self, seconds: float, times: int = 1, *, endpoint: str = "/Messages") -> None:
        """Hold the next matching replies (provokes client timeouts), then answer normally."""
        self.fail_next(0, 0, "", times, endpoint=endpoint, delay=seconds)

    # ---- inspection ------------------------------------------------------------------
    def sent_messages(self, account_sid: str | None = None) -> list[dict]:
        """Form params (To, From, Body, ...) of every accepted Messages create, oldest first."""
        with self._lock:
            return [dict(p) for p, r in self._messages if account_sid in (None, r["account_sid"])]

    def message_resources(self, account_sid: str | None = None) -> list[dict]:
        """The Message resources returned for those creates (sid, status, ...)."""
        with self._lock:
            return [dict(r) for _, r in self._messages if account_sid in (None, r["account_sid"])]

    # ---- server ----------------------------------------------------------------------
    def _authenticate(self, request: RecordedRequest) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, _, password = base64.b64decode(value).decode().partition(":")
        except ValueError:
            return None
        with self._lock:
            return user if user in self._accounts and self._accounts[user] == password else None

    def handle(self, request: RecordedRequest) -> Reply:
        user = self._authenticate(request)
        if user is None:
            return Reply(401, error_body(401, 20003, "Authenticate"), {"WWW-Authenticate": 'Basic realm="Twilio API"'})
        match = _ACCOUNT.match(request.path) or _MESSAGES.match(request.path) or _MESSAGE.match(request.path)
        if match is None or match["sid"] != user:
            return Reply(404, error_body(404, 20404, f"The requested resource {request.path} was not found"))
        with self._lock:
            failure = next((f for f in self._failures if f["endpoint"] in request.path), None)
            if failure:
                failure["times"] -= 1
                if failure["times"] <= 0:
                    self._failures.remove(failure)
        if failure:
            self.sleep(failure["delay"])
            if failure["status"]:
                return Reply(failure["status"], error_body(failure["status"], failure["code"], failure["message"]))
        if match.re is _ACCOUNT and request.method == "GET":
            return Reply(200, self._account_json(user))
        if match.re is _MESSAGES and request.method == "POST":
            return self._create_message(user, request.body if isinstance(request.body, dict) else {})
        if match.re is _MESSAGE and request.method == "GET":
            with self._lock:
                found = [r for _, r in self._messages if r["sid"] == match["msg"]]
            if found:
                return Reply(200, found[0])
            return Reply(404, error_body(404, 20404, f"The requested resource {request.path} was not found"))
        return Reply(405, error_body(405, 20004, "Method not allowed"))

    def _account_json(self, sid: str) -> dict:
        now = _now()
        return {
            "sid": sid,
            "owner_account_sid": sid,
            "friendly_name": "ToBeOut test account",
            "status": "active",
            "type": "Full",
            "auth_token": self._accounts[sid],
            "date_created": now,
            "date_updated": now,
            "uri": f"{API}/Accounts/{sid}.json",
            "subresource_uris": {"messages": f"{API}/Accounts/{sid}/Messages.json"},
        }

    def _create_message(self, account_sid: str, params: dict) -> Reply:
        if not params.get("To"):
            return Reply(400, error_body(400, 21604, "A 'To' phone number is required."))
        if not params.get("From") and not params.get("MessagingServiceSid"):
            return Reply(400, error_body(400, 21603, "A 'From' phone number is required."))
        if not (params.get("Body") or params.get("MediaUrl") or params.get("ContentSid")):
            return Reply(400, error_body(400, 21602, "Message body is required."))
        sid, now = _sid("SM"), _now()
        uri = f"{API}/Accounts/{account_sid}/Messages/{sid}.json"
        resource = {
            "sid": sid,
            "account_sid": account_sid,
            "api_version": "2010-04-01",
            "to": params["To"],
            "from": params.get("From"),
            "body": params.get("Body", ""),
            "messaging_service_sid": params.get("MessagingServiceSid"),
            "status": "accepted" if not params.get("From") else "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "num_media": str(
                len(params["MediaUrl"])
                if isinstance(params.get("MediaUrl"), list)
                else int(bool(params.get("MediaUrl")))
            ),
            "price": None,
            "price_unit": "USD",
            "error_code": None,
            "error_message": None,
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "uri": uri,
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
        }
        with self._lock:
            self._messages.append((dict(params), resource))
        return Reply(201, resource)
