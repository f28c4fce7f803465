"""Integration settings: secrets stored encrypted, answered masked, never logged; owners only."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest

from tests.api.helpers import CSRF, collect_events, register_owner
from tests.fakes import FakeOpenAI, FakeTelegram, FakeTwilio

if TYPE_CHECKING:
    from api.app import App
    from core.models import IntegrationSetting
    from tests.conftest import AppFactory

# Fake credentials: recognisable, never real.
BOT_TOKEN = "123456789:AAH-fake-telegram-token-for-tests-xyz9"
TWILIO_TOKEN = "fake-twilio-auth-token-0123456789abcd"
OPENAI_KEY = "sk-fake-openai-key-for-tests-0123456789"


ACCOUNT_SID = "AC" + "0" * 32


@pytest.fixture
async def app(app_factory: AppFactory, postgres_url: str) -> AsyncIterator[App]:
    """The app pointed at fake Telegram, Twilio and OpenAI servers that know these credentials."""
    with FakeTelegram() as telegram, FakeTwilio() as twilio, FakeOpenAI(api_key=OPENAI_KEY) as openai:
        telegram.add_bot(BOT_TOKEN, "IntegrationsTestBot", 123456789)
        twilio.add_account(ACCOUNT_SID, TWILIO_TOKEN)
        env = {
            "TELEGRAM_API_BASE_URL": telegram.base_url,
            "TWILIO_API_BASE_URL": twilio.base_url,
            "OPENAI_BASE_URL": openai.base_url,
        }
        yield await app_factory(postgres_url, env=env)


async def _row(rid: int, type_: str) -> IntegrationSetting:
    from core.models import IntegrationSetting

    return await IntegrationSetting.get(restaurant_id=rid, type=type_)


async def test_telegram_token_is_stored_encrypted_and_answered_masked(app, caplog):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    owner = await register_owner(client)
    rid = owner["restaurant"]["id"]
    events = collect_events(app)
    response = await client.post(
        "/api/integrations/telegram", json={"botToken": BOT_TOKEN, "enabled": True}, headers=CSRF
    )
    assert response.status_code == 200
    body = await response.get_json()
    assert (body["type"], body["enabled"], body["configured"]) == ("telegram", True, True)
    assert body["settings"]["botToken"] == "••••" + BOT_TOKEN[-4:]
    assert body["settings"]["botUsername"] == "IntegrationsTestBot"
    assert [(e.type, e.data) for e in events] == [("integration.changed", {"type": "telegram"})]

    row = await _row(rid, "telegram")
    assert BOT_TOKEN not in json.dumps(row.settings)
    from core.integrations import decrypt_setting, get_integration
    from core.secrets import SecretBox

    box = SecretBox(app.runtime.settings.encryption_key)
    assert decrypt_setting(await get_integration(rid, "telegram"), "botToken", box) == BOT_TOKEN

    got = await (await client.get("/api/integrations/telegram")).get_json()
    assert got["settings"]["botToken"] == "••••" + BOT_TOKEN[-4:] and got["enabled"] is True
    assert BOT_TOKEN not in caplog.text


async def test_saving_without_the_secret_or_with_its_mask_keeps_it_and_empty_removes_it(app):
    client = app.test_client()
    owner = await register_owner(client)
    rid = owner["restaurant"]["id"]
    await client.post("/api/integrations/telegram", json={"botToken": BOT_TOKEN}, headers=CSRF)
    response = await client.post("/api/integrations/telegram", json={"enabled": False}, headers=CSRF)
    body = await response.get_json()
    assert body["enabled"] is False and body["configured"] is True
    masked = body["settings"]["botToken"]
    await client.post("/api/integrations/telegram", json={"botToken": masked, "enabled": True}, headers=CSRF)
    from core.integrations import decrypt_setting
    from core.secrets import SecretBox

    box = SecretBox(app.runtime.settings.encryption_key)
    assert decrypt_setting(await _row(rid, "telegram"), "botToken", box) == BOT_TOKEN
    body = await (await client.post("/api/integrations/telegram", json={"botToken": ""}, headers=CSRF)).get_json()
    assert body["configured"] is False and body["settings"] == {}


async def test_whatsapp_and_openai_settings(app, caplog):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    owner = await register_owner(client)
    rid = owner["restaurant"]["id"]
    # Before the first save, the Twilio channels already show the webhook URL to paste in the Twilio console.
    before = {i["type"]: i for i in await (await client.get("/api/integrations")).get_json()}
    for type_ in ("whatsapp", "sms"):
        assert before[type_]["configured"] is False
        assert before[type_]["settings"]["webhookUrl"].endswith(f"/channels/{type_}/{rid}/webhook")
    assert before["telegram"]["settings"] == {} and before["openai"]["settings"] == {}  # they need none
    one = await (await client.get("/api/integrations/whatsapp")).get_json()
    assert one["settings"] == before["whatsapp"]["settings"]
    whatsapp = {"accountSid": ACCOUNT_SID, "authToken": TWILIO_TOKEN, "fromNumber": "+14155238886", "enabled": True}
    body = await (await client.post("/api/integrations/whatsapp", json=whatsapp, headers=CSRF)).get_json()
    assert {k: body["settings"][k] for k in ("accountSid", "authToken", "fromNumber")} == {
        "accountSid": ACCOUNT_SID,
        "authToken": "••••" + TWILIO_TOKEN[-4:],
        "fromNumber": "+14155238886",
    }
    body = await (
        await client.post("/api/integrations/openai", json={"apiKey": OPENAI_KEY, "model": "gpt-4o-mini"}, headers=CSRF)
    ).get_json()
    assert body["settings"] == {"apiKey": "••••" + OPENAI_KEY[-4:], "model": "gpt-4o-mini"}
    assert body["enabled"] is True
    for type_, secret in (("whatsapp", TWILIO_TOKEN), ("openai", OPENAI_KEY)):
        assert secret not in json.dumps((await _row(rid, type_)).settings)
    everything = await (await client.get("/api/integrations/settings")).get_json()
    assert [i["type"] for i in everything] == ["email", "openai", "sms", "telegram", "whatsapp"]  # every declared type
    assert [i["configured"] for i in everything] == [False, True, False, False, True]
    assert await (await client.get("/api/integrations")).get_json() == everything
    text = json.dumps(everything)
    assert TWILIO_TOKEN not in text and OPENAI_KEY not in text
    assert TWILIO_TOKEN not in caplog.text and OPENAI_KEY not in caplog.text


async def test_bad_integration_input_is_400(client):
    await register_owner(client)
    response = await client.post("/api/integrations/telegram", json={"botToken": "no colon here"}, headers=CSRF)
    assert response.status_code == 400
    assert (await response.get_json())["errors"][0]["path"] == "botToken"
    response = await client.post("/api/integrations/openai", json={"enabled": "maybe"}, headers=CSRF)
    assert response.status_code == 400


async def test_each_restaurant_sees_only_its_own_integrations(app):
    first = app.test_client()
    await register_owner(first)
    await first.post("/api/integrations/telegram", json={"botToken": BOT_TOKEN}, headers=CSRF)
    second = app.test_client()
    await register_owner(second)
    body = await (await second.get("/api/integrations/telegram")).get_json()
    assert body["configured"] is False and body["settings"] == {}


async def test_plugins_read_credentials_through_core_integrations(app):
    from core.integrations import decrypted_settings, get_integration, public_settings, save_integration
    from core.secrets import SecretBox

    client = app.test_client()
    owner = await register_owner(client)
    rid = owner["restaurant"]["id"]
    box = SecretBox(app.runtime.settings.encryption_key)
    row = await save_integration(rid, "custom", {"apiKey": "k" * 20, "region": "eu"}, ["apiKey"], box)
    assert decrypted_settings(await get_integration(rid, "custom"), box) == {"apiKey": "k" * 20, "region": "eu"}
    assert public_settings(row, box) == {"apiKey": "••••kkkk", "region": "eu"}
    assert public_settings(row, SecretBox("A" * 43 + "=")) == {"apiKey": "••••", "region": "eu"}


async def test_a_refused_openai_key_is_400_and_nothing_is_stored(app):
    client = app.test_client()
    owner = await register_owner(client)
    response = await client.post("/api/integrations/openai", json={"apiKey": "sk-wrong-key-0123456789"}, headers=CSRF)
    assert response.status_code == 400
    assert "OpenAI refused this API key" in (await response.get_json())["errors"][0]["message"]
    from core.models import IntegrationSetting

    assert not await IntegrationSetting.filter(restaurant_id=owner["restaurant"]["id"], type="openai").exists()


async def test_unknown_types_and_keys_are_refused_and_shown_values_are_read_only(app):
    client = app.test_client()
    await register_owner(client)
    response = await client.get("/api/integrations/instagram")
    assert response.status_code == 404
    assert "known: email, openai, sms, telegram, whatsapp" in (await response.get_json())["message"]
    assert (await client.post("/api/integrations/instagram", json={}, headers=CSRF)).status_code == 404
    response = await client.post("/api/integrations/telegram", json={"botTokn": BOT_TOKEN}, headers=CSRF)
    assert response.status_code == 400
    assert (await response.get_json())["errors"][0]["path"] == "botTokn"
    response = await client.post("/api/integrations/telegram", json=["botToken"], headers=CSRF)
    assert response.status_code == 400
    response = await client.post("/api/integrations/telegram", json={"botToken": BOT_TOKEN}, headers=CSRF)
    saved = await response.get_json()
    # the dashboard may send back what it was shown: the values the check stored are read-only
    again = await client.post("/api/integrations/telegram", json={**saved["settings"], "enabled": True}, headers=CSRF)
    assert again.status_code == 200, await again.get_data(as_text=True)
    assert (await again.get_json())["settings"]["botUsername"] == "IntegrationsTestBot"


async def test_a_restaurants_own_openai_key_and_model_drive_its_conversations_only(app_factory, postgres_url):
    """Restaurant A saves its own key and model; its guests' turns reach OpenAI with them, B's with the service's."""
    own_key, service_key = "sk-restaurant-a-own-key-0123456789", "sk-service-env-key-0123456789"
    with FakeOpenAI() as openai:
        env = {"OPENAI_API_KEY": service_key, "OPENAI_BASE_URL": openai.base_url, "OPENAI_MODEL": "gpt-4o"}
        app = await app_factory(postgres_url, env=env)
        first, second = app.test_client(), app.test_client()
        a = (await register_owner(first, restaurant_name="A"))["restaurant"]["id"]
        b = (await register_owner(second, restaurant_name="B"))["restaurant"]["id"]
        saved = await first.post(
            "/api/integrations/openai", json={"apiKey": own_key, "model": "gpt-4o-mini"}, headers=CSRF
        )
        assert saved.status_code == 200, await saved.get_data(as_text=True)
        [check] = [r for r in openai.requests if r.path.startswith("/v1/models/")]
        assert (check.path, check.headers["authorization"]) == ("/v1/models/gpt-4o-mini", f"Bearer {own_key}")
        openai.clear_requests()

        guest = app.test_client()
        for rid, session in ((a, "guest-of-a-0001"), (b, "guest-of-b-0001"), (a, "guest-of-a-0002")):
            response = await guest.post(f"/channels/webchat/{rid}/messages", json={"sessionId": session, "text": "hi"})
            assert response.status_code == 200
        chats = [r for r in openai.requests if r.path.endswith("/chat/completions")]
        assert [(r.headers["authorization"], r.body["model"]) for r in chats] == [
            (f"Bearer {own_key}", "gpt-4o-mini"),
            (f"Bearer {service_key}", "gpt-4o"),
            (f"Bearer {own_key}", "gpt-4o-mini"),
        ]

        # switched off, the restaurant's conversations go back to the service's key
        await first.post("/api/integrations/openai", json={"enabled": False}, headers=CSRF)
        openai.clear_requests()
        await guest.post(f"/channels/webchat/{a}/messages", json={"sessionId": "guest-of-a-0003", "text": "hi"})
        [chat] = [r for r in openai.requests if r.path.endswith("/chat/completions")]
        assert chat.headers["authorization"] == f"Bearer {service_key}"
