"""The plugin manager: the ``tobeout.plugins`` entry points, plus modules listed in ``plugins.toml``.

Plugins are found through the entry-point group ``tobeout.plugins``. ToBeOut's own plugins
(the channels, the notifications, the booking tools) are declared there by its own package,
under their module path, so they travel with the package and load with their defaults when
there is no ``plugins.toml`` at all; a third-party package declares its own entry point.

``plugins.toml`` (``./plugins.toml``, or the file ``TOBEOUT_PLUGINS_FILE`` names) overrides:
one table per plugin, keyed by its name (module path or entry-point name)::

    [plugins."some.plugin"]
    enabled = true
    messages_per_minute = 30   # any other key is one of the plugin's own settings

``enabled = false`` switches a plugin off; a table naming a module that is no entry point
loads that module as a plugin. Each plugin declares its settings as a pydantic model
(``tobeout_plugin_settings``); :func:`check_plugin_settings` refuses, at startup, a bad value
or an unknown key with one line naming the plugin and the key.
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

import pluggy
import pydantic
from pydantic import BaseModel

from core import hookspecs
from core.errors import ConfigurationError
from core.plugin_settings import PluginSettings as PluginSettings  # re-exported: plugins import it from here
from core.plugin_settings import check_settings

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "tobeout.plugins"
DEFAULT_PLUGINS_FILE = "plugins.toml"


@dataclass(frozen=True)
class PluginConfig:
    """What ``plugins.toml`` says: which plugins are on, and their settings.

    ``source`` is the file read (None when there was none: every plugin with its defaults).
    """

    enabled: tuple[str, ...]
    disabled: frozenset[str]
    settings: dict[str, dict[str, object]]
    source: Path | None = None

    def describe(self) -> str:
        """Which file the plugins' settings came from, for the startup log."""
        if self.source is None:
            return f"no {DEFAULT_PLUGINS_FILE} here: the built-in plugins run with their defaults"
        return f"plugin settings from {self.source}"


def locate_plugins_file(configured: Path | None, cwd: Path | None = None) -> Path | None:
    """The plugins file to read: ``TOBEOUT_PLUGINS_FILE`` when set (it must exist), else
    ``./plugins.toml`` when there is one, else None (built-in defaults)."""
    if configured is not None:
        path = configured if configured.is_absolute() else (cwd or Path.cwd()) / configured
        if not path.is_file():
            raise ConfigurationError(f"TOBEOUT_PLUGINS_FILE names {path}, which is not a file")
        return path.resolve()
    local = (cwd or Path.cwd()) / DEFAULT_PLUGINS_FILE
    return local.resolve() if local.is_file() else None


def read_plugins_file(path: Path | None) -> PluginConfig:
    """Parse a plugins file; None (or a missing file) means every plugin with its defaults."""
    if path is None or not path.exists():
        return PluginConfig((), frozenset(), {})
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path} is not valid TOML: {exc}") from None
    plugins = data.get("plugins", {})
    if not isinstance(plugins, dict):
        raise ConfigurationError(f"{path}: [plugins] must be a table of plugin tables")
    enabled: list[str] = []
    disabled: set[str] = set()
    settings: dict[str, dict[str, object]] = {}
    for name, table in plugins.items():
        if not isinstance(table, dict):
            raise ConfigurationError(f'{path}: [plugins."{name}"] must be a table')
        options = {k: v for k, v in table.items() if k != "enabled"}
        settings[name] = options
        switch = table.get("enabled", True)
        if not isinstance(switch, bool):
            raise ConfigurationError(f'{path}: [plugins."{name}"] enabled must be true or false, not {switch!r}')
        (enabled.append(name) if switch else disabled.add(name))
    return PluginConfig(tuple(enabled), frozenset(disabled), settings, path)


def make_plugin_manager(
    config: PluginConfig, *, entry_points: bool = True, extra: Iterable[object] = ()
) -> pluggy.PluginManager:
    """A fresh plugin manager: hookspecs, the plugins ``config`` lists, the other entry points, ``extra`` objects.

    Every implementation must match a hook in ``core.hookspecs`` (a misspelt name is refused).

    A name in ``config.enabled`` is an entry point's name when one is installed, else a module path.
    With ``entry_points=False`` only the listed plugins (and ``extra``) are loaded (tests).
    """
    pm = pluggy.PluginManager("tobeout")
    pm.add_hookspecs(hookspecs)
    found = {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    for name in config.enabled:
        if name in found:
            _register_entry_point(pm, found[name])
            continue
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            raise ConfigurationError(f"plugin {name!r} failed to import: {exc.__class__.__name__}: {exc}") from exc
        if not pm.is_registered(module):
            pm.register(module, name=name)
    if entry_points:
        for ep in found.values():
            if ep.name not in config.disabled and not pm.has_plugin(ep.name):
                _register_entry_point(pm, ep)
    for obj in extra:
        pm.register(obj)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        # A misspelt hook name would otherwise register silently and never run.
        raise ConfigurationError(f"a plugin implements a hook ToBeOut does not have: {exc}") from exc
    return pm


def _register_entry_point(pm: pluggy.PluginManager, ep: importlib.metadata.EntryPoint) -> None:
    try:
        plugin = ep.load()
    except Exception as exc:
        raise ConfigurationError(
            f"plugin {ep.name!r} ({ep.value}) failed to load: {exc.__class__.__name__}: {exc}"
        ) from exc
    if not pm.is_registered(plugin):
        pm.register(plugin, name=ep.name)


def settings_models(pm: pluggy.PluginManager) -> dict[str, type[BaseModel]]:
    """Each loaded plugin's settings model, from ``tobeout_plugin_settings``, by plugin name."""
    models: dict[str, type[BaseModel]] = {}
    for impl in pm.hook.tobeout_plugin_settings.get_hookimpls():
        name = pm.get_name(impl.plugin) or repr(impl.plugin)
        model = impl.function()
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise ConfigurationError(f"plugin {name!r}: tobeout_plugin_settings must return a pydantic model class")
        models[name] = model
    return models


def check_plugin_settings(pm: pluggy.PluginManager, config: PluginConfig) -> dict[str, BaseModel]:
    """Every loaded plugin's settings, checked: its model filled from its table (or its defaults).

    A loaded plugin that declares no model must have no settings. Raises
    :class:`ConfigurationError` (one line: the file, the plugin, the key) on the first problem.
    """
    source = str(config.source) if config.source is not None else DEFAULT_PLUGINS_FILE
    models = settings_models(pm)
    checked: dict[str, BaseModel] = {}
    for name, _plugin in pm.list_name_plugin():
        table = config.settings.get(name, {})
        model = models.get(name)
        if model is None:
            if table:
                key = next(iter(table))
                raise ConfigurationError(
                    f'{source}: [plugins."{name}"] has an unknown setting {key!r} (the plugin takes no settings)'
                )
            continue
        checked[name] = check_settings(name, model, table, source)
    return checked


def effective_settings(model: BaseModel) -> dict[str, object]:
    """A checked settings model as plain values for people (secrets masked), e.g. for ``tobeout plugins``."""
    return {
        key: ("**********" if isinstance(value, pydantic.SecretStr) and value.get_secret_value() else value)
        for key, value in ((key, getattr(model, key)) for key in type(model).model_fields)
    }


async def await_me_maybe(value: object) -> object:
    """Await ``value`` if it is awaitable, else return it."""
    if inspect.isawaitable(value):
        return await value
    return value


async def call_hook(pm: pluggy.PluginManager, name: str, **kwargs: object) -> list[object]:
    """Call hook ``name`` and await each result; returns the non-None results, in pluggy's order."""
    results = getattr(pm.hook, name)(**kwargs)
    out: list[object] = []
    for result in results:
        value = await await_me_maybe(result)
        if value is not None:
            out.append(value)
    return out


async def call_hook_each(
    pm: pluggy.PluginManager, name: str, *, raise_errors: bool = True, **kwargs: object
) -> list[tuple[str, object]]:
    """Call hook ``name`` plugin by plugin (in registration order), so that a failure is pinned
    on the plugin that raised and does not stop the others.

    Returns ``(plugin_name, result)`` pairs. With ``raise_errors`` a failure raises
    ``ConfigurationError`` naming the plugin (startup); without, it is logged and skipped.
    """
    out: list[tuple[str, object]] = []
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
    dists = {ep.name: ep.dist for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    try:
        own = importlib.metadata.version("tobeout")
    except importlib.metadata.PackageNotFoundError:
        own = "unknown"
    rows = []
    for name, plugin in pm.list_name_plugin():
        module = getattr(plugin, "__name__", type(plugin).__module__)
        dist = dists.get(name)
        version = getattr(plugin, "__version__", None)
        if version is None and dist is not None and dist.name != "tobeout":
            version = dist.version
        rows.append({"name": name, "module": module, "version": str(version or f"{own} (built-in)")})
    return rows
