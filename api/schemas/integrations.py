"""Integration settings on the wire. Each type's own fields are its plugin's model (core.integrations)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, RootModel

from api.schemas import ApiModel


class IntegrationIn(ApiModel):
    """``enabled`` plus the type's own settings (camelCase), e.g. ``{"botToken": "...", "enabled": true}``.

    Secrets are write-only: omit one (or send back its masked value) to keep it, ``""`` removes it.
    """

    model_config = ConfigDict(extra="allow")

    enabled: bool | None = None


class IntegrationOut(ApiModel):
    """``settings`` holds the plain values and the secrets masked (``••••wxyz``).

    For a type a plugin declares, ``label``, ``description``, ``secretKeys`` and
    ``settingsSchema`` (the JSON schema of what may be saved; secrets are ``writeOnly``) let a
    client build the form of any type, a third-party channel's included, without knowing it.
    """

    type: str
    enabled: bool
    configured: bool
    settings: dict[str, Any]
    updated_at: datetime | None
    label: str | None = None
    description: str | None = None
    secret_keys: list[str] = []
    settings_schema: dict[str, Any] | None = None


class IntegrationList(RootModel[list[IntegrationOut]]):
    """Every integration of the restaurant, secrets masked."""
