"""Reminders before each reservation, with one-tap answers: confirm, cancel, change.

Registered as an ordinary plugin (``plugins.toml``: ``[plugins."plugins.reminders"]``). Its
worker job (:mod:`plugins.reminders.schedule`) queues each reminder that fell due in the
durable guest outbox, which the worker sends on the guest's latest channel; its conversation
command ``/reminder`` (:mod:`plugins.reminders.answers`) handles the guest's answer through
the booking service; a plain "yes" / "no" / "can we move it?" is read as that answer too (the
guided path, :mod:`core.conversation.followup`), and the LLM gets a ``confirm_reservation`` tool
(:mod:`plugins.reminders.tools`). When reminders are sent is the restaurant's ``reminderMinutes``
(profile API, default ``[120, 60]``, ``[]`` off).
"""

from plugins.reminders.plugin import tobeout_conversation_commands, tobeout_conversation_tools, tobeout_worker_jobs

__all__ = ["tobeout_conversation_commands", "tobeout_conversation_tools", "tobeout_worker_jobs"]
