"""Hook implementations of the SMS channel (Twilio): :class:`channels.common.plugin.ChannelPlugin`'s.

One :class:`~channels.sms.channel.SmsChannel` per process lives in ``runtime.stash[SMS]``: the
webhook, the outbox's adapter, the integration's check on save (``accountSid``, ``authToken``
(secret), ``fromNumber``, checked with Twilio) and its health check all use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channels.common.plugin import ChannelPlugin
from channels.sms.settings import CHANNEL, SmsSettings
from core.runtime import StashKey

if TYPE_CHECKING:
    from channels.sms.channel import SmsChannel

SMS: StashKey[SmsChannel] = StashKey("sms")


PLUGIN: ChannelPlugin[SmsChannel] = ChannelPlugin(
    CHANNEL,
    SMS,
    "channels.sms.channel:SmsChannel",
    label="SMS",
    settings=SmsSettings,
    description="Text messages from the restaurant's Twilio number: confirmations, reminders, replies.",
    shows_webhook=True,  # pasted in the Twilio console: shown before the first save
    routes="channels.sms.routes:blueprint",
)
channel_of = PLUGIN.channel
globals().update(PLUGIN.hooks())  # the module is what pluggy registers: its tobeout_* hooks
