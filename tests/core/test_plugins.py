"""plugins.toml parsing, plugin loading errors that name the plugin, and hook calling."""

from __future__ import annotations

import sys
import types

import pytest

from core.errors import ConfigurationError
from core.hookspecs import hookimpl
from core.plugins import PluginConfig, call_hook, call_hook_each, make_plugin_manager, read_plugins_file


def test_plugins_file_lists_enabled_plugins_and_settings(tmp_path):
    path = tmp_path / "plugins.toml"
    path.write_text('[plugins."a.b"]\nlimit = 3\n[plugins."c.d"]\nenabled = false\n')
    config = read_plugins_file(path)
    assert config.enabled == ("a.b",)
    assert config.disabled == {"c.d"}
    assert config.settings["a.b"] == {"limit": 3}


def test_broken_plugins_file_is_a_clear_error(tmp_path):
    path = tmp_path / "plugins.toml"
    path.write_text("[plugins\n")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        read_plugins_file(path)


def test_plugin_that_fails_to_import_is_named():
    with pytest.raises(ConfigurationError, match="'no_such_module_xyz' failed to import"):
        make_plugin_manager(PluginConfig(("no_such_module_xyz",), frozenset(), {}), entry_points=False)


async def test_sync_and_async_hooks_are_awaited_and_failures_named():
    class Sync:
        @hookimpl
        def tobeout_readiness(self, runtime):
            return {"sync": {"ok": True}}

    class Async:
        @hookimpl
        async def tobeout_readiness(self, runtime):
            return {"async": {"ok": True}}

    class Broken:
        @hookimpl
        async def tobeout_startup(self, runtime):
            raise RuntimeError("no token")

    pm = make_plugin_manager(PluginConfig((), frozenset(), {}), entry_points=False, extra=[Sync(), Async()])
    results = await call_hook(pm, "tobeout_readiness", runtime=None)
    assert {"sync": {"ok": True}} in results and {"async": {"ok": True}} in results
    pm.register(Broken(), name="broken-plugin")
    with pytest.raises(ConfigurationError, match="'broken-plugin' failed in tobeout_startup: RuntimeError: no token"):
        await call_hook_each(pm, "tobeout_startup", runtime=None)
    assert await call_hook_each(pm, "tobeout_startup", raise_errors=False, runtime=None) == []


def test_built_in_module_plugins_are_registered_by_name(monkeypatch):
    module = types.ModuleType("tobeout_test_plugin")

    @hookimpl
    def tobeout_readiness(runtime):
        return {}

    module.tobeout_readiness = tobeout_readiness
    monkeypatch.setitem(sys.modules, "tobeout_test_plugin", module)
    pm = make_plugin_manager(PluginConfig(("tobeout_test_plugin",), frozenset(), {}), entry_points=False)
    assert pm.has_plugin("tobeout_test_plugin")
