"""A restaurant's Twilio account as the Twilio channels (WhatsApp, SMS) store, check and read it.

Each Twilio channel's integration type takes a :class:`TwilioSettings` model (``accountSid``,
``authToken`` (secret, stored encrypted), ``fromNumber``, in E.164) or a subclass of it;
:func:`load_twilio` reads a restaurant's row back, decrypted, as a :class:`TwilioConfig`
(checking it with Twilio is the channel's: :mod:`channels.common.twilio_channel`). ``TWILIO_API_BASE_URL``
(:class:`TwilioEnvironment`) points every Twilio channel at another API host (the tests' fake).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field, SecretStr

from core.config import EnvironmentSettings, HttpUrl
from core.errors import ConfigurationError
from core.integrations import IntegrationSettings, decrypt_setting, read_integration
from core.jsontypes import text_at
from core.runtime import Runtime

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
    row = await read_integration(restaurant_id, channel)
    if row is None:
        return None
    values = row.settings or {}
    sender = normalise_number(text_at(values, "fromNumber"), prefix)
    sid = text_at(values, "accountSid")
    try:
        token = decrypt_setting(row, "authToken", runtime.secrets)
    except ConfigurationError as exc:
        return TwilioConfig(restaurant_id, sid, None, sender, row.is_active, exc.message)
    problem = BAD_SID if sid and not valid_account_sid(sid) else None  # stored before the format was checked
    template = text_at(values, "reminderTemplateSid")
    return TwilioConfig(restaurant_id, sid, token, sender, row.is_active, problem, template)
