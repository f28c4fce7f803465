"""Outside services' settings. Secrets are write-only: stored encrypted, answered masked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field, RootModel

from api.schemas import ApiModel


class TelegramIn(ApiModel):
    """Omit ``botToken`` (or send the masked value back) to keep the stored one; ``""`` removes it."""

    bot_token: str | None = Field(None, max_length=512, pattern=r"^(|\d+:[A-Za-z0-9_-]+|••••.*)$")
    enabled: bool | None = None


class WhatsAppIn(ApiModel):
    """Twilio credentials; ``authToken`` is secret."""

    account_sid: str | None = Field(None, max_length=64)
    auth_token: str | None = Field(None, max_length=512)
    from_number: str | None = Field(None, max_length=64)
    reminder_template_sid: str | None = Field(None, pattern=r"^(|HX[0-9a-fA-F]{32})$")
    enabled: bool | None = None


class OpenAIIn(ApiModel):
    """The restaurant's own OpenAI key and model (else the service's)."""

    api_key: str | None = Field(None, max_length=512)
    model: str | None = Field(None, max_length=100)
    enabled: bool | None = None


class IntegrationOut(ApiModel):
    """``settings`` holds the plain values and the secrets masked (``••••wxyz``)."""

    type: str
    enabled: bool
    configured: bool
    settings: dict[str, Any]
    updated_at: datetime | None


class IntegrationList(RootModel[list[IntegrationOut]]):
    """Every integration of the restaurant, secrets masked."""
