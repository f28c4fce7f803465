"""Hook implementations of the reminders plugin."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl


@hookimpl
def tobeout_worker_jobs(runtime: Any) -> list[Any]:
    """The job that queues the reminders due at each poll (sent by the worker's outbox job)."""
    from plugins.reminders.schedule import ReminderJob

    return [ReminderJob(runtime)]


@hookimpl
def tobeout_conversation_commands(runtime: Any) -> dict[str, Any]:
    """``/reminder confirm|cancel|change <id>``: the values of a reminder's quick replies."""
    from plugins.reminders.answers import COMMAND, answer

    return {COMMAND: answer}
