"""A restaurant's WhatsApp (Twilio) settings: what is stored, how it is read, and the channel's status.

The integration row (type ``"whatsapp"``, written by ``POST /api/integrations/whatsapp``)
holds, in ``settings``: ``accountSid``, ``authToken`` (secret, stored encrypted),
``fromNumber`` (the restaurant's WhatsApp sender in E.164, ``+14155238886``), and, added by
this channel when saved, ``webhookUrl`` (to paste in the Twilio console) and ``status``
(``{"ok", "detail", "checkedAt"}``).

Plugin settings (``plugins.toml``, ``[plugins."channels.whatsapp"]``): ``send_timeout_seconds``
(10), ``status_ttl_seconds`` (300), ``shutdown_grace_seconds`` (10).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.errors import ConfigurationError
from core.integrations import decrypt_setting, get_integration, save_integration, secret_keys_for
from core.secrets import SecretBox

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
PLUGIN = "channels.whatsapp"
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass(frozen=True)
class WhatsAppConfig:
    """One restaurant's usable WhatsApp settings (auth token decrypted)."""

    restaurant_id: int
    account_sid: str | None
    auth_token: str | None
    from_number: str | None
    enabled: bool
    problem: str | None = None

    @property
    def usable(self) -> bool:
        """Credentials and a sender number to send with."""
        return self.enabled and bool(self.account_sid and self.auth_token and self.from_number) and not self.problem


def box(runtime: Any) -> SecretBox:
    """The box that encrypts this installation's stored secrets."""
    return SecretBox(runtime.settings.encryption_key)


def options(runtime: Any) -> dict[str, Any]:
    """This plugin's ``plugins.toml`` settings."""
    return runtime.settings_for(PLUGIN)


def webhook_url(runtime: Any, restaurant_id: int) -> str:
    """The URL to paste in the Twilio console ("When a message comes in", HTTP POST)."""
    return f"{runtime.settings.public_base_url}/channels/whatsapp/{restaurant_id}/webhook"


def normalise_number(value: str | None) -> str | None:
    """``"whatsapp:+1 415-523-8886"`` -> ``"+14155238886"``; None when it is not an E.164 number."""
    if not value:
        return None
    number = re.sub(r"[\s().-]", "", value.strip().removeprefix("whatsapp:"))
    return number if E164.match(number) else None


async def load_config(runtime: Any, restaurant_id: int) -> WhatsAppConfig | None:
    """The restaurant's WhatsApp settings, or None when they were never saved."""
    row = await get_integration(restaurant_id, CHANNEL)
    if row is None:
        return None
    values = row.settings or {}
    sender = normalise_number(values.get("fromNumber"))
    try:
        token = decrypt_setting(row, "authToken", box(runtime))
    except ConfigurationError as exc:
        return WhatsAppConfig(restaurant_id, values.get("accountSid"), None, sender, row.is_active, exc.message)
    return WhatsAppConfig(restaurant_id, values.get("accountSid"), token, sender, row.is_active)


def status(ok: bool, detail: str) -> dict[str, Any]:
    """A status record as stored and shown: ``{"ok", "detail", "checkedAt"}``."""
    return {"ok": ok, "detail": detail, "checkedAt": datetime.now(UTC).isoformat(timespec="seconds")}


def status_key(restaurant_id: int) -> str:
    """The cache key of the restaurant's last known WhatsApp status (shared by all processes)."""
    return f"whatsapp:status:{restaurant_id}"


async def record_status(runtime: Any, restaurant_id: int, ok: bool, detail: str) -> None:
    """Remember the sender's health for ``/readyz``; also in the settings row when it changed (staff see it)."""
    record = status(ok, detail)
    ttl = float(options(runtime).get("status_ttl_seconds", 300))
    previous = await runtime.cache.get(status_key(restaurant_id))
    await runtime.cache.set(status_key(restaurant_id), record, ttl=ttl)
    if previous is not None and previous.get("ok") == ok and previous.get("detail") == detail:
        return
    try:
        row = await get_integration(restaurant_id, CHANNEL)
        stored = (row.settings or {}).get("status") if row is not None else None
        same = isinstance(stored, dict) and stored.get("ok") == ok and stored.get("detail") == detail
        if row is not None and not same:
            await save_integration(restaurant_id, CHANNEL, {"status": record}, secret_keys_for(CHANNEL), box(runtime))
    except Exception:  # the status is advisory: never let recording it break a send
        log.exception("could not store the WhatsApp status of restaurant %s", restaurant_id)
