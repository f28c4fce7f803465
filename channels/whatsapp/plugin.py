"""Hook implementations of the WhatsApp channel (Twilio): :class:`channels.common.plugin.ChannelPlugin`'s.

One :class:`~channels.whatsapp.channel.WhatsAppChannel` per process lives in
``runtime.stash[WHATSAPP]``: the webhook, the notifications adapter, the integration's
check on save (``accountSid``, ``authToken`` (secret), ``fromNumber``, checked with Twilio)
and its health check all use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channels.common.plugin import ChannelPlugin
from channels.whatsapp.settings import CHANNEL, WhatsAppSettings
from core.runtime import StashKey

if TYPE_CHECKING:
    from channels.whatsapp.channel import WhatsAppChannel

WHATSAPP: StashKey[WhatsAppChannel] = StashKey("whatsapp")


PLUGIN: ChannelPlugin[WhatsAppChannel] = ChannelPlugin(
    CHANNEL,
    WHATSAPP,
    "channels.whatsapp.channel:WhatsAppChannel",
    label="WhatsApp",
    settings=WhatsAppSettings,
    description="The restaurant's WhatsApp sender through its Twilio account.",
    shows_webhook=True,  # pasted in the Twilio console: shown before the first save
    routes="channels.whatsapp.routes:blueprint",
)
channel_of = PLUGIN.channel
globals().update(PLUGIN.hooks())  # the module is what pluggy registers: its tobeout_* hooks
