"""Reminders before each reservation, with one-tap answers: confirm, cancel, change.

Registered as an ordinary plugin (``plugins.toml``: ``[plugins."plugins.reminders"]``). Its
worker job (:mod:`plugins.reminders.schedule`) queues each reminder that fell due in the
durable guest outbox, which the worker sends on the guest's latest channel; its conversation
command ``/reminder`` (:mod:`plugins.reminders.answers`) handles the guest's answer through
the booking service. When reminders are sent is the restaurant's ``reminderMinutes``
(profile API, default ``[120, 60]``, ``[]`` off).
"""

from plugins.reminders.plugin import tobeout_conversation_commands, tobeout_worker_jobs

__all__ = ["tobeout_conversation_commands", "tobeout_worker_jobs"]
