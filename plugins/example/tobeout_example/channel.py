"""The example channel's per-process object: signed posts to each restaurant's gateway.

:class:`ExampleChannel` is the channel adapter (``name``, ``async send``) through which the
notifier tells guests about staff changes; it is also what checks a gateway when the owner
saves it (``on_saving``) and what ``/readyz`` asks (``readiness``): what
:class:`channels.common.plugin.ChannelPlugin` expects of a channel object. Every outgoing request
is a JSON POST to the restaurant's ``outboundUrl``, signed like the inbound ones
(:mod:`tobeout_example.signing`). The gateway's failures become
:class:`core.errors.ChannelError` here, retryable when the gateway may recover (a timeout,
a 5xx, a 429), so they never leave this package as an HTTP library's exception.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from core.conversation.types import Reply
from core.errors import ChannelError, ValidationError
from core.integrations import SaveRequest, active_integrations
from core.jsontypes import JSONObject
from core.runtime import Runtime
from tobeout_example import signing
from tobeout_example.settings import NAME, ExampleSettings, Gateway, load_gateway

STATUS_TTL = 24 * 3600.0


def status_key(restaurant_id: int) -> str:
    """The cache key of the restaurant's last delivery result (shared by all processes)."""
    return f"{NAME}:status:{restaurant_id}"


def webhook_url(runtime: Runtime, restaurant_id: int) -> str:
    """Where the restaurant's gateway posts inbound messages (to configure on the gateway)."""
    return f"{runtime.settings.public_base_url}/channels/{NAME}/{restaurant_id}/webhook"


class ExampleChannel:
    """One per process: the HTTP client and the plugin's checked settings."""

    name = NAME

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.options = runtime.options(NAME, ExampleSettings)
        self.http = httpx.AsyncClient(timeout=self.options.send_timeout_seconds)

    @property
    def shutdown_grace(self) -> float:
        """Nothing runs in the background here: shutdown closes the client at once."""
        return 0.0

    async def close(self, grace: float = 0.0) -> None:
        """Close the HTTP client (at shutdown)."""
        await self.http.aclose()

    async def forget(self, restaurant_id: int) -> None:
        """The restaurant's gateway settings changed: its last delivery result no longer says anything."""
        await self.runtime.cache.delete(status_key(restaurant_id))

    # ------------------------------------------------------------------ outbound

    async def post(self, secret: str, url: str, payload: Mapping[str, Any]) -> httpx.Response:
        """POST ``payload`` signed with ``secret``; raises ``ChannelError`` when the gateway cannot be reached."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", signing.HEADER: signing.sign(secret, body, int(time.time()))}
        try:
            return await self.http.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise ChannelError(
                f"The gateway at {url} could not be reached ({exc.__class__.__name__}).",
                code="example_unreachable",
                retryable=True,
            ) from None

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Deliver ``replies`` to ``chat_id`` (the guest's address on the gateway), one message each."""
        gateway = await load_gateway(self.runtime, restaurant_id)
        if gateway is None or not gateway.usable or not gateway.secret or not gateway.outbound_url:
            reason = gateway.problem if gateway is not None and gateway.problem else "it is not connected or off"
            raise ChannelError(
                f"The example gateway is not available for this restaurant: {reason}.", code="example_off"
            )
        for reply in replies:
            payload = {
                "type": "message",
                "to": chat_id,
                "text": reply.text,
                "choices": [c.label for c in reply.choices],
            }
            response = await self.post(gateway.secret, gateway.outbound_url, payload)
            ok = response.is_success
            await self._record(restaurant_id, ok, "delivered" if ok else f"the gateway answered {response.status_code}")
            if not ok:
                raise ChannelError(
                    f"The gateway refused the message ({response.status_code}).",
                    code="example_refused",
                    retryable=response.status_code == 429 or response.status_code >= 500,
                )

    async def _record(self, restaurant_id: int, ok: bool, detail: str) -> None:
        record: JSONObject = {"ok": ok, "detail": detail, "checkedAt": datetime.now(UTC).isoformat(timespec="seconds")}
        await self.runtime.cache.set(status_key(restaurant_id), record, ttl=STATUS_TTL)

    # ------------------------------------------------------------------ the integration

    async def on_saving(self, request: SaveRequest) -> dict[str, Any]:
        """Before a save is stored: ping the gateway with the new settings (a refusal stores nothing)."""
        stored = await load_gateway(self.runtime, request.restaurant_id)
        secret = request.submitted("signingSecret", stored.secret if stored else None)
        url = request.submitted("outboundUrl", stored.outbound_url if stored else None)
        extra: dict[str, Any] = {"webhookUrl": webhook_url(self.runtime, request.restaurant_id)}
        await self.runtime.cache.delete(status_key(request.restaurant_id))
        if not request.switched_on:
            return {**extra, "status": _status(True, "Switched off.")}
        if not secret or not url:
            return {**extra, "status": _status(False, "signingSecret and outboundUrl are needed.")}
        response = await self.post(secret, url, {"type": "ping"})
        if response.status_code in (401, 403):
            raise ValidationError(
                "The gateway refused our signature: paste the same signing secret on both sides.",
                details={"field": "signingSecret"},
            )
        if not response.is_success:
            raise ChannelError(f"The gateway answered the check with {response.status_code}.", code="example_refused")
        detail = f"The gateway answered. Set its inbound webhook to {extra['webhookUrl']}."
        return {**extra, "status": _status(True, detail)}

    async def readiness(self) -> dict[str, dict[str, Any]]:
        """``{"example:<id>": {"ok", "detail"}}`` for every switched-on restaurant (no remote call)."""
        report: dict[str, dict[str, Any]] = {}
        for row in await active_integrations(NAME):
            gateway = await load_gateway(self.runtime, row.restaurant_id)
            last = await self.runtime.cache.get(status_key(row.restaurant_id))
            report[f"{NAME}:{row.restaurant_id}"] = _health_of(gateway, last)
        return report


def _status(ok: bool, detail: str) -> dict[str, Any]:
    return {"ok": ok, "detail": detail, "checkedAt": datetime.now(UTC).isoformat(timespec="seconds")}


def _health_of(gateway: Gateway | None, last: Any) -> dict[str, Any]:
    if gateway is None or not gateway.usable:
        problem = gateway.problem if gateway is not None and gateway.problem else "signingSecret or outboundUrl missing"
        return {"ok": False, "detail": problem}
    if isinstance(last, dict) and not last.get("ok", True):
        return {"ok": False, "detail": f"last delivery failed: {last.get('detail')}"}
    return {"ok": True, "detail": "connected"}
