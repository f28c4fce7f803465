"""A restaurant's SMS (Twilio) settings: the integration type ``"sms"``.

Saved through ``POST /api/integrations/sms``: the Twilio account
(:class:`channels.common.twilio_account.TwilioSettings`: ``accountSid``, ``authToken`` (secret,
stored encrypted, answered masked), ``fromNumber``: the restaurant's SMS-capable Twilio number in
E.164), plus, added when saved (and shown before the first save), ``webhookUrl`` (to paste in the
Twilio console, "A message comes in", HTTP POST) and ``status``.
"""

from __future__ import annotations

from channels.common.twilio_account import TwilioSettings

CHANNEL = "sms"
PLUGIN = "channels.sms"


class SmsSettings(TwilioSettings):
    """The Twilio account and the SMS number guests are written from."""
