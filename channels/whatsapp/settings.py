"""A restaurant's WhatsApp (Twilio) settings.

The integration type ``"whatsapp"`` (declared in :mod:`channels.whatsapp.plugin`) takes
:class:`WhatsAppSettings` through ``POST /api/integrations/whatsapp``: the Twilio account's
(:class:`channels.common.twilio_account.TwilioSettings`: ``accountSid``, ``authToken``
(secret, stored encrypted), ``fromNumber``, the restaurant's WhatsApp sender in E.164), plus
``reminderTemplateSid`` (optional: the Twilio Content SID, ``HX...``, of an approved template used
for reminders to guests outside WhatsApp's 24-hour window; its variables are ``{{1}}`` the
restaurant, ``{{2}}`` the booking's date, time and party, ``{{3}}`` the reservation number), and, added by
this channel (shown before the first save too), ``webhookUrl`` (to paste in the Twilio console, "When a
message comes in", HTTP POST) and ``status`` (``{"ok", "detail", "checkedAt"}``).

Plugin settings (``plugins.toml``, ``[plugins."channels.whatsapp"]``): every chat channel's
(:class:`channels.common.channel.ChannelSettings`).
"""

from __future__ import annotations

from pydantic import Field

from channels.common.twilio_account import TwilioSettings

CHANNEL = "whatsapp"
PLUGIN = "channels.whatsapp"


class WhatsAppSettings(TwilioSettings):
    """The Twilio account and WhatsApp sender, and the approved template for writing first."""

    reminder_template_sid: str | None = Field(
        None,
        pattern=r"^(|HX[0-9a-fA-F]{32})$",
        title="Reminder template SID",
        description="An approved template for reminders outside WhatsApp's 24-hour window.",
        examples=["HX…"],
    )
