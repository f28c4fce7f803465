"""The website chat widget channel: ``/widget.js``, the demo page at ``/`` and the messages endpoint.

Registered as an ordinary plugin (``plugins.toml``: ``[plugins."channels.webchat"]``), like
any third-party channel. Settings: ``session_messages_per_minute`` (30) and
``address_messages_per_minute`` (120).
"""

from channels.webchat.plugin import tobeout_channels, tobeout_register_routes

__all__ = ["tobeout_channels", "tobeout_register_routes"]
