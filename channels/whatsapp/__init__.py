"""The WhatsApp channel: each restaurant's own Twilio WhatsApp sender.

Registered as an ordinary plugin (``plugins.toml``: ``[plugins."channels.whatsapp"]``).
Settings: ``send_timeout_seconds`` (10), ``status_ttl_seconds`` (300),
``shutdown_grace_seconds`` (10). Owners connect a sender as told in ``docs/channels.md``.
"""

from channels.whatsapp.plugin import (
    tobeout_channels,
    tobeout_domain_event,
    tobeout_integration_saving,
    tobeout_readiness,
    tobeout_register_routes,
    tobeout_shutdown,
    tobeout_startup,
)

__all__ = [
    "tobeout_channels",
    "tobeout_domain_event",
    "tobeout_integration_saving",
    "tobeout_readiness",
    "tobeout_register_routes",
    "tobeout_shutdown",
    "tobeout_startup",
]
