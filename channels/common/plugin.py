"""What every channel plugin's hook implementations do the same way.

A channel plugin keeps one channel object per process in ``runtime.extras[name]``: made at
first use (no I/O), forgotten per restaurant when its integration settings change, closed
at shutdown after its work in flight got the plugin's ``shutdown_grace_seconds`` (10).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def channel_of(runtime: Any, name: str, make: Callable[[Any], Any]) -> Any:
    """This process's channel object ``name``, made by ``make(runtime)`` at first use."""
    if name not in runtime.extras:
        runtime.extras[name] = make(runtime)
    return runtime.extras[name]


async def close_channel(runtime: Any, name: str) -> None:
    """At shutdown: finish the channel's work in flight (up to the grace period), then close its clients."""
    channel = runtime.extras.pop(name, None)
    if channel is not None:
        await channel.close(float(channel.options.get("shutdown_grace_seconds", 10)))


def settings_changed(event: Any, name: str) -> bool:
    """Whether ``event`` says a restaurant's ``name`` integration settings changed."""
    return event.type == "integration.changed" and event.data.get("type") == name
