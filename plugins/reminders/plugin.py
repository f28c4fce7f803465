"""Hook implementations of the reminders plugin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.hookspecs import hookimpl
from core.jobs import Job

if TYPE_CHECKING:
    from core.runtime import Runtime


@hookimpl
def tobeout_worker_jobs(runtime: Runtime) -> list[Job]:
    """The job that queues the reminders due at each poll (sent by the worker's outbox job)."""
    from plugins.reminders.schedule import ReminderJob

    return [ReminderJob(runtime)]


@hookimpl
def tobeout_conversation_commands(runtime: Runtime) -> dict[str, Any]:
    """``/reminder confirm|cancel|change <id>``: the values of a reminder's quick replies."""
    from plugins.reminders.answers import COMMAND, answer

    return {COMMAND: answer}


@hookimpl
def tobeout_conversation_tools(runtime: Runtime) -> list[Any]:
    """``confirm_reservation``: the LLM confirms a booking when the guest says they will come."""
    from plugins.reminders.tools import CONFIRM_TOOL

    return [CONFIRM_TOOL]
