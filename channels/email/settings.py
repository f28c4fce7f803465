"""Where a restaurant's e-mail goes out: its own SMTP server and sender, else the service's default.

The integration type ``"email"`` takes :class:`EmailSettings` through ``POST /api/integrations/email``:
``smtpHost``, ``smtpPort``, ``smtpUsername``, ``smtpPassword`` (secret, stored encrypted,
answered masked), ``security`` (``starttls``, ``tls`` for implicit TLS, ``none``), ``fromAddress``,
``fromName`` and ``replyTo``. With no host saved, the service's default server is used
(:class:`MailEnvironment`: ``SMTP_URL`` = ``smtp://user:pass@host:port``, ``smtps://`` for
implicit TLS, ``?starttls=true``; ``MAIL_FROM`` the sender), and a saved ``fromAddress`` or
``fromName`` still applies. A restaurant whose e-mail integration is switched off sends none.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import Field, SecretStr, field_validator

from core.config import EnvironmentSettings
from core.errors import ConfigurationError
from core.integrations import IntegrationSettings, decrypt_setting, read_integration
from core.jsontypes import text_at
from core.runtime import Runtime

CHANNEL = "email"
PLUGIN = "channels.email"
ADDRESS = r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"
TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class SmtpServer:
    """An SMTP server to hand messages to."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False  # implicit TLS from the first byte (smtps, usually port 465)
    start_tls: bool = False  # upgrade with STARTTLS (usually port 587)


def parse_smtp_url(url: str) -> SmtpServer:
    """``smtp://user:pass@host:port`` (``?starttls=true``) or ``smtps://...`` as a :class:`SmtpServer`.

    Raises ``ValueError`` naming what is wrong (never the password)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("names no host (smtp://user:pass@host:port)")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("has a port that is not a number from 1 to 65535") from None
    implicit = parts.scheme == "smtps"
    query = {k.lower(): v[-1].lower() for k, v in parse_qs(parts.query).items()}
    return SmtpServer(
        host=parts.hostname,
        port=port or (465 if implicit else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=implicit,
        start_tls=not implicit and query.get("starttls", "") in TRUE,
    )


class MailEnvironment(EnvironmentSettings):
    """The service's default mail server and sender: ``SMTP_URL`` and ``MAIL_FROM``."""

    smtp_url: str | None = Field(None, repr=False, validation_alias="SMTP_URL")
    mail_from: str | None = Field(None, validation_alias="MAIL_FROM")

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        if value:
            try:
                parse_smtp_url(value)
            except ValueError as exc:
                raise ValueError(f"SMTP_URL {exc}") from None
        return value

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str | None) -> str | None:
        address = (value or "").rsplit("<", 1)[-1].rstrip(">").strip()
        if value and "@" not in address:
            raise ValueError("MAIL_FROM must be an e-mail address, e.g. bookings@example.com or Name <a@b.c>")
        return value


class EmailSettings(IntegrationSettings):
    """A restaurant's own SMTP server and sender (every field optional: the service's default fills in)."""

    smtp_host: str | None = Field(
        None,
        max_length=255,
        pattern=r"^[A-Za-z0-9.-]*$",
        title="SMTP server",
        description="Leave empty to send through the service's mail server.",
        examples=["smtp.example.com"],
    )
    smtp_port: int | None = Field(None, ge=1, le=65535, title="SMTP port", examples=[587])
    smtp_username: str | None = Field(None, max_length=255, title="SMTP username")
    smtp_password: SecretStr | None = Field(None, max_length=512, title="SMTP password")
    security: Literal["starttls", "tls", "none"] | None = Field(None, title="Security")
    from_address: str | None = Field(
        None, max_length=255, pattern=ADDRESS, title="Sender address", examples=["bookings@example.com"]
    )
    from_name: str | None = Field(None, max_length=120, title="Sender name")
    reply_to: str | None = Field(None, max_length=255, pattern=ADDRESS, title="Reply-to address")


@dataclass(frozen=True)
class MailConfig:
    """How one restaurant's e-mail goes out: the server, the sender, and why it cannot (``problem``)."""

    restaurant_id: int
    server: SmtpServer | None
    sender: str | None  # "Name <address>" or an address
    reply_to: str | None = None
    enabled: bool = True
    problem: str | None = None

    @property
    def usable(self) -> bool:
        """Switched on, with a server and a sender."""
        return self.enabled and self.server is not None and bool(self.sender) and self.problem is None


def _sender(name: str | None, address: str | None) -> str | None:
    if not address:
        return None
    if "<" in address or not name:
        return address
    return formataddr((name, address))


async def load_mail_config(runtime: Runtime, restaurant_id: int, restaurant_name: str = "") -> MailConfig:
    """The restaurant's settings over the service's default (the server is None when neither has one)."""
    default = runtime.environment(MailEnvironment)
    row = await read_integration(restaurant_id, CHANNEL)
    values = (row.settings or {}) if row is not None else {}
    enabled = row.is_active if row is not None else True
    server = parse_smtp_url(default.smtp_url) if default.smtp_url else None
    problem = None
    host = text_at(values, "smtpHost")
    if host:
        security = text_at(values, "security") or "starttls"
        try:
            password = decrypt_setting(row, "smtpPassword", runtime.secrets)
        except ConfigurationError as exc:
            password, problem = None, exc.message
        server = SmtpServer(
            host=host,
            port=int(text_at(values, "smtpPort") or (465 if security == "tls" else 587)),
            username=text_at(values, "smtpUsername"),
            password=password,
            use_tls=security == "tls",
            start_tls=security == "starttls",
        )
    address = text_at(values, "fromAddress") or default.mail_from
    name = text_at(values, "fromName") or restaurant_name
    reply_to = text_at(values, "replyTo")
    return MailConfig(restaurant_id, server, _sender(name, address), reply_to, enabled, problem)
