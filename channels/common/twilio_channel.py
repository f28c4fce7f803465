"""What the Twilio channels (WhatsApp, SMS) do alike: messages in by webhook, replies out by REST.

:meth:`TwilioChannel.accept` takes a verified inbound message, drops a redelivered
``MessageSid`` and processes it in the background, so the webhook answers Twilio with an
empty TwiML at once. The guest's address is their phone (``prefix`` removed:
``whatsapp:+44...`` -> ``+44...``), which the engine uses to recognise a guest who booked by
phone elsewhere. Quick replies are sent as numbered options; the choices are remembered per
chat in the cache, so "2" comes back to the engine as the second choice's value. Media
without text gets a short polite answer. Nothing here raises into the webhook.

A subclass sets ``name``, ``label``, ``plugin``, ``prefix`` and ``max_body``, and its
``send`` (the adapter) decides when it may write first; :meth:`before_engine` lets it answer
a message itself (SMS: STOP and START).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from quart import Blueprint, Response, current_app, request
from quart_schema import hide

from channels.common.channel import ChatChannel
from channels.common.settings import webhook_url
from channels.common.status import readiness as common_readiness
from channels.common.status import record_status, status
from channels.common.texts import split_text, unsupported
from channels.common.twilio import TwilioClients, close_http, form_dict, valid_signature
from channels.common.twilio_account import (
    BAD_SID,
    REFUSED,
    TwilioConfig,
    TwilioEnvironment,
    load_twilio,
    normalise_number,
    valid_account_sid,
)
from core.conversation.types import InboundMessage, Reply
from core.errors import ChannelError, ValidationError
from core.integrations import SaveRequest, active_integrations
from core.models import Conversation, Restaurant
from core.runtime import Runtime, runtime_of

log = logging.getLogger(__name__)

DEDUP_TTL = 48 * 3600.0
CHOICES_TTL = 24 * 3600.0
MAX_INBOUND = 2000
NUMBER_ANSWER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
E164 = re.compile(r"\+[1-9]\d{6,14}")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def render(reply: Reply) -> str:
    """A reply as plain text: quick replies become numbered options (``1. 19:00``)."""
    if not reply.choices:
        return reply.text
    options_text = "\n".join(f"{i}. {choice.label}" for i, choice in enumerate(reply.choices, start=1))
    return f"{reply.text}\n\n{options_text}" if reply.text else options_text


class TwilioChannel(ChatChannel):
    """A Twilio messaging channel of one process: clients, background tasks, inbound and outbound messages."""

    prefix = ""  # how Twilio writes this channel's addresses before the number ("whatsapp:")
    max_body = 1500  # characters per message
    clients: TwilioClients

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        timeout = self.options.send_timeout_seconds
        self.clients = TwilioClients(runtime.environment(TwilioEnvironment).api_base_url, timeout=timeout)

    def phone_of(self, address: str) -> str | None:
        """``"<prefix>+447700900123"`` -> ``"+447700900123"`` (None for anything else)."""
        number = address.strip()
        if self.prefix and not number.startswith(self.prefix):
            return None
        number = number.removeprefix(self.prefix)
        return number if E164.fullmatch(number) else None

    def choices_key(self, restaurant_id: int, phone: str) -> str:
        """Cache key of the quick replies last offered to this chat."""
        return f"{self.name}:choices:{restaurant_id}:{phone}"

    async def config(self, restaurant_id: int) -> TwilioConfig | None:
        """The restaurant's stored settings of this channel, decrypted (None when never saved)."""
        return await load_twilio(self.runtime, self.name, restaurant_id, self.prefix)

    # ------------------------------------------------------------------ the integration

    async def on_saving(self, request: SaveRequest) -> dict[str, Any]:
        """The integration type's check before a save is stored (:func:`channels.common.twilio_account.on_saving`)."""
        return await on_saving(self, request)

    async def readiness(self) -> dict[str, Any]:
        """Every switched-on sender's status for ``/readyz`` (:func:`channels.common.twilio_account.readiness`)."""
        return await readiness(self)

    # ------------------------------------------------------------------ inbound

    async def accept(self, config: TwilioConfig, form: dict[str, str]) -> bool:
        """Take a verified inbound message for processing in the background; False for a redelivery."""
        sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
        if not sid or not await self.runtime.cache.add(f"{self.name}:sid:{config.restaurant_id}:{sid}", DEDUP_TTL):
            return False
        self.spawn(self.process(config, form), name=f"{self.name}-{config.restaurant_id}-{sid}")
        return True

    async def process(self, config: TwilioConfig, form: dict[str, str]) -> None:
        """Handle one inbound message to the end; never raises."""
        rid, sid = config.restaurant_id, form.get("MessageSid", "")
        try:
            await self._handle(config, form)
        except ChannelError as exc:
            log.warning("%s: restaurant %s message %s: %s", self.name, rid, sid, exc.message)
        except Exception:
            log.exception("%s: restaurant %s message %s failed", self.name, rid, sid)

    async def before_engine(self, config: TwilioConfig, phone: str, body: str) -> list[Reply] | None:
        """Answer a message without the engine (replies, or [] for none); None hands it to the engine."""
        return None

    async def _handle(self, config: TwilioConfig, form: dict[str, str]) -> None:
        phone = self.phone_of(form.get("From", ""))
        if phone is None:  # another channel's address or a malformed sender: not this channel's business
            return
        body = (form.get("Body") or "").strip()
        if not body:
            if int(form.get("NumMedia") or 0) > 0 or form.get("MessageType") not in (None, "", "text"):
                await self._send(config, phone, [Reply(unsupported(await self._language(config, phone)))])
            return
        own = await self.before_engine(config, phone, body)
        if own is not None:
            if own:
                await self._send(config, phone, own)
            return
        inbound = InboundMessage(
            restaurant_id=config.restaurant_id,
            channel=self.name,
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
        stored = await self.runtime.cache.get(self.choices_key(restaurant_id, phone))
        if not isinstance(stored, list):
            return body
        offered = [(str(c.get("label")), str(c.get("value"))) for c in stored if isinstance(c, dict)]
        if match and 1 <= int(match.group(1)) <= len(offered):
            return offered[int(match.group(1)) - 1][1]
        lowered = body.casefold()
        return next((value for label, value in offered if label.casefold() == lowered), body)

    async def _language(self, config: TwilioConfig, phone: str) -> str:
        conversation = (
            await Conversation.filter(restaurant_id=config.restaurant_id, channel=self.name, external_chat_id=phone)
            .only("id", "language")
            .first()
        )
        if conversation is not None and conversation.language:
            return conversation.language
        restaurant = await Restaurant.filter(id=config.restaurant_id).only("id", "default_language").first()
        return (restaurant.default_language if restaurant is not None else None) or "en"

    # ------------------------------------------------------------------ outbound

    async def available(self, restaurant_ids: Sequence[int]) -> set[int]:
        """Which of these restaurants have this channel set up and switched on (for the outbox's choice)."""
        wanted = set(restaurant_ids)
        return {row.restaurant_id for row in await active_integrations(self.name) if row.restaurant_id in wanted}

    async def usable_config(self, restaurant_id: int) -> TwilioConfig:
        """The restaurant's settings to send with; ``<name>_off`` ``ChannelError`` when there are none."""
        config = await self.config(restaurant_id)
        if config is None or not config.usable:
            raise self.unavailable(config, "no sender is set up and switched on")
        return config

    async def _send(self, config: TwilioConfig, phone: str, replies: list[Reply]) -> None:
        client = self.clients.get(config.restaurant_id, config.account_sid or "", config.auth_token or "")
        for reply in replies:
            for piece in split_text(render(reply) or "…", self.max_body):
                try:
                    await self.clients.call(
                        lambda piece=piece: client.messages.create_async(
                            to=f"{self.prefix}{phone}", from_=f"{self.prefix}{config.from_number}", body=piece
                        ),
                        "send a message",
                    )
                except ChannelError as exc:
                    if exc.code == "twilio_unauthorized":
                        await record_status(self, config.restaurant_id, False, exc.message)
                    raise
        await self._remember_choices(config, phone, replies)

    async def _remember_choices(self, config: TwilioConfig, phone: str, replies: list[Reply]) -> None:
        """Keep the last reply's numbered options, so "2" comes back as the second choice's value."""
        offered = [{"label": c.label, "value": c.value} for c in (replies[-1].choices if replies else ())]
        key = self.choices_key(config.restaurant_id, phone)
        if offered:
            await self.runtime.cache.set(key, offered, ttl=CHOICES_TTL)
        else:
            await self.runtime.cache.delete(key)


async def webhook(channel: TwilioChannel, restaurant_id: int) -> Response:
    """Answer one Twilio webhook post for the restaurant (the current request): 403 unless Twilio signed it.

    Twilio signs each request with the account's auth token over the exact URL it called and
    the form fields (``X-Twilio-Signature``). The URL is rebuilt from ``PUBLIC_BASE_URL`` (plus
    the path and query), so the check holds behind a proxy that changes host or scheme. A bad or
    missing signature is a 403 and nothing is processed. A verified message is answered at once
    with an empty TwiML ``<Response/>``; the replies go out through the REST API in the background.
    """
    config = await channel.config(restaurant_id)
    form = await request.form
    signature = request.headers.get("X-Twilio-Signature", "")
    settings_header = request.headers.get("X-Twilio-Webhooks-Signature-Settings")
    query = request.query_string.decode("latin-1")
    url = f"{channel.runtime.settings.public_base_url}{request.path}" + (f"?{query}" if query else "")
    if (
        config is None
        or not config.auth_token
        or not valid_signature(config.auth_token, url, form, signature, settings_header)
    ):
        return Response("Invalid or missing X-Twilio-Signature.", status=403, content_type="text/plain")
    if config.usable and "MessageStatus" not in form:  # status callbacks carry no guest message
        await channel.accept(config, form_dict(form))
    return Response(EMPTY_TWIML, status=200, content_type="text/xml; charset=utf-8")


def webhook_blueprint(name: str, channel_of: Callable[[Runtime], TwilioChannel]) -> Blueprint:
    """The blueprint of a Twilio channel's webhook, ``POST /channels/<name>/<restaurantId>/webhook``
    (:func:`webhook`), for the channel ``channel_of(runtime)`` returns."""
    blueprint = Blueprint(f"{name}_channel", __name__)

    @blueprint.post(f"/channels/{name}/<int:restaurant_id>/webhook")
    @hide
    async def inbound(restaurant_id: int) -> Response:
        """One inbound message to the restaurant's Twilio sender."""
        return await webhook(channel_of(runtime_of(current_app)), restaurant_id)

    return blueprint


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
