"""WhatsApp messages through Twilio: :class:`~channels.common.twilio_channel.TwilioChannel` plus WhatsApp's rule.

Inbound and outbound messages, numbered quick replies and redelivery are the Twilio
channels' (:mod:`channels.common.twilio_channel`); addresses are ``whatsapp:+44...``.
What is WhatsApp's own: a business may write freely only within 24 hours of the guest's
last message; after that only an approved template (the restaurant's ``reminderTemplateSid``).

The object is also the channel's adapter (``name``, ``async send``) for notifications.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from channels.common.twilio_account import TwilioConfig
from channels.common.twilio_channel import TwilioChannel
from channels.whatsapp.settings import CHANNEL, PLUGIN
from core.conversation.types import Reply
from core.errors import ChannelError
from core.models import Conversation

#: WhatsApp lets a business write freely only this long after the guest's last message; after it, templates only.
WINDOW = timedelta(hours=24)
OUTSIDE_WINDOW = 63016  # Twilio: "failed to send freeform message because you are outside the allowed window"


class WhatsAppChannel(TwilioChannel):
    """The WhatsApp channel of one process."""

    name, label, plugin = CHANNEL, "WhatsApp", PLUGIN
    prefix = "whatsapp:"
    max_body = 1500  # Twilio accepts 1600 characters per WhatsApp message
    capabilities = frozenset({"buttons", "link"})  # numbered options stand for buttons
    rate_per_second = 80  # Twilio's default throughput of a WhatsApp sender

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Adapter: deliver ``replies`` (a message the service starts) to the WhatsApp number ``chat_id``.

        Outside WhatsApp's 24-hour window (the guest's last message is older, or there is none) a
        reply carrying a ``template`` is sent as the restaurant's approved template
        (``reminderTemplateSid``); anything else raises a ``ChannelError`` with
        ``details["window"]``, which the outbox logs instead of retrying. ``ChannelError`` on failure.
        """
        config = await self.usable_config(restaurant_id)
        phone = self.phone_of(chat_id) or chat_id
        if await self._window_open(restaurant_id, phone):
            try:
                await self._send(config, phone, replies)
                return
            except ChannelError as exc:
                if exc.details.get("twilioCode") != OUTSIDE_WINDOW:
                    raise
        template = replies[0].template if replies else None
        if not template or not config.reminder_template_sid:
            raise ChannelError(
                "WhatsApp only lets a business write first with an approved template, and the guest's last "
                "message is more than 24 hours old"
                + ("" if config.reminder_template_sid else "; set reminderTemplateSid in the WhatsApp settings")
                + ". The message was not sent.",
                code="whatsapp_window",
                details={"window": True},
            )
        await self._send_template(config, phone, config.reminder_template_sid, template, replies)

    async def _window_open(self, restaurant_id: int, phone: str) -> bool:
        last = (
            await Conversation.filter(restaurant_id=restaurant_id, channel=CHANNEL, external_chat_id=phone)
            .only("id", "last_activity")
            .first()
        )
        return last is not None and last.last_activity > self.runtime.clock() - WINDOW

    async def _send_template(
        self, config: TwilioConfig, phone: str, content_sid: str, template: dict[str, Any], replies: list[Reply]
    ) -> None:
        client = self.clients.get(config.restaurant_id, config.account_sid or "", config.auth_token or "")
        variables = json.dumps({str(k): str(v) for k, v in (template.get("variables") or {}).items()})
        await self.clients.call(
            lambda: client.messages.create_async(
                to=f"whatsapp:{phone}",
                from_=f"whatsapp:{config.from_number}",
                content_sid=content_sid,
                content_variables=variables,
            ),
            "send a template message",
        )
        await self._remember_choices(config, phone, replies)
