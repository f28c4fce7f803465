"""The built-in conversation plugin: the booking tools (:mod:`core.conversation.booking_tools`), the engine's
settings, the ``openai`` integration type and the handoff wait job, registered through the same hooks
third-party plugins use (``plugins.toml``: ``[plugins."core.conversation.builtin_tools"]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.conversation import restaurant_llm
from core.conversation.booking_tools import BUILTIN_TOOLS
from core.conversation.handoff_wait import HandoffWaitJob
from core.conversation.settings import ConversationSettings
from core.conversation.tools import Tool
from core.hookspecs import hookimpl
from core.integrations import IntegrationType
from core.jobs import Job

if TYPE_CHECKING:
    from core.runtime import Runtime


@hookimpl(trylast=True)
def tobeout_conversation_tools(runtime: Runtime) -> list[Tool]:
    """The built-in booking tools (a plugin's tool of the same name replaces one)."""
    return list(BUILTIN_TOOLS)


@hookimpl
def tobeout_plugin_settings() -> type[ConversationSettings]:
    """The engine's settings (:class:`core.conversation.settings.ConversationSettings`)."""
    return ConversationSettings


@hookimpl
def tobeout_integration_types(runtime: Runtime) -> list[IntegrationType]:
    """The ``openai`` integration: a restaurant's own OpenAI key and model for its conversations."""
    return [restaurant_llm.integration_type()]


@hookimpl
def tobeout_worker_jobs(runtime: Runtime) -> list[Job]:
    """The handoff wait: a guest nobody from staff answered in time is told and offered the bot back
    (:mod:`core.conversation.handoff_wait`)."""
    return [HandoffWaitJob(runtime)]
