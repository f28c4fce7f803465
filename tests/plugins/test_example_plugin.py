"""The example plugin, loaded as a separate installed package through its `tobeout.plugins` entry point."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from core.demo import load_demo_data
from core.models import Restaurant
from core.plugins import PluginConfig, describe_plugins, make_plugin_manager, read_plugins_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "plugins" / "example"
SECRET = "example-shared-secret"


@pytest.fixture
def installed_example(tmp_path, monkeypatch):
    """What `pip install ./plugins/example` leaves: the package importable, and a dist-info whose
    entry points are the ones its own pyproject.toml declares."""
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["project"]
    dist = tmp_path / "site" / f"tobeout_example_plugin-{project['version']}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    for group, entries in project["entry-points"].items():
        lines = [f"[{group}]", *(f"{name} = {target}" for name, target in entries.items())]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.syspath_prepend(str(EXAMPLE))
    yield
    for name in [m for m in sys.modules if m.startswith("tobeout_example")]:
        del sys.modules[name]


def test_the_entry_point_loads_the_plugin_with_its_version(installed_example):
    pm = make_plugin_manager(PluginConfig((), frozenset(), {}))
    assert pm.has_plugin("example")
    row = next(r for r in describe_plugins(pm) if r["name"] == "example")
    assert (row["module"], row["version"]) == ("tobeout_example.plugin", "1.0.0")


def test_plugins_toml_can_switch_it_off(installed_example):
    pm = make_plugin_manager(PluginConfig((), frozenset({"example"}), {}))
    assert not pm.has_plugin("example")


async def test_its_channel_tool_and_readiness_work_in_the_app(installed_example, app_factory, postgres_url):
    config = read_plugins_file(ROOT / "plugins.toml")
    settings = {**config.settings, "example": {"shared_secret": SECRET, "parking": "Behind the restaurant."}}
    app = await app_factory(postgres_url, plugin_config=PluginConfig(config.enabled, config.disabled, settings))
    await load_demo_data()
    rid = (await Restaurant.first()).id
    client = app.test_client()
    path = f"/channels/example/{rid}/inbound"
    body = {"userId": "u-1", "text": "hello", "messageId": "m-1"}

    assert (await client.post(path, json=body)).status_code == 403
    assert (await client.post(path, json=body, headers={"X-Example-Secret": "wrong"})).status_code == 403
    response = await client.post(path, json=body, headers={"X-Example-Secret": SECRET})
    assert response.status_code == 200
    assert (await response.get_json())["replies"][0]["text"]
    again = await client.post(path, json=body, headers={"X-Example-Secret": SECRET})
    assert (await again.get_json())["replies"] == []  # the same message id is handled once

    tools = await app.runtime.engine.tools()
    assert {"get_parking_info", "create_reservation", "cancel_reservation"} <= set(tools)
    result = await tools["get_parking_info"].handler(type("Ctx", (), {"runtime": app.runtime})(), {})
    assert result == {"parking": "Behind the restaurant."}

    ready = await (await client.get("/readyz")).get_json()
    assert ready["checks"]["example"] == {"ok": True, "detail": "configured"}
