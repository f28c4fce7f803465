"""Hook implementations of the waitlist plugin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.hookspecs import hookimpl
from core.jobs import Job

if TYPE_CHECKING:
    from core.runtime import Runtime


@hookimpl
def tobeout_plugin_settings() -> type[Any]:
    """``listen``: also offer a freed table at once when the bus reports it (else at the next poll)."""
    from plugins.waitlist.job import WaitlistSettings

    return WaitlistSettings


@hookimpl
def tobeout_worker_jobs(runtime: Runtime) -> list[Job]:
    """The job that expires offers and offers freed slots to waiting parties (sent through the outbox)."""
    from plugins.waitlist.job import WaitlistJob

    return [WaitlistJob(runtime)]


@hookimpl
def tobeout_conversation_commands(runtime: Runtime) -> dict[str, Any]:
    """``/waitlist join|accept|decline ...``: the values of the guided path's and an offer's quick replies."""
    from core.booking.waitlist import COMMAND
    from plugins.waitlist.answers import answer

    return {COMMAND: answer}


@hookimpl
def tobeout_conversation_tools(runtime: Runtime) -> list[Any]:
    """``join_waitlist``: the LLM puts a guest whose slot is full on the waitlist."""
    from plugins.waitlist.tools import JOIN_TOOL

    return [JOIN_TOOL]
