"""Hook implementations of the guest notifications plugin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from core.events import DomainEvent
from core.hookspecs import hookimpl
from core.outbox import DeliveryOptions
from core.runtime import Runtime, StashKey

if TYPE_CHECKING:
    from plugins.notifications.notifier import Notifier

NAME = "notifications"
PLUGIN = "plugins.notifications"
NOTIFIER: StashKey[Notifier] = StashKey(NAME)


class NotificationSettings(DeliveryOptions):
    """``[plugins."plugins.notifications"]`` in plugins.toml (how it delivers: :class:`core.outbox.DeliveryOptions`:
    ``max_attempts``, ``backoff_seconds``, ``max_backoff_seconds``, ``lease_seconds``, ``send_timeout_seconds``)."""

    shutdown_grace_seconds: float = Field(10.0, ge=0, le=300)


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
