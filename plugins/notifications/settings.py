"""The notifications plugin's ``plugins.toml`` settings (a leaf: the plugin and the notifier both read it)."""

from __future__ import annotations

from pydantic import Field

from core.outbox import DeliveryOptions

PLUGIN = "plugins.notifications"


class NotificationSettings(DeliveryOptions):
    """``[plugins."plugins.notifications"]`` in plugins.toml (how it delivers: :class:`core.outbox.DeliveryOptions`:
    ``max_attempts``, ``backoff_seconds``, ``max_backoff_seconds``, ``lease_seconds``, ``send_timeout_seconds``)."""

    shutdown_grace_seconds: float = Field(10.0, ge=0, le=300)
