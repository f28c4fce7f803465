"""The services one running process shares: settings, cache, event bus, plugins, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pluggy

from core.cache import Cache, make_cache
from core.config import Settings
from core.events import EventBus, make_event_bus


def utcnow() -> datetime:
    """The current instant, timezone-aware. The one clock; tests pass their own."""
    return datetime.now(UTC)


@dataclass
class Runtime:
    """Created at startup (``before_serving``), kept on the app, handed to hooks and engines."""

    settings: Settings
    cache: Cache
    bus: EventBus
    plugins: pluggy.PluginManager
    clock: Callable[[], datetime] = utcnow
    plugin_settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def engine(self) -> Any:
        """The process's conversation engine (created on first use); channels call ``engine.handle``."""
        from core.conversation.engine import engine_for

        return engine_for(self)

    def settings_for(self, plugin: str) -> dict[str, Any]:
        """The ``plugins.toml`` settings of ``plugin`` (empty when it has none)."""
        return self.plugin_settings.get(plugin, {})


def make_runtime(settings: Settings, plugins: pluggy.PluginManager, plugin_settings: dict | None = None) -> Runtime:
    """Build the cache and bus for ``settings`` (not yet started)."""
    return Runtime(
        settings=settings,
        cache=make_cache(settings.redis_url, database_url=settings.database_url),
        bus=make_event_bus(settings.redis_url),
        plugins=plugins,
        plugin_settings=plugin_settings or {},
    )
