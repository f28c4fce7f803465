"""The plugin manager: built-in plugins listed in ``plugins.toml`` plus ``tobeout.plugins`` entry points.

``plugins.toml`` has one table per plugin, keyed by its module path::

    [plugins."channels.webchat"]
    enabled = true
    rate_limit_per_minute = 30     # any other key is the plugin's own setting

Third-party plugins installed as packages declare an entry point in the group
``tobeout.plugins``; they are loaded too unless ``plugins.toml`` has
``enabled = false`` for their entry-point name.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import logging
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy

from core import hookspecs
from core.errors import ConfigurationError

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "tobeout.plugins"


@dataclass(frozen=True)
class PluginConfig:
    """What ``plugins.toml`` says: which plugins are on, and their settings."""

    enabled: tuple[str, ...]
    disabled: frozenset[str]
    settings: dict[str, dict[str, Any]]


def read_plugins_file(path: Path) -> PluginConfig:
    """Parse ``plugins.toml``; a missing file means no built-in plugins."""
    if not path.exists():
        return PluginConfig((), frozenset(), {})
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path} is not valid TOML: {exc}") from None
    plugins = data.get("plugins", {})
    if not isinstance(plugins, dict):
        raise ConfigurationError(f"{path}: [plugins] must be a table of plugin tables")
    enabled, disabled, settings = [], set(), {}
    for name, table in plugins.items():
        if not isinstance(table, dict):
            raise ConfigurationError(f'{path}: [plugins."{name}"] must be a table')
        options = {k: v for k, v in table.items() if k != "enabled"}
        settings[name] = options
        (enabled.append(name) if table.get("enabled", True) else disabled.add(name))
    return PluginConfig(tuple(enabled), frozenset(disabled), settings)


def make_plugin_manager(
    config: PluginConfig, *, entry_points: bool = True, extra: Iterable[object] = ()
) -> pluggy.PluginManager:
    """A fresh plugin manager: hookspecs, the enabled built-in modules, entry points, ``extra`` objects."""
    pm = pluggy.PluginManager("tobeout")
    pm.add_hookspecs(hookspecs)
    for name in config.enabled:
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            raise ConfigurationError(f"plugin {name!r} failed to import: {exc.__class__.__name__}: {exc}") from exc
        pm.register(module, name=name)
    if entry_points:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if ep.name in config.disabled or pm.has_plugin(ep.name):
                continue
            try:
                pm.register(ep.load(), name=ep.name)
            except Exception as exc:
                raise ConfigurationError(
                    f"plugin {ep.name!r} ({ep.value}) failed to load: {exc.__class__.__name__}: {exc}"
                ) from exc
    for obj in extra:
        pm.register(obj)
    return pm


async def await_me_maybe(value: Any) -> Any:
    """Await ``value`` if it is awaitable, else return it."""
    if inspect.isawaitable(value):
        return await value
    return value


async def call_hook(pm: pluggy.PluginManager, name: str, **kwargs: Any) -> list[Any]:
    """Call hook ``name`` and await each result; returns the non-None results, in pluggy's order."""
    results = getattr(pm.hook, name)(**kwargs)
    out = []
    for result in results:
        value = await await_me_maybe(result)
        if value is not None:
            out.append(value)
    return out


async def call_hook_each(
    pm: pluggy.PluginManager, name: str, *, raise_errors: bool = True, **kwargs: Any
) -> list[tuple[str, Any]]:
    """Call hook ``name`` plugin by plugin (in registration order), so that a failure is pinned
    on the plugin that raised and does not stop the others.

    Returns ``(plugin_name, result)`` pairs. With ``raise_errors`` a failure raises
    ``ConfigurationError`` naming the plugin (startup); without, it is logged and skipped.
    """
    out = []
    for impl in reversed(getattr(pm.hook, name).get_hookimpls()):
        plugin_name = pm.get_name(impl.plugin) or repr(impl.plugin)
        args = {k: kwargs[k] for k in impl.argnames}
        try:
            out.append((plugin_name, await await_me_maybe(impl.function(**args))))
        except Exception as exc:
            if raise_errors:
                raise ConfigurationError(
                    f"plugin {plugin_name!r} failed in {name}: {exc.__class__.__name__}: {exc}"
                ) from exc
            log.exception("plugin %r failed in %s", plugin_name, name)
    return out


def describe_plugins(pm: pluggy.PluginManager) -> list[dict[str, str]]:
    """Name, module and version of each loaded plugin (for ``tobeout plugins``)."""
    dists = {}
    for name, dist in pm.list_plugin_distinfo():
        dists[id(name)] = dist
    rows = []
    for name, plugin in pm.list_name_plugin():
        module = getattr(plugin, "__name__", type(plugin).__module__)
        dist = dists.get(id(plugin))
        version = getattr(plugin, "__version__", None) or (dist.version if dist else None)
        if version is None:
            try:
                version = importlib.metadata.version("tobeout") + " (built-in)"
            except importlib.metadata.PackageNotFoundError:
                version = "unknown"
        rows.append({"name": name, "module": module, "version": str(version)})
    return rows
