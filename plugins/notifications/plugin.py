"""Hook implementations of the guest notifications plugin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import DomainEvent
from core.hookspecs import hookimpl
from core.runtime import Runtime, StashKey
from plugins.notifications.settings import PLUGIN, NotificationSettings

if TYPE_CHECKING:
    from plugins.notifications.notifier import Notifier

NAME = "notifications"
NOTIFIER: StashKey[Notifier] = StashKey(NAME)


def notifier_of(runtime: Runtime) -> Notifier:
    """This process's :class:`~plugins.notifications.notifier.Notifier` (created at first use; no I/O)."""
    from plugins.notifications.notifier import Notifier

    return runtime.stash.setdefault(NOTIFIER, lambda: Notifier(runtime))


@hookimpl
def tobeout_plugin_settings() -> type[NotificationSettings]:
    """``max_attempts``, ``backoff_seconds``, ``max_backoff_seconds``, ``shutdown_grace_seconds``."""
    return NotificationSettings


@hookimpl
def tobeout_startup(runtime: Runtime) -> None:
    """Create the notifier (the channel adapters are collected at the first notification)."""
    notifier_of(runtime)


@hookimpl
async def tobeout_shutdown(runtime: Runtime) -> None:
    """Give the notifications in flight a few seconds, then stop."""
    notifier = runtime.stash.pop(NOTIFIER)
    if notifier is not None:
        await notifier.close(runtime.options(PLUGIN, NotificationSettings).shutdown_grace_seconds)


@hookimpl
def tobeout_domain_event(event: DomainEvent, runtime: Runtime) -> None:
    """A reservation created, moved or canceled by staff: tell the guest in the background."""
    if event.type.startswith("reservation."):
        notifier_of(runtime).on_event(event)
