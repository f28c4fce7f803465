"""WhatsApp messages in (Twilio webhooks), replies out (Twilio REST), numbered quick replies.

:meth:`WhatsAppChannel.accept` takes a verified inbound message, drops a redelivered
``MessageSid`` and processes it in the background, so the webhook answers Twilio with an
empty TwiML at once. The guest's WhatsApp number is their phone (``whatsapp:+44...`` ->
``+44...``), which the engine uses to recognise a guest who booked by phone elsewhere.
Quick replies are sent as numbered options; the choices are remembered per chat in the
cache, so "2" comes back to the engine as the second choice's value. Media without text
gets a short polite answer. Nothing here raises into the webhook.

The object is also the channel's adapter (``name``, ``async send``) for notifications.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from typing import Any

from channels.common.channel import ChatChannel
from channels.common.status import record_status
from channels.common.texts import split_text, unsupported
from channels.whatsapp.settings import CHANNEL, PLUGIN, TwilioEnvironment, WhatsAppConfig, load_config
from channels.whatsapp.twilio_client import TwilioClients
from core.conversation.types import InboundMessage, Reply
from core.errors import ChannelError
from core.integrations import SaveRequest
from core.models import Conversation, Restaurant
from core.runtime import Runtime

log = logging.getLogger(__name__)

DEDUP_TTL = 48 * 3600.0
CHOICES_TTL = 24 * 3600.0
MAX_BODY = 1500  # Twilio accepts 1600 characters per WhatsApp message
MAX_INBOUND = 2000
NUMBER_ANSWER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
#: WhatsApp lets a business write freely only this long after the guest's last message; after it, templates only.
WINDOW = timedelta(hours=24)
OUTSIDE_WINDOW = 63016  # Twilio: "failed to send freeform message because you are outside the allowed window"


def phone_of(address: str) -> str | None:
    """``"whatsapp:+447700900123"`` -> ``"+447700900123"`` (None for anything else)."""
    number = address.strip().removeprefix("whatsapp:")
    return number if re.fullmatch(r"\+[1-9]\d{6,14}", number) else None


def render(reply: Reply) -> str:
    """A reply as WhatsApp text: quick replies become numbered options (``1. 19:00``)."""
    if not reply.choices:
        return reply.text
    options_text = "\n".join(f"{i}. {choice.label}" for i, choice in enumerate(reply.choices, start=1))
    return f"{reply.text}\n\n{options_text}" if reply.text else options_text


def choices_key(restaurant_id: int, phone: str) -> str:
    """Cache key of the quick replies last offered to this chat."""
    return f"whatsapp:choices:{restaurant_id}:{phone}"


class WhatsAppChannel(ChatChannel):
    """The WhatsApp channel of one process: Twilio clients, background tasks, inbound and outbound messages."""

    name, label, plugin = CHANNEL, "WhatsApp", PLUGIN
    clients: TwilioClients

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        timeout = self.options.send_timeout_seconds
        self.clients = TwilioClients(runtime.environment(TwilioEnvironment).api_base_url, timeout=timeout)

    # ------------------------------------------------------------------ the integration

    async def on_saving(self, request: SaveRequest) -> dict[str, Any]:
        """The integration type's check before a save is stored (:func:`channels.whatsapp.admin.on_saving`)."""
        from channels.whatsapp.admin import on_saving

        return await on_saving(self, request)

    async def readiness(self) -> dict[str, Any]:
        """Every switched-on restaurant's status for ``/readyz`` (:func:`channels.whatsapp.admin.readiness`)."""
        from channels.whatsapp.admin import readiness

        return await readiness(self)

    # ------------------------------------------------------------------ inbound

    async def accept(self, config: WhatsAppConfig, form: dict[str, str]) -> bool:
        """Take a verified inbound message for processing in the background; False for a redelivery."""
        sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
        if not sid or not await self.runtime.cache.add(f"whatsapp:sid:{config.restaurant_id}:{sid}", DEDUP_TTL):
            return False
        self.spawn(self.process(config, form), name=f"whatsapp-{config.restaurant_id}-{sid}")
        return True

    async def process(self, config: WhatsAppConfig, form: dict[str, str]) -> None:
        """Handle one inbound message to the end; never raises."""
        rid, sid = config.restaurant_id, form.get("MessageSid", "")
        try:
            await self._handle(config, form)
        except ChannelError as exc:
            log.warning("whatsapp: restaurant %s message %s: %s", rid, sid, exc.message)
        except Exception:
            log.exception("whatsapp: restaurant %s message %s failed", rid, sid)

    async def _handle(self, config: WhatsAppConfig, form: dict[str, str]) -> None:
        phone = phone_of(form.get("From", ""))
        if phone is None:  # SMS or a malformed sender: not this channel's business
            return
        body = (form.get("Body") or "").strip()
        if not body:
            if int(form.get("NumMedia") or 0) > 0 or form.get("MessageType") not in (None, "", "text"):
                await self._send(config, phone, [Reply(unsupported(await self._language(config, phone)))])
            return
        inbound = InboundMessage(
            restaurant_id=config.restaurant_id,
            channel=CHANNEL,
            sender_id=phone,
            chat_id=phone,
            text=(await self._chosen(config.restaurant_id, phone, body))[:MAX_INBOUND],
            message_id=form.get("MessageSid", ""),
            sender_name=(form.get("ProfileName") or "").strip() or None,
            phone=phone,
        )
        replies = await self.runtime.engine.handle(inbound)
        if replies:  # [] means this message was already handled
            await self._send(config, phone, replies)

    async def _chosen(self, restaurant_id: int, phone: str, body: str) -> str:
        """The value of the numbered option the guest answered with, else their text."""
        match = NUMBER_ANSWER.match(body)
        offered = await self.runtime.cache.get(choices_key(restaurant_id, phone))
        if not offered:
            return body
        if match and 1 <= int(match.group(1)) <= len(offered):
            return offered[int(match.group(1)) - 1]["value"]
        lowered = body.casefold()
        return next((c["value"] for c in offered if c["label"].casefold() == lowered), body)

    async def _language(self, config: WhatsAppConfig, phone: str) -> str:
        conversation = (
            await Conversation.filter(restaurant_id=config.restaurant_id, channel=CHANNEL, external_chat_id=phone)
            .only("id", "language")
            .first()
        )
        if conversation is not None and conversation.language:
            return conversation.language
        restaurant = await Restaurant.filter(id=config.restaurant_id).only("id", "default_language").first()
        return (restaurant.default_language if restaurant is not None else None) or "en"

    # ------------------------------------------------------------------ outbound

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Adapter: deliver ``replies`` (a message the service starts) to the WhatsApp number ``chat_id``.

        Outside WhatsApp's 24-hour window (the guest's last message is older, or there is none) a
        reply carrying a ``template`` is sent as the restaurant's approved template
        (``reminderTemplateSid``); anything else raises a ``ChannelError`` with
        ``details["window"]``, which the outbox logs instead of retrying. ``ChannelError`` on failure.
        """
        config = await load_config(self.runtime, restaurant_id)
        if config is None or not config.usable:
            raise self.unavailable(config, "no sender is set up and switched on")
        phone = phone_of(chat_id) or chat_id
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
        self, config: WhatsAppConfig, phone: str, content_sid: str, template: dict[str, Any], replies: list[Reply]
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

    async def _send(self, config: WhatsAppConfig, phone: str, replies: list[Reply]) -> None:
        client = self.clients.get(config.restaurant_id, config.account_sid or "", config.auth_token or "")
        for reply in replies:
            for piece in split_text(render(reply) or "…", MAX_BODY):
                try:
                    await self.clients.call(
                        lambda piece=piece: client.messages.create_async(
                            to=f"whatsapp:{phone}", from_=f"whatsapp:{config.from_number}", body=piece
                        ),
                        "send a message",
                    )
                except ChannelError as exc:
                    if exc.code == "twilio_unauthorized":
                        await record_status(self, config.restaurant_id, False, exc.message)
                    raise
        await self._remember_choices(config, phone, replies)

    async def _remember_choices(self, config: WhatsAppConfig, phone: str, replies: list[Reply]) -> None:
        """Keep the last reply's numbered options, so "2" comes back as the second choice's value."""
        offered = [{"label": c.label, "value": c.value} for c in (replies[-1].choices if replies else ())]
        key = choices_key(config.restaurant_id, phone)
        if offered:
            await self.runtime.cache.set(key, offered, ttl=CHOICES_TTL)
        else:
            await self.runtime.cache.delete(key)
