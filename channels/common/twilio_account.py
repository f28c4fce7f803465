"""A restaurant's Twilio account as the Twilio channels (WhatsApp, SMS) store, check and read it.

Each Twilio channel's integration type takes a :class:`TwilioSettings` model (``accountSid``,
``authToken`` (secret, stored encrypted), ``fromNumber``, in E.164) or a subclass of it;
:func:`load_twilio` reads a restaurant's row back, decrypted, as a :class:`TwilioConfig`.
:func:`on_saving` is the check run before a save is stored (the credentials fetched from
Twilio: a refusal is a 400 and nothing is stored; the sender normalised; the webhook URL
shown), :func:`check` the health check ``/readyz`` reports. ``TWILIO_API_BASE_URL``
(:class:`TwilioEnvironment`) points every Twilio channel at another API host (the tests' fake).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import Field, SecretStr

from channels.common.settings import webhook_url
from channels.common.status import readiness as common_readiness
from channels.common.status import record_status, status
from channels.common.twilio import close_http
from core.config import EnvironmentSettings, HttpUrl
from core.errors import ChannelError, ConfigurationError, ValidationError
from core.integrations import IntegrationSettings, SaveRequest, decrypt_setting, get_integration
from core.runtime import Runtime

if TYPE_CHECKING:
    from channels.common.twilio_channel import TwilioChannel

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
#: A Twilio Account SID: "AC" and 32 hexadecimal digits (anything else would break Twilio's URLs and auth header).
ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
BAD_SID = "accountSid must be the Account SID from the Twilio console: AC followed by 32 hexadecimal digits."
REFUSED = (
    "Twilio refused these credentials. Copy the Account SID and Auth Token again from the Twilio console "
    "(Account → API keys & tokens) and paste them."
)


class TwilioEnvironment(EnvironmentSettings):
    """``TWILIO_API_BASE_URL``: the Twilio REST base URL (Twilio's by default)."""

    api_base_url: HttpUrl | None = Field(None, validation_alias="TWILIO_API_BASE_URL")


class TwilioSettings(IntegrationSettings):
    """What staff save: the Twilio account's SID and auth token, and the sender's number."""

    account_sid: str | None = Field(None, max_length=64, title="Account SID", examples=["AC…"])
    auth_token: SecretStr | None = Field(None, max_length=512, title="Auth token")
    from_number: str | None = Field(None, max_length=64, title="Sender number", examples=["+14155238886"])


@dataclass(frozen=True)
class TwilioConfig:
    """One restaurant's usable Twilio settings of one channel (auth token decrypted)."""

    restaurant_id: int
    account_sid: str | None
    auth_token: str | None
    from_number: str | None
    enabled: bool
    problem: str | None = None
    reminder_template_sid: str | None = None  # WhatsApp: the approved template for writing first

    @property
    def usable(self) -> bool:
        """Credentials and a sender number to send with."""
        return self.enabled and bool(self.account_sid and self.auth_token and self.from_number) and not self.problem


def normalise_number(value: str | None, prefix: str = "") -> str | None:
    """``"whatsapp:+1 415-523-8886"`` -> ``"+14155238886"`` (``prefix`` removed); None when not E.164."""
    if not value:
        return None
    number = re.sub(r"[\s().-]", "", value.strip().removeprefix(prefix))
    return number if E164.match(number) else None


def valid_account_sid(value: str) -> bool:
    """True for a well-formed Twilio Account SID (:data:`ACCOUNT_SID`)."""
    return bool(ACCOUNT_SID.match(value))


async def load_twilio(runtime: Runtime, channel: str, restaurant_id: int, prefix: str = "") -> TwilioConfig | None:
    """The restaurant's Twilio settings of ``channel``, or None when they were never saved."""
    row = await get_integration(restaurant_id, channel)
    if row is None:
        return None
    values = row.settings or {}
    sender = normalise_number(values.get("fromNumber"), prefix)
    sid = values.get("accountSid")
    try:
        token = decrypt_setting(row, "authToken", runtime.secrets)
    except ConfigurationError as exc:
        return TwilioConfig(restaurant_id, sid, None, sender, row.is_active, exc.message)
    problem = BAD_SID if sid and not valid_account_sid(sid) else None  # stored before the format was checked
    template = values.get("reminderTemplateSid") or None
    return TwilioConfig(restaurant_id, sid, token, sender, row.is_active, problem, template)


async def verify(channel: TwilioChannel, account_sid: str, auth_token: str) -> str:
    """Fetch the account with these credentials; its friendly name. Raises ``ChannelError``."""
    client, http = channel.clients.make(account_sid, auth_token)
    try:
        account = await channel.clients.call(
            lambda: client.api.accounts(account_sid).fetch_async(), "check the account"
        )
        return account.friendly_name or account_sid
    finally:
        await close_http(http)


async def on_saving(channel: TwilioChannel, request: SaveRequest) -> dict[str, Any]:
    """Check the credentials; the extra values to store and show (normalised sender, webhook URL, status)."""
    runtime, restaurant_id, values, label = channel.runtime, request.restaurant_id, request.values, channel.label
    config = await channel.config(restaurant_id)
    sid = request.submitted("accountSid", config.account_sid if config else None)
    token = request.submitted("authToken", config.auth_token if config else None)
    sender_given = request.submitted("fromNumber", config.from_number if config else None)
    await channel.forget(restaurant_id)
    extra: dict[str, Any] = {"webhookUrl": webhook_url(runtime, channel.name, restaurant_id)}
    sender = normalise_number(sender_given, channel.prefix)
    if sender_given and sender is None:
        raise ValidationError(
            f"fromNumber must be the {label} sender's number in international form, e.g. +14155238886.",
            details={"field": "fromNumber"},
        )
    if sid and not valid_account_sid(sid):  # switched on or off: what is stored must work once switched on
        raise ValidationError(BAD_SID, details={"field": "accountSid"})
    if values.get("fromNumber") and sender != values["fromNumber"]:
        extra["fromNumber"] = sender
    if not sid or not token:
        return {**extra, "status": status(False, f"Account SID and Auth Token are needed to send {label} messages.")}
    if not request.switched_on:  # switching off always works, even with Twilio down
        return {**extra, "status": status(True, "Switched off.")}
    try:
        name = await verify(channel, sid, token)
    except ChannelError as exc:
        if exc.code == "twilio_unauthorized" or (exc.details.get("status") == 404):
            raise ValidationError(REFUSED, details={"field": "authToken"}) from None
        raise
    if not sender:
        return {**extra, "status": status(False, f"Set fromNumber: the {label} sender replies are sent from.")}
    detail = (
        f"Credentials accepted ({name}). In the Twilio console, set “When a message comes in” for "
        f"{channel.prefix}{sender} to {extra['webhookUrl']} (HTTP POST)."
    )
    return {**extra, "status": status(True, detail)}


async def check(channel: TwilioChannel, restaurant_id: int) -> dict[str, Any]:
    """Ask Twilio whether the restaurant's credentials still work; records and returns the status."""
    config = await channel.config(restaurant_id)
    if config is None or not config.enabled:
        return status(True, "switched off")
    if config.problem or not (config.account_sid and config.auth_token):
        ok = False
        detail = config.problem or f"Account SID and Auth Token are needed to send {channel.label} messages."
    elif not config.from_number:
        ok, detail = False, f"No {channel.label} sender number (fromNumber) is set."
    else:
        try:
            name = await verify(channel, config.account_sid, config.auth_token)
            ok, detail = True, f"Twilio account {name}; sending from {channel.prefix}{config.from_number}."
        except ChannelError as exc:
            ok, detail = False, exc.message
    await record_status(channel, restaurant_id, ok, detail)
    return status(ok, detail)


async def readiness(channel: TwilioChannel) -> dict[str, Any]:
    """``{"<channel>:<id>": {"ok", "detail"}}`` for every switched-on sender (cached; stale ones refreshed)."""
    return await common_readiness(channel, check, "checking the credentials with Twilio…")
