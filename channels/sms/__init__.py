"""The SMS channel: each restaurant's own Twilio Programmable Messaging number.

An ordinary plugin: the entry point ``channels.sms`` (``tobeout.plugins``) loads
:mod:`channels.sms.plugin`; settings in ``plugins.toml`` under ``[plugins."channels.sms"]``
(every chat channel's: ``send_timeout_seconds``, ``status_ttl_seconds``, ``shutdown_grace_seconds``).
It answers guests who text the restaurant's number, and writes first to guests who gave their
phone with a booking (confirmations, reminders, changes) unless they answered STOP.
Owners connect a number as told in ``docs/channels.md``.
"""
