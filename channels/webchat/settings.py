"""The web chat's ``plugins.toml`` settings (``[plugins."channels.webchat"]``)."""

from __future__ import annotations

from pydantic import Field

from core.plugin_settings import PluginSettings

PLUGIN = "channels.webchat"


class WebchatSettings(PluginSettings):
    """How many messages the widget's endpoint takes a minute, per visitor session and per client address."""

    session_messages_per_minute: int = Field(30, ge=1, le=10_000)
    address_messages_per_minute: int = Field(120, ge=1, le=100_000)
