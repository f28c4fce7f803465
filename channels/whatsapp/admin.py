"""Connecting a restaurant's Twilio WhatsApp sender, and checking that its credentials still work.

:func:`on_saving` runs before ``POST /api/integrations/whatsapp`` stores the settings: it
checks the Account SID and Auth Token with Twilio (fetching the account; refused
credentials are a 400 and nothing is stored), normalises the sender number and shows the
webhook URL to paste in the Twilio console.

:func:`readiness` reports every switched-on sender for ``/readyz`` from the shared cache,
refreshed at most every ``status_ttl_seconds`` within a small time budget.
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.whatsapp.channel import WhatsAppChannel
from channels.whatsapp.settings import (
    CHANNEL,
    load_config,
    normalise_number,
    record_status,
    status,
    status_key,
    webhook_url,
)
from channels.whatsapp.twilio_client import close_http
from core.errors import ChannelError, ValidationError
from core.integrations import MASK_PREFIX
from core.models import IntegrationSetting

READINESS_BUDGET = 2.0
REFUSED = (
    "Twilio refused these credentials. Copy the Account SID and Auth Token again from the Twilio console "
    "(Account → API keys & tokens) and paste them."
)


def _merged(values: dict[str, Any], key: str, stored: str | None) -> str | None:
    value = values.get(key)
    if value is None or (isinstance(value, str) and value.startswith(MASK_PREFIX)):
        return stored
    return value or None


async def verify(channel: WhatsAppChannel, account_sid: str, auth_token: str) -> str:
    """Fetch the account with these credentials; its friendly name. Raises ``ChannelError``."""
    client, http = channel.clients.make(account_sid, auth_token)
    try:
        account = await channel.clients.call(
            lambda: client.api.accounts(account_sid).fetch_async(), "check the account"
        )
        return account.friendly_name or account_sid
    finally:
        await close_http(http)


async def on_saving(channel: WhatsAppChannel, restaurant_id: int, values: dict[str, Any], enabled: bool | None):
    """Check the credentials; the extra values to store and show (normalised sender, webhook URL, status)."""
    runtime = channel.runtime
    config = await load_config(runtime, restaurant_id)
    sid = _merged(values, "accountSid", config.account_sid if config else None)
    token = _merged(values, "authToken", config.auth_token if config else None)
    sender_given = _merged(values, "fromNumber", config.from_number if config else None)
    active = enabled if enabled is not None else (config.enabled if config is not None else True)
    channel.clients.drop(restaurant_id)
    await runtime.cache.delete(status_key(restaurant_id))
    extra: dict[str, Any] = {"webhookUrl": webhook_url(runtime, restaurant_id)}
    sender = normalise_number(sender_given)
    if sender_given and sender is None:
        raise ValidationError(
            "fromNumber must be the WhatsApp sender's number in international form, e.g. +14155238886.",
            details={"field": "fromNumber"},
        )
    if values.get("fromNumber") and sender != values["fromNumber"]:
        extra["fromNumber"] = sender
    if not sid or not token:
        return {**extra, "status": status(False, "Account SID and Auth Token are needed to send WhatsApp messages.")}
    if not active:  # switching off always works, even with Twilio down
        return {**extra, "status": status(True, "Switched off.")}
    try:
        name = await verify(channel, sid, token)
    except ChannelError as exc:
        if exc.code == "twilio_unauthorized" or (exc.details.get("status") == 404):
            raise ValidationError(REFUSED, details={"field": "authToken"}) from None
        raise
    if not sender:
        return {**extra, "status": status(False, "Set fromNumber: the WhatsApp sender replies are sent from.")}
    detail = (
        f"Credentials accepted ({name}). In the Twilio console, set “When a message comes in” for "
        f"whatsapp:{sender} to {extra['webhookUrl']} (HTTP POST)."
    )
    return {**extra, "status": status(True, detail)}


async def check(channel: WhatsAppChannel, restaurant_id: int) -> dict[str, Any]:
    """Ask Twilio whether the restaurant's credentials still work; records and returns the status."""
    runtime = channel.runtime
    config = await load_config(runtime, restaurant_id)
    if config is None or not config.enabled:
        return status(True, "switched off")
    if config.problem or not (config.account_sid and config.auth_token):
        ok, detail = False, config.problem or "Account SID and Auth Token are needed to send WhatsApp messages."
    elif not config.from_number:
        ok, detail = False, "No WhatsApp sender number (fromNumber) is set."
    else:
        try:
            name = await verify(channel, config.account_sid, config.auth_token)
            ok, detail = True, f"Twilio account {name}; sending from whatsapp:{config.from_number}."
        except ChannelError as exc:
            ok, detail = False, exc.message
    await record_status(runtime, restaurant_id, ok, detail)
    return status(ok, detail)


async def readiness(channel: WhatsAppChannel) -> dict[str, Any]:
    """``{"whatsapp:<id>": {"ok", "detail"}}`` for every switched-on sender (cached; stale ones refreshed)."""
    runtime, checking = channel.runtime, channel.checks
    rids = await IntegrationSetting.filter(type=CHANNEL, is_active=True).values_list("restaurant_id", flat=True)
    report: dict[str, Any] = {}
    pending: dict[int, asyncio.Task[Any]] = {}
    for rid in sorted(rids):
        cached = await runtime.cache.get(status_key(rid))
        if cached is not None:
            report[f"{CHANNEL}:{rid}"] = {"ok": bool(cached.get("ok")), "detail": str(cached.get("detail", ""))}
            continue
        task = checking.get(rid)
        if task is None or task.done():
            task = checking[rid] = channel.spawn(check(channel, rid), name=f"whatsapp-check-{rid}")
        pending[rid] = task
    if pending:
        await asyncio.wait(set(pending.values()), timeout=READINESS_BUDGET)
    for rid, task in pending.items():
        if task.done() and not task.cancelled() and task.exception() is None:
            result = task.result()
            report[f"{CHANNEL}:{rid}"] = {"ok": result["ok"], "detail": result["detail"]}
        else:
            report[f"{CHANNEL}:{rid}"] = {"ok": False, "detail": "checking the credentials with Twilio…"}
        if task.done():
            checking.pop(rid, None)
    return report
