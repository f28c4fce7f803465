"""The example plugin, a complete third-party channel loaded as an installed package through its entry point.

End to end through the real app: the owner connects the restaurant's gateway through the
generic integrations route (secret encrypted and masked, the gateway pinged), the gateway
posts signed messages (forged, unsigned and stale ones are refused), a guest books through
the engine, a staff change reaches the guest once through the gateway, and ``/readyz``
reports the connection.
"""

from __future__ import annotations

import json
import sys
import time
import tomllib
from pathlib import Path

import pytest

from core.models import Reservation, Restaurant, Table
from core.plugins import PluginConfig, describe_plugins, make_plugin_manager, read_plugins_file
from plugins.notifications.plugin import NOTIFIER
from tests.api.helpers import CSRF, register_owner
from tests.clock import OPEN_ALL_WEEK
from tests.fakes import FakeGateway, signed_headers

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "plugins" / "example"
SECRET = "gateway-signing-secret-0123456789"
SENDER = "+447700900123"


@pytest.fixture
def installed_example(tmp_path, monkeypatch):
    """What `pip install ./plugins/example` leaves: the package importable, and a dist-info whose
    entry points are the ones its own pyproject.toml declares."""
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["project"]
    dist = tmp_path / "site" / f"tobeout_example_plugin-{project['version']}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    lines: list[str] = []
    for group, entries in project["entry-points"].items():
        lines += [f"[{group}]", *(f"{name} = {target}" for name, target in entries.items())]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.syspath_prepend(str(EXAMPLE))
    yield
    for name in [m for m in sys.modules if m.startswith("tobeout_example")]:
        del sys.modules[name]


@pytest.fixture
def gateway():
    with FakeGateway(SECRET) as fake:
        yield fake


def test_the_entry_point_loads_the_plugin_with_its_version(installed_example):
    pm = make_plugin_manager(PluginConfig((), frozenset(), {}))
    assert pm.has_plugin("example")
    row = next(r for r in describe_plugins(pm) if r["name"] == "example")
    assert (row["module"], row["version"]) == ("tobeout_example.plugin", "1.0.0")


def test_plugins_toml_can_switch_it_off(installed_example):
    pm = make_plugin_manager(PluginConfig((), frozenset({"example"}), {}))
    assert not pm.has_plugin("example")


async def _app(app_factory, postgres_url, clock, fake_openai, **example_settings):
    config = read_plugins_file(ROOT / "plugins.toml")
    settings = {**config.settings, "example": {"parking": "Behind the restaurant.", **example_settings}}
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_TIMEOUT": "2"}
    return await app_factory(
        postgres_url, env=env, clock=clock, plugin_config=PluginConfig(config.enabled, config.disabled, settings)
    )


async def _restaurant(client) -> int:
    rid = (await register_owner(client, restaurant_name="Chez Test"))["restaurant"]["id"]
    await Restaurant.filter(id=rid).update(
        timezone="Europe/London",
        opening_hours=OPEN_ALL_WEEK,
        avg_reservation_duration=120,
        min_notice_minutes=30,
        max_advance_days=60,
        slot_interval_minutes=30,
    )
    await Table.create(restaurant_id=rid, name="T1", min_guests=1, max_guests=4)
    return rid


async def _post(client, rid: int, payload: dict, secret: str = SECRET, timestamp: int | None = None):
    body = json.dumps(payload).encode()
    return await client.post(
        f"/channels/example/{rid}/webhook", data=body, headers=signed_headers(secret, body, timestamp)
    )


async def test_a_restaurant_connects_its_gateway_through_the_generic_route(
    installed_example, app_factory, postgres_url, clock, fake_openai, gateway
):
    app = await _app(app_factory, postgres_url, clock, fake_openai)
    owner = app.test_client()
    rid = await _restaurant(owner)

    bad = await owner.post("/api/integrations/example", json={"signingSecret": "short"}, headers=CSRF)
    assert bad.status_code == 400 and (await bad.get_json())["errors"][0]["path"] == "signingSecret"
    wrong = {"signingSecret": "not-the-gateways-secret-000", "outboundUrl": gateway.outbound_url}
    refused = await owner.post("/api/integrations/example", json=wrong, headers=CSRF)
    assert refused.status_code == 400, await refused.get_data(as_text=True)
    assert "refused our signature" in (await refused.get_json())["errors"][0]["message"]
    assert (await (await owner.get("/api/integrations/example")).get_json())["configured"] is False

    body = {"signingSecret": SECRET, "outboundUrl": gateway.outbound_url, "enabled": True}
    saved = await owner.post("/api/integrations/example", json=body, headers=CSRF)
    assert saved.status_code == 200, await saved.get_data(as_text=True)
    shown = await saved.get_json()
    assert shown["configured"] is True and shown["settings"]["signingSecret"] == "••••" + SECRET[-4:]
    assert shown["settings"]["webhookUrl"] == f"http://tobeout.test/channels/example/{rid}/webhook"
    assert SECRET not in json.dumps(shown)
    assert [r.body for r in gateway.requests][-1] == {"type": "ping"}  # checked with the gateway, signed
    listed = await (await owner.get("/api/integrations")).get_json()
    [described] = [i for i in listed if i["type"] == "example"]
    # what a dashboard needs to draw the form of a type it has never heard of
    assert (described["label"], described["secretKeys"]) == ("Example SMS gateway", ["signingSecret"])
    fields = described["settingsSchema"]["properties"]
    assert set(fields) == {"signingSecret", "outboundUrl"}
    assert fields["signingSecret"]["anyOf"][0]["writeOnly"] is True

    ready = await (await owner.get("/api/health")).get_json()
    assert ready["checks"][f"example:{rid}"] == {"ok": True, "detail": "connected"}


async def test_signed_messages_book_through_the_engine_and_a_staff_change_is_told_once(
    installed_example, app_factory, postgres_url, clock, fake_openai, gateway
):
    app = await _app(app_factory, postgres_url, clock, fake_openai)
    owner = app.test_client()
    rid = await _restaurant(owner)
    body = {"signingSecret": SECRET, "outboundUrl": gateway.outbound_url}
    assert (await owner.post("/api/integrations/example", json=body, headers=CSRF)).status_code == 200
    guest = app.test_client()
    hello = {"messageId": "sms-1", "from": SENDER, "text": "hello"}

    raw = json.dumps(hello).encode()
    path = f"/channels/example/{rid}/webhook"
    assert (await guest.post(path, data=raw, headers={"Content-Type": "application/json"})).status_code == 403
    assert (await _post(guest, rid, hello, secret="a-forger-guessing-the-secret")).status_code == 403
    assert (await _post(guest, rid, hello, timestamp=int(time.time()) - 3600)).status_code == 403
    tampered = signed_headers(SECRET, raw)
    assert (await guest.post(path, data=raw.replace(b"hello", b"HELLO"), headers=tampered)).status_code == 403
    assert (await _post(guest, rid, {"messageId": "sms-0", "text": "no sender"})).status_code == 400
    assert not fake_openai.chat_requests  # nothing refused reached the engine

    fake_openai.queue_text("Hello! How can I help?")
    first = await _post(guest, rid, hello)
    assert first.status_code == 200
    assert (await first.get_json())["replies"][0]["text"] == "Hello! How can I help?"
    again = await _post(guest, rid, hello)
    assert (await again.get_json())["replies"] == []  # a redelivered message id is handled once

    slot = {"date": "2026-11-27", "time": "19:30", "guests": 2, "name": "Anna", "phone": SENDER}
    fake_openai.queue_tool_calls([("get_parking_info", {}), ("create_reservation", slot)])
    fake_openai.queue_text("Booked for Friday 19:30! Parking is behind the restaurant.")
    booked = await _post(guest, rid, {"messageId": "sms-2", "from": SENDER, "text": "Friday 19:30 for 2, Anna"})
    assert (await booked.get_json())["replies"][0]["text"].startswith("Booked for Friday")
    tool_results = [m for m in fake_openai.last_chat_request["messages"] if m["role"] == "tool"]
    assert json.loads(tool_results[0]["content"]) == {"parking": "Behind the restaurant."}
    reservation = await Reservation.get(restaurant_id=rid)
    assert (reservation.guests, reservation.source) == (2, "example")

    await app.runtime.stash[NOTIFIER].drain()
    assert gateway.messages == []  # the guest's own booking was answered in the chat, not told again
    canceled = await owner.post(f"/api/booking/cancel/{reservation.id}", headers=CSRF)
    assert canceled.status_code == 200
    await app.runtime.stash[NOTIFIER].drain()
    told = gateway.messages
    assert len(told) == 1 and told[0]["to"] == SENDER  # the staff change, told once
    assert f"#{reservation.id}" in told[0]["text"] and "canceled" in told[0]["text"]


async def test_a_failing_gateway_shows_in_readyz(
    installed_example, app_factory, postgres_url, clock, fake_openai, gateway
):
    app = await _app(app_factory, postgres_url, clock, fake_openai)
    owner = app.test_client()
    rid = await _restaurant(owner)
    body = {"signingSecret": SECRET, "outboundUrl": gateway.outbound_url}
    assert (await owner.post("/api/integrations/example", json=body, headers=CSRF)).status_code == 200
    from core.conversation.types import Reply
    from core.errors import ChannelError

    adapter = app.runtime.channels["example"]
    gateway.fail_next(503)
    with pytest.raises(ChannelError) as failed:
        await adapter.send(rid, SENDER, [Reply("Your table is ready.")])
    assert failed.value.retryable
    ready = await (await owner.get("/api/health")).get_json()
    assert ready["checks"][f"example:{rid}"]["ok"] is False
    await adapter.send(rid, SENDER, [Reply("Your table is ready.")])
    ready = await (await owner.get("/api/health")).get_json()
    assert ready["checks"][f"example:{rid}"]["ok"] is True
    assert gateway.messages[-1]["text"] == "Your table is ready."


async def test_its_settings_are_checked_at_startup(installed_example, app_factory, postgres_url, clock, fake_openai):
    from core.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as error:
        await _app(app_factory, postgres_url, clock, fake_openai, signature_tolerance_seconds="soon")
    assert 'plugins."example"' in error.value.message and "signature_tolerance_seconds" in error.value.message
