"""What every channel plugin's hook implementations do the same way.

A channel plugin keeps one channel object per process in ``runtime.stash`` under its own
typed key: made at first use (no I/O), forgotten per restaurant when its integration
settings change, closed at shutdown after its work in flight got the plugin's
``shutdown_grace_seconds``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from channels.common.channel import ChatChannel
from core.events import DomainEvent
from core.integrations import INTEGRATION_CHANGED
from core.runtime import Runtime, StashKey

C = TypeVar("C", bound=ChatChannel)


def channel_of(runtime: Runtime, key: StashKey[C], make: Callable[[Runtime], C]) -> C:
    """This process's channel object under ``key``, made by ``make(runtime)`` at first use."""
    return runtime.stash.setdefault(key, lambda: make(runtime))


async def close_channel(runtime: Runtime, key: StashKey[C]) -> None:
    """At shutdown: finish the channel's work in flight (up to the grace period), then close its clients."""
    channel = runtime.stash.pop(key)
    if channel is not None:
        await channel.close(channel.shutdown_grace)


def settings_changed(event: DomainEvent, name: str) -> bool:
    """Whether ``event`` says a restaurant's ``name`` integration settings changed."""
    return event.type == INTEGRATION_CHANGED and event.data.get("type") == name
