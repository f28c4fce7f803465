"""The platform from outside: built-in plugins travel with the package, their settings are checked,
``tobeout plugins`` shows what runs, and ``tobeout serve`` works from any directory."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
import pytest

from api.cli import main
from core.errors import ConfigurationError
from core.plugins import PluginConfig, make_plugin_manager, read_plugins_file
from tests.serving import free_port, run_tobeout

ROOT = Path(__file__).resolve().parents[2]


def test_the_built_in_plugins_settings_are_checked_when_the_app_is_built(tmp_path):
    from api.app import create_app
    from tests.conftest import make_settings

    path = tmp_path / "plugins.toml"
    path.write_text('[plugins."core.conversation.builtin_tools"]\nrate_limit_per_minute = "thirty"\n')
    settings = make_settings(tmp_path, f"sqlite://{tmp_path}/db.sqlite3", TOBEOUT_PLUGINS_FILE=str(path))
    with pytest.raises(ConfigurationError) as error:
        create_app(settings)
    assert '[plugins."core.conversation.builtin_tools"] rate_limit_per_minute' in error.value.message
    path.write_text('[plugins."channels.webchat"]\nsession_messages_per_mintue = 5\n')
    with pytest.raises(ConfigurationError, match="channels.webchat.*unknown setting 'session_messages_per_mintue'"):
        create_app(settings)
    path.write_text('[plugins."channels.telegram"]\nenabled = "no"\n')
    with pytest.raises(ConfigurationError, match='channels.telegram"\\] enabled must be true or false'):
        create_app(settings)


def test_the_built_in_plugins_load_without_a_plugins_file():
    pm = make_plugin_manager(read_plugins_file(None))
    for name in (
        "core.conversation.builtin_tools",
        "channels.webchat",
        "channels.telegram",
        "channels.whatsapp",
        "plugins.notifications",
    ):
        assert pm.has_plugin(name), name
    pm = make_plugin_manager(PluginConfig((), frozenset({"channels.telegram"}), {}))
    assert not pm.has_plugin("channels.telegram") and pm.has_plugin("channels.whatsapp")


async def test_enabled_false_for_the_built_in_tools_is_honoured(app_factory, postgres_url, tmp_path):
    path = tmp_path / "plugins.toml"
    path.write_text('[plugins."core.conversation.builtin_tools"]\nenabled = false\nrate_limit_per_minute = 5\n')
    app = await app_factory(postgres_url, env={"TOBEOUT_PLUGINS_FILE": str(path)})
    assert not app.runtime.plugins.has_plugin("core.conversation.builtin_tools")
    assert "create_reservation" not in await app.runtime.engine.tools()
    assert app.runtime.engine.rate_limit == 5  # the engine's own settings still apply
    assert "openai" not in app.runtime.integrations  # its plugin declares the OpenAI integration


def test_tobeout_plugins_prints_the_effective_settings(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOBEOUT_PLUGINS_FILE", raising=False)
    monkeypatch.setenv("TOBEOUT_VAR_DIR", str(tmp_path / "var"))
    (tmp_path / "plugins.toml").write_text(
        '[plugins."channels.webchat"]\nsession_messages_per_minute = 7\n'
        '[plugins."channels.whatsapp"]\nenabled = false\n'
    )
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert f"plugin settings from {tmp_path.resolve() / 'plugins.toml'}" in out
    webchat = out[out.index("channels.webchat") :]
    assert "session_messages_per_minute = 7" in webchat and "address_messages_per_minute = 120" in webchat
    assert "rate_limit_per_minute = 30" in out  # a default, not in the file
    assert "channels.whatsapp" in out and "(enabled = false)" in out

    (tmp_path / "plugins.toml").write_text('[plugins."channels.webchat"]\nsession_messages_per_minute = "x"\n')
    assert main(["plugins"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and 'plugins."channels.webchat"] session_messages_per_minute' in err


def test_tobeout_serve_from_an_empty_directory_serves_the_channels(tmp_path, tobeout_servers):
    """A pip-installed service started elsewhere: no plugins.toml, relative var/ under its own directory."""
    cwd = tmp_path / "empty"
    cwd.mkdir()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOBEOUT_", "DATABASE_URL", "REDIS_URL"))}
    env.update(TOBEOUT_ENV="development", PYTHONPATH="")
    for command in (["db", "upgrade"], ["demo-data"]):
        run_tobeout(command, env, cwd)
    with tobeout_servers.start(port, env, cwd, timeout=60) as server:
        base = server.base
        assert httpx.get(f"{base}/", timeout=5).status_code == 200  # the web chat's demo page
        assert httpx.get(f"{base}/widget.js", timeout=5).status_code == 200
        chat = httpx.post(
            f"{base}/channels/webchat/1/messages", json={"sessionId": "visitor-0001", "text": "hi"}, timeout=30
        )
        assert chat.status_code == 200 and chat.json()["replies"][0]["text"]  # the guided flow answers
        assert httpx.post(f"{base}/channels/telegram/1/webhook", json={}, timeout=5).status_code == 403
        assert httpx.post(f"{base}/channels/whatsapp/1/webhook", data={}, timeout=5).status_code == 403
        assert (cwd / "var" / "tobeout.sqlite3").exists() and (cwd / "var" / "secret_key").exists()
        server.stop(signal.SIGINT, timeout=20)
    assert "no plugins.toml here: the built-in plugins run with their defaults" in server.output()


async def test_a_channels_own_environment_variable_is_checked_at_startup(tmp_path):
    from api.app import create_app
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, f"sqlite://{tmp_path}/db.sqlite3", TELEGRAM_API_BASE_URL="http//broken")
    app = create_app(settings)
    with pytest.raises(Exception) as error:  # the test app wraps startup errors in its LifespanError
        async with app.test_app():
            pass
    message = str(error.value)
    assert "TELEGRAM_API_BASE_URL is not a valid URL" in message
    assert "'channels.telegram' failed" in message and "\n" not in message


def test_the_repositorys_plugins_toml_shows_the_defaults():
    from core.plugins import check_plugin_settings

    with_file = read_plugins_file(ROOT / "plugins.toml")
    pm = make_plugin_manager(with_file)
    assert {name: m.model_dump() for name, m in check_plugin_settings(pm, with_file).items()} == {
        name: m.model_dump() for name, m in check_plugin_settings(pm, PluginConfig((), frozenset(), {})).items()
    }
