"""The e-mail channel: confirmations, reminders and changes by e-mail over SMTP (aiosmtplib).

An ordinary plugin: the entry point ``channels.email`` (``tobeout.plugins``) loads
:mod:`channels.email.plugin`; settings in ``plugins.toml`` under ``[plugins."channels.email"]``.
It writes to guests who gave an e-mail address with a booking and are reached on no chat and by
no SMS: an HTML and a plain-text part in the guest's language (its own catalogs), the booking's
``.ics`` attached, the manage link as a button, and an unsubscribe link in every message.
Each restaurant may use its own SMTP server and sender (``/api/integrations/email``); the
service's default is ``SMTP_URL`` and ``MAIL_FROM``. See ``docs/channels.md``.
"""
