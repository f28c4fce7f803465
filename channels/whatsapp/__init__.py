"""The WhatsApp channel: each restaurant's own Twilio WhatsApp sender.

An ordinary plugin: the entry point ``channels.whatsapp`` (``tobeout.plugins``) loads
:mod:`channels.whatsapp.plugin`; settings in ``plugins.toml`` under ``[plugins."channels.whatsapp"]``.
Settings: ``send_timeout_seconds`` (10), ``status_ttl_seconds`` (300),
``shutdown_grace_seconds`` (10). Owners connect a sender as told in ``docs/channels.md``.
"""
