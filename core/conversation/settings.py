"""The conversation engine's ``plugins.toml`` settings (``[plugins."core.conversation.builtin_tools"]``)."""

from __future__ import annotations

from pydantic import Field

from core.plugin_settings import PluginSettings

#: the plugins.toml table of the engine and its built-in booking tools
PLUGIN = "core.conversation.builtin_tools"


class ConversationSettings(PluginSettings):
    """How the engine treats a conversation."""

    rate_limit_per_minute: int = Field(30, ge=1, le=1000)  # messages per conversation; one polite reply, then silence
    expire_after_hours: float = Field(6.0, gt=0)  # a conversation silent this long starts afresh (guest kept)
    llm_budget_seconds: float = Field(15.0, gt=0, le=300)  # one model call, retries included
    max_tool_rounds: int = Field(6, ge=1, le=50)  # tool-call rounds in one turn before the guided path answers
    # turns one process works on at once; the others wait in arrival order (core.conversation.turn_gate)
    turns_at_once: int = Field(8, ge=1, le=1000)
    handoff_after_misses: int = Field(3, ge=1, le=100)  # messages in a row not understood before a person takes over
    # no staff reply this long after a handoff (inside opening hours): the guest is offered the bot or the phone;
    # the default for restaurants without their own ``handoff_wait_minutes`` (restaurant profile)
    handoff_wait_minutes: float = Field(5.0, gt=0, le=24 * 60)
