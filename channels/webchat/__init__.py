"""The website chat widget channel: ``/widget.js``, the demo page at ``/`` and the messages endpoint.

An ordinary plugin: the entry point ``channels.webchat`` (``tobeout.plugins``) loads
:mod:`channels.webchat.plugin`; settings in ``plugins.toml`` under ``[plugins."channels.webchat"]``, like
any third-party channel. Settings: ``session_messages_per_minute`` (30) and
``address_messages_per_minute`` (120).
"""
