"""Saving Twilio credentials through the integrations API, and their health in /api/health."""

from __future__ import annotations

from core.models import IntegrationSetting
from tests.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC, WA_SENDER
from tests.channels.whatsapp.helpers import connect_sender, inbound, post_inbound, sent_bodies


async def test_saving_checks_the_credentials_and_shows_the_webhook_url(make_env, fake_twilio):
    env = await make_env()
    body = await env.save(
        "whatsapp",
        {"accountSid": ACCOUNT_SID, "authToken": AUTH_TOKEN, "fromNumber": "whatsapp:+1 415 523 8886", "enabled": True},
    )
    url = f"{PUBLIC}/channels/whatsapp/{env.restaurant_id}/webhook"
    shown = body["settings"]
    assert shown["webhookUrl"] == url and shown["fromNumber"] == WA_SENDER
    assert shown["status"]["ok"] is True and url in shown["status"]["detail"]
    assert shown["authToken"].startswith("••••") and AUTH_TOKEN not in str(body)
    assert any(r.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}.json" for r in fake_twilio.requests)
    row = await IntegrationSetting.get(restaurant_id=env.restaurant_id, type="whatsapp")
    assert AUTH_TOKEN not in str(row.settings)


async def test_refused_credentials_are_a_clear_400_and_nothing_is_stored(make_env, fake_twilio):
    env = await make_env()
    body = await env.save(
        "whatsapp",
        {"accountSid": ACCOUNT_SID, "authToken": "wrong-token", "fromNumber": WA_SENDER, "enabled": True},
        expect=400,
    )
    assert body["errors"][0]["path"] == "authToken"
    assert body["errors"][0]["message"].startswith("Twilio refused these credentials")
    assert not await IntegrationSetting.filter(restaurant_id=env.restaurant_id, type="whatsapp").exists()
    body = await env.save(
        "whatsapp",
        {"accountSid": ACCOUNT_SID, "authToken": AUTH_TOKEN, "fromNumber": "call me maybe", "enabled": True},
        expect=400,
    )
    assert body["errors"][0]["path"] == "fromNumber"


async def test_readiness_reports_wrong_credentials(make_env, fake_twilio):
    env = await make_env()
    await connect_sender(env)
    client = env.owner
    ready = await (await client.get("/api/health")).get_json()
    assert ready["checks"][f"whatsapp:{env.restaurant_id}"]["ok"] is True

    fake_twilio.add_account(ACCOUNT_SID, "rotated-in-the-console")  # the owner rotated the auth token at Twilio
    await env.runtime.cache.delete(f"whatsapp:status:{env.restaurant_id}")  # as when the cached status expires
    response = await client.get("/api/health")
    assert response.status_code == 200
    check = (await response.get_json())["checks"][f"whatsapp:{env.restaurant_id}"]
    assert check["ok"] is False and "20003" in check["detail"]
    shown = await (await env.owner.get("/api/integrations/whatsapp")).get_json()
    assert shown["settings"]["status"]["ok"] is False


async def test_a_refused_send_is_reported_at_once(make_env, fake_twilio):
    env = await make_env()
    await connect_sender(env)
    await env.runtime.cache.delete(f"whatsapp:status:{env.restaurant_id}")
    fake_twilio.fail_next(401, 20003, "Authenticate")
    await post_inbound(env, inbound("Hi"))
    await env.drain()
    assert sent_bodies(fake_twilio) == []
    check = (await (await env.owner.get("/api/health")).get_json())["checks"][f"whatsapp:{env.restaurant_id}"]
    assert check["ok"] is False and "Twilio refused the account's credentials" in check["detail"]
