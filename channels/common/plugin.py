"""The hook implementations every channel plugin has, written once: :class:`ChannelPlugin`.

A channel plugin keeps one channel object per process in ``runtime.stash`` under its own
typed key: made at first use (no I/O), forgotten per restaurant when its integration
settings change, closed at shutdown after its work in flight got the plugin's
``shutdown_grace_seconds``. It declares one integration type (checked on save, reported
by ``/readyz``), may mount a blueprint (its webhook) and offers its channel object as the
channel adapter the outbox sends through.

A channel's ``plugin.py`` makes one :class:`ChannelPlugin` and exposes its hooks as module
attributes, since pluggy registers the module (:meth:`ChannelPlugin.hooks`)::

    PLUGIN = ChannelPlugin(CHANNEL, SMS, "channels.sms.channel:SmsChannel", label="SMS", ...)
    globals().update(PLUGIN.hooks())  # tobeout_startup = PLUGIN.tobeout_startup, ...

A third-party channel (``plugins/example``) does the same: this module, with
:mod:`channels.common.channel`, is part of the documented plugin API.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from channels.common.channel import ChannelSettings
from channels.common.settings import webhook_url
from core.conversation.types import Reply
from core.events import DomainEvent
from core.hookspecs import hookimpl
from core.integrations import INTEGRATION_CHANGED, IntegrationSettings, IntegrationType, SaveRequest
from core.runtime import ChannelAdapter, Runtime, StashKey

if TYPE_CHECKING:
    from quart import Blueprint, Quart


class PluginChannel(Protocol):
    """What a channel object gives its plugin: the adapter and its lifecycle (and, :class:`SelfChecking`,
    the integration's checks)."""

    @property
    def name(self) -> str:
        """The channel's name (its integration type and the outbox rows' ``channel``)."""
        ...

    @property
    def shutdown_grace(self) -> float:
        """Seconds the work in flight gets at shutdown."""
        ...

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Deliver ``replies`` to ``chat_id`` (raises ``ChannelError``)."""
        ...

    async def forget(self, restaurant_id: int) -> None:
        """The restaurant's settings changed: drop what was kept for it."""
        ...

    async def close(self, grace: float = 10.0) -> None:
        """Finish the work in flight (up to ``grace`` seconds), then close the clients."""
        ...


@runtime_checkable
class SelfChecking(Protocol):
    """A channel object that checks its own integration (else its plugin overrides ``check`` and ``health``)."""

    async def on_saving(self, request: SaveRequest) -> Mapping[str, Any] | None:
        """The integration type's check, before a save is stored: extra values to store, or a refusal."""
        ...

    async def readiness(self) -> Mapping[str, Mapping[str, Any]]:
        """``{"<name>:<id>": {"ok", "detail"}}`` for every switched-on restaurant (cheap: cached)."""
        ...


C = TypeVar("C", bound=PluginChannel)


def channel_of(runtime: Runtime, key: StashKey[C], make: Callable[[Runtime], C]) -> C:
    """This process's channel object under ``key``, made by ``make(runtime)`` at first use."""
    return runtime.stash.setdefault(key, lambda: make(runtime))


def imported(path: str) -> Any:
    """The object ``"package.module:name"`` names (imported now)."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def settings_changed(event: DomainEvent, name: str) -> bool:
    """Whether ``event`` says a restaurant's ``name`` integration settings changed."""
    return event.type == INTEGRATION_CHANGED and event.data.get("type") == name


class ChannelPlugin(Generic[C]):
    """The hooks of one channel plugin around its per-process channel object.

    ``make(runtime)`` builds the channel object, or ``make`` names its class as
    ``"module:Class"``, imported at first use (so the plugin module stays light and imports
    nothing that imports it back); ``routes`` names the blueprint to mount (``"module:name"``,
    or a function returning it; None: no routes);
    ``options`` is the plugin's ``plugins.toml`` model. Subclass and override a hook (with
    ``@hookimpl``, calling ``super()``) to do more, e.g. at startup.
    """

    def __init__(
        self,
        name: str,
        key: StashKey[C],
        make: Callable[[Runtime], C] | str,
        *,
        label: str,
        settings: type[IntegrationSettings],
        description: str,
        routes: Callable[[], Blueprint] | str | None = None,
        options: type[BaseModel] = ChannelSettings,
        shows_webhook: bool = False,
    ) -> None:
        self.name, self.key, self.make = name, key, make
        self.label, self.settings, self.description = label, settings, description
        self.routes, self.options = routes, options
        #: True when staff paste the webhook URL into the service's console: it is shown before the first save.
        self.shows_webhook = shows_webhook

    def hooks(self) -> dict[str, Callable[..., Any]]:
        """Every hook implementation of this plugin by name (``tobeout_...``), a subclass's own included:
        what the plugin module exposes for pluggy to register."""
        return {name: getattr(self, name) for name in dir(self) if name.startswith("tobeout_")}

    def channel(self, runtime: Runtime) -> C:
        """This process's channel object (made at first use; no I/O)."""
        make = self.make
        if isinstance(make, str):
            factory: Callable[[Runtime], C] = imported(make)
            return channel_of(runtime, self.key, factory)
        return channel_of(runtime, self.key, make)

    async def check(self, channel: C, request: SaveRequest) -> Mapping[str, Any] | None:
        """The integration type's check before a save is stored: the channel's own ``on_saving``."""
        if not isinstance(channel, SelfChecking):
            raise NotImplementedError(f"{self.name}: override ChannelPlugin.check or give the channel on_saving")
        return await channel.on_saving(request)

    async def health(self, channel: C) -> Mapping[str, Mapping[str, Any]]:
        """The integration's health for ``/readyz``: the channel's own ``readiness``."""
        if not isinstance(channel, SelfChecking):
            raise NotImplementedError(f"{self.name}: override ChannelPlugin.health or give the channel readiness")
        return await channel.readiness()

    async def _check(self, request: SaveRequest) -> Mapping[str, Any] | None:
        return await self.check(self.channel(request.runtime), request)

    async def _health(self, runtime: Runtime) -> Mapping[str, Mapping[str, Any]]:
        return await self.health(self.channel(runtime))

    @hookimpl
    def tobeout_plugin_settings(self) -> type[BaseModel]:
        """The plugin's ``plugins.toml`` model (``send_timeout_seconds``, ``status_ttl_seconds``,
        ``shutdown_grace_seconds`` for a chat channel)."""
        return self.options

    @hookimpl
    def tobeout_integration_types(self, runtime: Runtime) -> list[IntegrationType]:
        """The channel's integration type: its settings, checked on save, with its health in ``/readyz``."""
        return [
            IntegrationType(
                name=self.name,
                label=self.label,
                settings=self.settings,
                check=self._check,
                health=self._health,
                description=self.description,
                preview=self._preview if self.shows_webhook else None,
            )
        ]

    def _preview(self, runtime: Runtime, restaurant_id: int) -> Mapping[str, str]:
        """Before the first save: the webhook URL to paste in the service's console."""
        return {"webhookUrl": webhook_url(runtime, self.name, restaurant_id)}

    @hookimpl
    def tobeout_register_routes(self, app: Quart, runtime: Runtime) -> None:
        """Mount the channel's blueprint (its webhook), if it has one."""
        if isinstance(self.routes, str):
            app.register_blueprint(imported(self.routes))
        elif self.routes is not None:
            app.register_blueprint(self.routes())

    @hookimpl
    def tobeout_startup(self, runtime: Runtime) -> None:
        """Make the channel object (SDK clients are made per restaurant at first use)."""
        self.channel(runtime)

    @hookimpl
    async def tobeout_shutdown(self, runtime: Runtime) -> None:
        """Finish the work in flight (up to the plugin's grace period), then close the clients."""
        channel = runtime.stash.pop(self.key)
        if channel is not None:
            await channel.close(channel.shutdown_grace)

    @hookimpl
    def tobeout_channels(self, runtime: Runtime) -> list[ChannelAdapter]:
        """The channel object is the adapter the outbox sends through."""
        return [self.channel(runtime)]

    @hookimpl
    async def tobeout_domain_event(self, event: DomainEvent, runtime: Runtime) -> None:
        """A restaurant's settings of this channel changed: forget its client and cached status."""
        if settings_changed(event, self.name):
            await self.channel(runtime).forget(event.restaurant_id)
