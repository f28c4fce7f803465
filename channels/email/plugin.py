"""Hook implementations of the e-mail channel: :class:`channels.common.plugin.ChannelPlugin`'s.

One :class:`~channels.email.channel.EmailChannel` per process lives in ``runtime.stash[EMAIL]``:
the outbox's adapter, the integration's check on save (the restaurant's own SMTP server tried)
and its health check; the blueprint is the unsubscribe page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from channels.common.plugin import ChannelPlugin
from channels.email.settings import CHANNEL, EmailSettings
from core.runtime import StashKey

if TYPE_CHECKING:
    from channels.email.channel import EmailChannel

EMAIL: StashKey[EmailChannel] = StashKey("email")


PLUGIN: ChannelPlugin[EmailChannel] = ChannelPlugin(
    CHANNEL,
    EMAIL,
    "channels.email.channel:EmailChannel",
    label="E-mail",
    settings=EmailSettings,
    description="Confirmations, reminders and changes by e-mail: the restaurant's SMTP server and sender, "
    "else the service's (SMTP_URL, MAIL_FROM).",
    routes="channels.email.routes:blueprint",
)
channel_of = PLUGIN.channel
globals().update(PLUGIN.hooks())  # the module is what pluggy registers: its tobeout_* hooks
