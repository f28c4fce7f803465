"""The part of a channel's per-process object that every channel has.

A channel object (one per process, in ``runtime.stash``) holds the SDK clients of
the restaurants it serves, runs inbound messages and status checks in the background, and
is the channel's adapter for notifications (``name``, ``async send``). :class:`ChatChannel`
is its lifecycle: plugin options, background tasks, the client registry, forgetting a
restaurant whose settings changed, closing at shutdown. :class:`ChannelSettings` are the
``plugins.toml`` settings every such channel has.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, Protocol

from pydantic import Field

from core.background import BackgroundTasks
from core.errors import ChannelError
from core.plugin_settings import PluginSettings
from core.runtime import Runtime


def status_key(channel: str, restaurant_id: int) -> str:
    """The cache key of the restaurant's last known status on ``channel`` (shared by all processes; written by
    :mod:`channels.common.status`)."""
    return f"{channel}:status:{restaurant_id}"


class ChannelSettings(PluginSettings):
    """A chat channel's ``plugins.toml`` settings."""

    send_timeout_seconds: float = Field(10.0, gt=0, le=120)  # one call to the service's API
    status_ttl_seconds: float = Field(300.0, gt=0)  # how long a health check is trusted by /readyz
    shutdown_grace_seconds: float = Field(10.0, ge=0, le=300)  # work in flight at shutdown gets this long


class Unusable(Protocol):
    """A restaurant's stored settings that may say why they cannot be used."""

    @property
    def problem(self) -> str | None:
        """Why the settings cannot be used (an undecryptable secret), or None."""
        ...


class ClientRegistry(Protocol):
    """SDK clients by restaurant (``BotRegistry``, ``TwilioClients``)."""

    def drop(self, restaurant_id: int) -> None:
        """Forget the restaurant's client (its settings changed)."""

    async def close(self) -> None:
        """Close every client (at shutdown)."""


class ChatChannel:
    """Base of a channel object.

    A subclass sets ``name`` (the integration type, e.g. ``"telegram"``), ``label`` (for
    people and logs, ``"Telegram"``) and ``plugin`` (its ``plugins.toml`` table), and
    assigns ``clients`` in its ``__init__``.
    """

    name: str
    label: str
    plugin: str
    clients: ClientRegistry

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.options = runtime.options(self.plugin, ChannelSettings)  # this plugin's plugins.toml settings
        self.checks: dict[int, asyncio.Task[Any]] = {}  # status checks in flight, by restaurant
        self._tasks = BackgroundTasks()

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str | None = None) -> asyncio.Task[Any]:
        """Run ``coro`` in the background, kept until it ends (and awaited at shutdown)."""
        return self._tasks.spawn(coro, name=name or self.name)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait until the background work started so far (and what it started) is done."""
        await self._tasks.drain(timeout)

    @property
    def shutdown_grace(self) -> float:
        """Seconds the work in flight gets at shutdown."""
        return self.options.shutdown_grace_seconds

    def unavailable(self, config: Unusable | None, missing: str) -> ChannelError:
        """The adapter's error when the restaurant's settings cannot be used to send (``<name>_off``, not retryable)."""
        reason = config.problem if config is not None and config.problem else missing
        return ChannelError(f"{self.label} is not available for this restaurant: {reason}.", code=f"{self.name}_off")

    async def forget(self, restaurant_id: int) -> None:
        """The restaurant's settings changed: drop its client and its cached status."""
        self.clients.drop(restaurant_id)
        await self.runtime.cache.delete(status_key(self.name, restaurant_id))

    async def close(self, grace: float = 10.0) -> None:
        """Finish the pending work (up to ``grace`` seconds), cancel the rest, close the clients."""
        await self._tasks.close(grace)
        await self.clients.close()
