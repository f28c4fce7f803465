"""Connecting a restaurant's Twilio WhatsApp sender, and checking that its credentials still work.

:func:`on_saving` is the integration type's check, run before ``POST /api/integrations/whatsapp``
stores the settings: it checks the Account SID and Auth Token with Twilio (fetching the
account; refused credentials are a 400 and nothing is stored), normalises the sender
number and shows the webhook URL to paste in the Twilio console.

:func:`readiness` reports every switched-on sender for ``/readyz`` from the shared cache,
refreshed at most every ``status_ttl_seconds`` within a small time budget.
"""

from __future__ import annotations

from typing import Any

from channels.common.settings import webhook_url
from channels.common.status import readiness as common_readiness
from channels.common.status import record_status, status
from channels.whatsapp.channel import WhatsAppChannel
from channels.whatsapp.settings import BAD_SID, CHANNEL, load_config, normalise_number, valid_account_sid
from channels.whatsapp.twilio_client import close_http
from core.errors import ChannelError, ValidationError
from core.integrations import SaveRequest

REFUSED = (
    "Twilio refused these credentials. Copy the Account SID and Auth Token again from the Twilio console "
    "(Account → API keys & tokens) and paste them."
)


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


async def on_saving(channel: WhatsAppChannel, request: SaveRequest) -> dict[str, Any]:
    """Check the credentials; the extra values to store and show (normalised sender, webhook URL, status)."""
    runtime, restaurant_id, values = channel.runtime, request.restaurant_id, request.values
    config = await load_config(runtime, restaurant_id)
    sid = request.submitted("accountSid", config.account_sid if config else None)
    token = request.submitted("authToken", config.auth_token if config else None)
    sender_given = request.submitted("fromNumber", config.from_number if config else None)
    active = request.switched_on
    await channel.forget(restaurant_id)
    extra: dict[str, Any] = {"webhookUrl": webhook_url(runtime, CHANNEL, restaurant_id)}
    sender = normalise_number(sender_given)
    if sender_given and sender is None:
        raise ValidationError(
            "fromNumber must be the WhatsApp sender's number in international form, e.g. +14155238886.",
            details={"field": "fromNumber"},
        )
    if sid and not valid_account_sid(sid):  # switched on or off: what is stored must work once switched on
        raise ValidationError(BAD_SID, details={"field": "accountSid"})
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
    await record_status(channel, restaurant_id, ok, detail)
    return status(ok, detail)


async def readiness(channel: WhatsAppChannel) -> dict[str, Any]:
    """``{"whatsapp:<id>": {"ok", "detail"}}`` for every switched-on sender (cached; stale ones refreshed)."""
    return await common_readiness(channel, check, "checking the credentials with Twilio…")
