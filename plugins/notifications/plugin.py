"""Hook implementations of the guest notifications plugin."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl

NAME = "notifications"


def notifier_of(runtime: Any) -> Any:
    """This process's :class:`~plugins.notifications.notifier.Notifier` (created at first use; no I/O)."""
    from plugins.notifications.notifier import Notifier

    if NAME not in runtime.extras:
        runtime.extras[NAME] = Notifier(runtime)
    return runtime.extras[NAME]


@hookimpl
def tobeout_startup(runtime: Any) -> None:
    """Create the notifier (the channel adapters are collected at the first notification)."""
    notifier_of(runtime)


@hookimpl
async def tobeout_shutdown(runtime: Any) -> None:
    """Give the notifications in flight a few seconds, then stop."""
    notifier = runtime.extras.pop(NAME, None)
    if notifier is not None:
        await notifier.close(float(runtime.settings_for("plugins.notifications").get("shutdown_grace_seconds", 10)))


@hookimpl
def tobeout_domain_event(event: Any, runtime: Any) -> None:
    """A reservation created, moved or canceled by staff: tell the guest in the background."""
    if event.type.startswith("reservation."):
        notifier_of(runtime).on_event(event)
