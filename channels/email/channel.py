"""E-mail out over SMTP (aiosmtplib): the e-mail channel's per-process object and adapter.

:class:`EmailChannel` is the adapter the outbox sends through when a guest is reached by
e-mail (``reaches = "email"``: it may write first to the address given with a booking;
``rank`` 20, after SMS). It carries links and calendar files, not buttons. Each send opens a
connection to the restaurant's server (or the service's default), hands the message over and
closes it; SMTP's errors become :class:`core.errors.ChannelError` here: retryable when the
server may recover (unreachable, a timeout, a 4xx answer), not when it refused the sender, the
recipient or the credentials. An address that unsubscribed is never written to.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import aiosmtplib

from channels.common.channel import ChatChannel
from channels.common.status import readiness as common_readiness
from channels.common.status import record_status, status
from channels.email.render import build_message
from channels.email.settings import CHANNEL, PLUGIN, MailConfig, MailEnvironment, SmtpServer, load_mail_config
from channels.email.unsubscribe import unsubscribe_url
from core.consent import opted_out
from core.conversation.types import Reply
from core.errors import ChannelError, ValidationError
from core.integrations import SaveRequest, get_integration, submitted
from core.jsontypes import text_at
from core.models import Guest, Restaurant
from core.runtime import Runtime

log = logging.getLogger(__name__)


class _NoClients:
    """E-mail keeps no connection between messages: nothing to drop or close."""

    def drop(self, restaurant_id: int) -> None:
        """Nothing is kept per restaurant."""

    async def close(self) -> None:
        """Nothing is open."""


def smtp_error(exc: BaseException) -> ChannelError:
    """The core's error for an aiosmtplib / network error (no secret in it)."""
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return ChannelError(
            f"The mail server refused the username or password ({exc.code}); save them again.", code="email_auth"
        )
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return ChannelError("The mail server refused the guest's address.", code="email_refused")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        retry = 400 <= exc.code < 500
        return ChannelError(
            f"The mail server answered {exc.code}: {exc.message[:200]}", code="email_refused", retryable=retry
        )
    if isinstance(exc, TimeoutError | aiosmtplib.SMTPTimeoutError):
        return ChannelError("The mail server did not answer in time.", code="email_timeout", retryable=True)
    return ChannelError(
        f"The mail server could not be reached ({exc.__class__.__name__}).", code="email_down", retryable=True
    )


class EmailChannel(ChatChannel):
    """The e-mail channel of one process; its adapter for the outbox."""

    name, label, plugin = CHANNEL, "E-mail", PLUGIN
    capabilities = frozenset({"link", "calendar"})
    reaches = "email"  # may write first to the address a guest gave with a booking
    rank = 20  # after SMS
    rate_per_second = 20  # one connection per message: keep a shared server unhurried

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.clients = _NoClients()
        runtime.environment(MailEnvironment)  # a bad SMTP_URL or MAIL_FROM stops startup, naming it

    async def config(self, restaurant_id: int) -> MailConfig:
        """The restaurant's mail settings over the service's default."""
        restaurant = await Restaurant.filter(id=restaurant_id).only("id", "name").first()
        return await load_mail_config(self.runtime, restaurant_id, restaurant.name if restaurant else "")

    async def available(self, restaurant_ids: Sequence[int]) -> set[int]:
        """The restaurants whose e-mail can go out: their own server, else the service's default, and not off."""
        default = self.runtime.environment(MailEnvironment)
        found = set()
        for rid in restaurant_ids:
            row = await get_integration(rid, CHANNEL)
            if row is not None and not row.is_active:
                continue
            own = row is not None and (row.settings or {}).get("smtpHost")
            sender = (row.settings or {}).get("fromAddress") if row is not None else None
            if (own or default.smtp_url) and (sender or default.mail_from):
                found.add(rid)
        return found

    async def deliver(self, server: SmtpServer, message: EmailMessage) -> None:
        """Hand ``message`` to ``server`` (one connection); ``ChannelError`` on failure."""
        timeout = self.options.send_timeout_seconds
        try:
            await aiosmtplib.send(
                message,
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.use_tls,
                start_tls=server.start_tls if server.start_tls else False,
                timeout=timeout,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise smtp_error(exc) from None

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Adapter: e-mail ``replies`` to the address ``chat_id`` (an unsubscribed one is refused and
        recorded blocked, never retried). ``ChannelError`` on failure."""
        config = await self.config(restaurant_id)
        if not config.usable or config.server is None or not config.sender:
            raise self.unavailable(config, "no mail server and sender are set up (or e-mail is switched off)")
        address = chat_id.strip()
        if "@" not in address:
            raise ChannelError(f"{chat_id!r} is not an e-mail address.", code="email_bad_address")
        if await opted_out(restaurant_id, CHANNEL, [address]):
            raise ChannelError(
                "The guest unsubscribed from this restaurant's e-mails; nothing is sent.",
                code="email_unsubscribed",
                details={"window": True},
            )
        guest = await Guest.filter(restaurant_id=restaurant_id, email=address).only("id", "language").first()
        restaurant = await Restaurant.filter(id=restaurant_id).only("id", "name").first()
        message = build_message(
            sender=config.sender,
            to=address,
            reply_to=config.reply_to,
            restaurant=restaurant.name if restaurant else "",
            lang=guest.language if guest is not None else None,
            replies=replies,
            unsubscribe=unsubscribe_url(self.runtime, restaurant_id, address),
            now_header=format_datetime(self.runtime.clock()),
        )
        await self.deliver(config.server, message)

    # ------------------------------------------------------------------ the integration

    async def _try_server(self, server: SmtpServer) -> None:
        """Connect (and log in) to ``server`` and leave; ``ChannelError`` when it cannot be done."""
        client = aiosmtplib.SMTP(
            hostname=server.host,
            port=server.port,
            use_tls=server.use_tls,
            start_tls=server.start_tls if server.start_tls else False,
            timeout=self.options.send_timeout_seconds,
        )
        try:
            await client.connect()
            if server.username and server.password:
                await client.login(server.username, server.password)
            await client.quit()
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            client.close()
            raise smtp_error(exc) from None

    async def on_saving(self, request: SaveRequest) -> dict[str, Any]:
        """Before a save is stored: try the restaurant's own server (refused credentials: 400, nothing stored)."""
        rid, values = request.restaurant_id, request.values
        stored = request.stored.settings if request.stored is not None else {}
        host = submitted(values, "smtpHost", text_at(stored, "smtpHost"))
        extra: dict[str, Any] = {}
        await self.forget(rid)
        if not request.switched_on:
            return {**extra, "status": status(True, "Switched off: no e-mail is sent.")}
        if not host:
            default = self.runtime.environment(MailEnvironment)
            ok = bool(default.smtp_url and (default.mail_from or submitted(values, "fromAddress", None)))
            detail = "Sending through the service's mail server." if ok else "No mail server: set smtpHost."
            return {**extra, "status": status(ok, detail)}
        config = await self._submitted_server(request, host)
        try:
            await self._try_server(config)
        except ChannelError as exc:
            if exc.code == "email_auth":
                raise ValidationError(exc.message, details={"field": "smtpPassword"}) from None
            raise
        return {**extra, "status": status(True, f"The mail server {host}:{config.port} accepted us.")}

    async def _submitted_server(self, request: SaveRequest, host: str) -> SmtpServer:
        """The server this save describes (a field left out keeps its stored value)."""
        stored = await self.config(request.restaurant_id)
        saved = (request.stored.settings or {}) if request.stored is not None else {}
        old = stored.server if stored.server is not None and stored.server.host == host else None
        security = text_at(request.values, "security") or text_at(saved, "security") or "starttls"
        port = text_at(request.values, "smtpPort") or text_at(saved, "smtpPort") or (465 if security == "tls" else 587)
        return SmtpServer(
            host=host,
            port=int(port),
            username=request.submitted("smtpUsername", old.username if old else None),
            password=request.submitted("smtpPassword", old.password if old else None),
            use_tls=security == "tls",
            start_tls=security == "starttls",
        )

    async def check(self, restaurant_id: int) -> dict[str, Any]:
        """Try the restaurant's server; records and returns the status."""
        config = await self.config(restaurant_id)
        if not config.enabled:
            return status(True, "switched off")
        if config.server is None or not config.sender:
            ok, detail = (
                False,
                config.problem or "No mail server or sender (smtpHost / SMTP_URL, fromAddress / MAIL_FROM).",
            )
        else:
            try:
                await self._try_server(config.server)
                ok, detail = True, f"The mail server {config.server.host}:{config.server.port} answers."
            except ChannelError as exc:
                ok, detail = False, exc.message
        await record_status(self, restaurant_id, ok, detail)
        return status(ok, detail)

    async def readiness(self) -> dict[str, Any]:
        """``{"email:<id>": {"ok", "detail"}}`` for every restaurant with e-mail settings (cached)."""

        async def check(channel: EmailChannel, restaurant_id: int) -> dict[str, Any]:
            return await channel.check(restaurant_id)

        return await common_readiness(self, check, "trying the mail server…")
