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


def _plugin_with_settings(monkeypatch: pytest.MonkeyPatch) -> str:
    from pydantic import Field

    from core.plugins import PluginSettings

    class Limits(PluginSettings):
        rate_limit_per_minute: int = Field(30, ge=1)

    module = types.ModuleType("tobeout_settings_plugin")

    @hookimpl
    def tobeout_plugin_settings():
        return Limits

    module.tobeout_plugin_settings = tobeout_plugin_settings
    monkeypatch.setitem(sys.modules, "tobeout_settings_plugin", module)
    return "tobeout_settings_plugin"


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("rate_limit_per_minute = 'thirty'", "rate_limit_per_minute: Input should be a valid integer"),
        ("rate_limit_per_minute = 0", "rate_limit_per_minute: Input should be greater than or equal to 1"),
        ("rate_limt_per_minute = 10", "unknown setting 'rate_limt_per_minute' (known settings: rate_limit_per_minute)"),
    ],
)
def test_a_bad_value_or_an_unknown_key_is_one_line_naming_the_plugin_and_the_key(
    tmp_path, monkeypatch, table, expected
):
    from core.plugins import check_plugin_settings

    name = _plugin_with_settings(monkeypatch)
    path = tmp_path / "plugins.toml"
    path.write_text(f'[plugins."{name}"]\n{table}\n')
    config = read_plugins_file(path)
    pm = make_plugin_manager(config, entry_points=False)
    with pytest.raises(ConfigurationError) as error:
        check_plugin_settings(pm, config)
    assert error.value.message.startswith(f'{path}: [plugins."{name}"] ')
    assert expected in error.value.message and "\n" not in error.value.message


def test_checked_settings_have_their_defaults_and_a_plugin_without_a_model_takes_none(tmp_path, monkeypatch):
    from core.plugins import check_plugin_settings

    name = _plugin_with_settings(monkeypatch)
    config = PluginConfig((name,), frozenset(), {})
    checked = check_plugin_settings(make_plugin_manager(config, entry_points=False), config)
    assert checked[name].model_dump() == {"rate_limit_per_minute": 30}
    module = types.ModuleType("tobeout_bare_plugin")
    monkeypatch.setitem(sys.modules, "tobeout_bare_plugin", module)
    config = PluginConfig(("tobeout_bare_plugin",), frozenset(), {"tobeout_bare_plugin": {"limit": 1}})
    with pytest.raises(ConfigurationError, match="unknown setting 'limit' \\(the plugin takes no settings\\)"):
        check_plugin_settings(make_plugin_manager(config, entry_points=False), config)


def test_which_plugins_file_is_read(tmp_path):
    from core.plugins import locate_plugins_file

    assert locate_plugins_file(None, cwd=tmp_path) is None  # no file: the built-ins with their defaults
    (tmp_path / "plugins.toml").write_text("")
    assert locate_plugins_file(None, cwd=tmp_path) == (tmp_path / "plugins.toml").resolve()
    other = tmp_path / "elsewhere.toml"
    other.write_text("")
    assert locate_plugins_file(other, cwd=tmp_path) == other.resolve()
    with pytest.raises(ConfigurationError, match="TOBEOUT_PLUGINS_FILE names .*missing.toml, which is not a file"):
        locate_plugins_file(tmp_path / "missing.toml", cwd=tmp_path)


def test_a_misspelt_hook_is_refused_at_start_up_naming_the_plugin():
    class Misspelt:
        @hookimpl
        def tobeout_readyness(self, runtime):  # one letter off tobeout_readiness
            return {}

    with pytest.raises(ConfigurationError, match="tobeout_readyness"):
        make_plugin_manager(PluginConfig((), frozenset(), {}), entry_points=False, extra=[Misspelt()])


def test_every_installed_plugin_implements_only_hooks_that_exist():
    pm = make_plugin_manager(PluginConfig((), frozenset(), {}))
    assert pm.list_name_plugin(), "the built-in plugins are found through their entry points"
