"""The Telegram channel: each restaurant's own bot, by webhook (or long polling in development).

An ordinary plugin: the entry point ``channels.telegram`` (``tobeout.plugins``) loads
:mod:`channels.telegram.plugin`; settings in ``plugins.toml`` under ``[plugins."channels.telegram"]``.
Settings: ``send_timeout_seconds`` (10), ``status_ttl_seconds`` (300),
``shutdown_grace_seconds`` (10). Owners connect a bot as told in ``docs/channels.md``.
"""
