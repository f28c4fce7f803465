"""A restaurant's WhatsApp (Twilio) settings: what is stored, how it is read, and the channel's status.

The integration type ``"whatsapp"`` (declared in :mod:`channels.whatsapp.plugin`) takes
:class:`WhatsAppSettings` through ``POST /api/integrations/whatsapp``. Its row holds, in
``settings``: ``accountSid``, ``authToken`` (secret, stored encrypted),
``fromNumber`` (the restaurant's WhatsApp sender in E.164, ``+14155238886``),
``reminderTemplateSid`` (optional: the Twilio Content SID, ``HX...``, of an approved template used
for reminders to guests outside WhatsApp's 24-hour window; its variables are ``{{1}}`` the
restaurant, ``{{2}}`` the booking's date, time and party, ``{{3}}`` the reservation number), and, added by
this channel when saved, ``webhookUrl`` (to paste in the Twilio console) and ``status``
(``{"ok", "detail", "checkedAt"}``).

Plugin settings (``plugins.toml``, ``[plugins."channels.whatsapp"]``): every chat channel's
(:class:`channels.common.channel.ChannelSettings`). The status record and
the webhook URL are every channel's (:mod:`channels.common.status`, :mod:`channels.common.settings`);
the webhook URL is the one to paste in the Twilio console ("When a message comes in", HTTP POST).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field, SecretStr

from core.config import EnvironmentSettings, HttpUrl
from core.errors import ConfigurationError
from core.integrations import IntegrationSettings, decrypt_setting, get_integration
from core.runtime import Runtime

CHANNEL = "whatsapp"
PLUGIN = "channels.whatsapp"
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
#: A Twilio Account SID: "AC" and 32 hexadecimal digits (anything else would break Twilio's URLs and auth header).
ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
BAD_SID = "accountSid must be the Account SID from the Twilio console: AC followed by 32 hexadecimal digits."


class TwilioEnvironment(EnvironmentSettings):
    """``TWILIO_API_BASE_URL``: the Twilio REST base URL (Twilio's by default)."""

    api_base_url: HttpUrl | None = Field(None, validation_alias="TWILIO_API_BASE_URL")


class WhatsAppSettings(IntegrationSettings):
    """What staff save: the Twilio account's SID and auth token, and the WhatsApp sender's number."""

    account_sid: str | None = Field(None, max_length=64)
    auth_token: SecretStr | None = Field(None, max_length=512)
    from_number: str | None = Field(None, max_length=64)
    reminder_template_sid: str | None = Field(None, pattern=r"^(|HX[0-9a-fA-F]{32})$")


@dataclass(frozen=True)
class WhatsAppConfig:
    """One restaurant's usable WhatsApp settings (auth token decrypted)."""

    restaurant_id: int
    account_sid: str | None
    auth_token: str | None
    from_number: str | None
    enabled: bool
    problem: str | None = None
    reminder_template_sid: str | None = None

    @property
    def usable(self) -> bool:
        """Credentials and a sender number to send with."""
        return self.enabled and bool(self.account_sid and self.auth_token and self.from_number) and not self.problem


def normalise_number(value: str | None) -> str | None:
    """``"whatsapp:+1 415-523-8886"`` -> ``"+14155238886"``; None when it is not an E.164 number."""
    if not value:
        return None
    number = re.sub(r"[\s().-]", "", value.strip().removeprefix("whatsapp:"))
    return number if E164.match(number) else None


async def load_config(runtime: Runtime, restaurant_id: int) -> WhatsAppConfig | None:
    """The restaurant's WhatsApp settings, or None when they were never saved."""
    row = await get_integration(restaurant_id, CHANNEL)
    if row is None:
        return None
    values = row.settings or {}
    sender = normalise_number(values.get("fromNumber"))
    sid = values.get("accountSid")
    try:
        token = decrypt_setting(row, "authToken", runtime.secrets)
    except ConfigurationError as exc:
        return WhatsAppConfig(restaurant_id, sid, None, sender, row.is_active, exc.message)
    problem = BAD_SID if sid and not valid_account_sid(sid) else None  # stored before the format was checked
    return WhatsAppConfig(
        restaurant_id,
        sid,
        token,
        sender,
        row.is_active,
        problem,
        reminder_template_sid=values.get("reminderTemplateSid") or None,
    )


def valid_account_sid(value: str) -> bool:
    """True for a well-formed Twilio Account SID (:data:`ACCOUNT_SID`)."""
    return bool(ACCOUNT_SID.match(value))
