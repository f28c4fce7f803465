"""Connecting a bot through the integrations API, its health in /api/health, and long polling."""

from __future__ import annotations

import asyncio

from channels.telegram.polling import poll
from core.models import IntegrationSetting
from tests.channels.conftest import BOT_ID, BOT_TOKEN, PUBLIC
from tests.channels.telegram.helpers import GUEST_ID, connect_bot, post_update, sent_texts
from tests.fakes import message_update


async def test_saving_a_token_checks_it_and_registers_the_webhook(make_env, fake_telegram):
    env = await make_env()
    body = await env.save("telegram", {"botToken": BOT_TOKEN, "enabled": True})

    assert fake_telegram.calls(BOT_TOKEN, "getMe")
    hook = fake_telegram.webhook(BOT_TOKEN)
    url = f"{PUBLIC}/channels/telegram/{env.restaurant_id}/webhook"
    assert hook["url"] == url and len(hook["secret_token"]) >= 32
    assert hook["allowed_updates"] == ["message", "callback_query"]
    shown = body["settings"]
    assert (shown["botUsername"], shown["botId"], shown["webhookUrl"]) == ("ChezTestBot", BOT_ID, url)
    assert shown["status"]["ok"] is True and "@ChezTestBot" in shown["status"]["detail"]
    assert shown["botToken"].startswith("••••") and BOT_TOKEN not in str(body)
    assert hook["secret_token"] not in str(body)
    row = await IntegrationSetting.get(restaurant_id=env.restaurant_id, type="telegram")
    assert set(row.settings["webhookSecret"]) == {"encrypted"}  # stored encrypted, never in clear
    assert hook["secret_token"] not in str(row.settings) and BOT_TOKEN not in str(row.settings)

    # saving again without the token keeps the bot and its secret
    again = await env.save("telegram", {"enabled": True})
    assert fake_telegram.webhook(BOT_TOKEN)["secret_token"] == hook["secret_token"]
    assert again["settings"]["botUsername"] == "ChezTestBot"


async def test_a_refused_token_is_a_clear_400_and_nothing_is_stored(make_env, fake_telegram):
    env = await make_env()
    body = await env.save("telegram", {"botToken": "123456:NotARealTokenAtAll", "enabled": True}, expect=400)
    assert body["errors"][0]["path"] == "botToken"
    assert body["errors"][0]["message"].startswith("Telegram refused this bot token")
    assert not await IntegrationSetting.filter(restaurant_id=env.restaurant_id, type="telegram").exists()
    assert (await (await env.owner.get("/api/integrations/telegram")).get_json())["configured"] is False


async def test_telegram_unreachable_is_a_502(make_env, fake_telegram):
    env = await make_env()
    fake_telegram.fail_next(None, "getMe", 502, "Bad Gateway")
    body = await env.save("telegram", {"botToken": BOT_TOKEN, "enabled": True}, expect=502)
    assert body["code"] == "telegram_down"
    assert not await IntegrationSetting.filter(restaurant_id=env.restaurant_id, type="telegram").exists()


async def test_switching_the_bot_off_removes_the_webhook(make_env, fake_telegram):
    env = await make_env()
    secret = await connect_bot(env, fake_telegram)
    body = await env.save("telegram", {"enabled": False})
    assert fake_telegram.webhook(BOT_TOKEN) == {} and fake_telegram.calls(BOT_TOKEN, "deleteWebhook")
    assert body["enabled"] is False and "webhookUrl" not in body["settings"]
    # a late update signed with the old secret is refused: the secret was dropped with the webhook
    assert (await post_update(env, message_update(GUEST_ID, "Hi", update_id=1), secret)).status_code == 403
    # switching it on again registers a fresh webhook
    await env.save("telegram", {"enabled": True})
    assert fake_telegram.webhook(BOT_TOKEN)["url"].endswith(f"/channels/telegram/{env.restaurant_id}/webhook")


async def test_readiness_reports_a_revoked_token(make_env, fake_telegram):
    env = await make_env()
    await connect_bot(env, fake_telegram)
    client = env.owner
    ready = await (await client.get("/api/health")).get_json()
    assert ready["checks"][f"telegram:{env.restaurant_id}"]["ok"] is True

    fake_telegram.fail_next(BOT_TOKEN, "getMe", 401, "Unauthorized", times=100)  # the owner revoked it at @BotFather
    await env.runtime.cache.delete(f"telegram:status:{env.restaurant_id}")  # as when the cached status expires
    response = await client.get("/api/health")
    assert response.status_code == 200  # a broken bot is reported, it does not make the service unready
    check = (await response.get_json())["checks"][f"telegram:{env.restaurant_id}"]
    assert check["ok"] is False and "refused this bot token" in check["detail"]
    shown = await (await env.owner.get("/api/integrations/telegram")).get_json()
    assert shown["settings"]["status"]["ok"] is False  # staff see it too


async def test_a_refused_token_while_sending_is_reported_at_once(make_env, fake_telegram):
    env = await make_env()
    secret = await connect_bot(env, fake_telegram)
    fake_telegram.fail_next(BOT_TOKEN, "sendMessage", 401, "Unauthorized")
    await post_update(env, message_update(GUEST_ID, "Hi", update_id=3), secret)
    await env.drain()
    check = (await (await env.owner.get("/api/health")).get_json())["checks"][f"telegram:{env.restaurant_id}"]
    assert check["ok"] is False


async def test_long_polling_runs_the_same_handlers(make_env, fake_telegram):
    env = await make_env()
    await connect_bot(env, fake_telegram)
    fake_telegram.queue_update(BOT_TOKEN, message_update(GUEST_ID, "Hi"))
    stop = asyncio.Event()
    task = asyncio.create_task(poll(env.telegram, env.restaurant_id, stop=stop, timeout=1))
    await fake_telegram.wait_until(lambda: sent_texts(fake_telegram))
    stop.set()
    await asyncio.wait_for(task, 5)
    assert fake_telegram.calls(BOT_TOKEN, "deleteWebhook") and fake_telegram.webhook(BOT_TOKEN) == {}
    assert "book a table" in sent_texts(fake_telegram)[0].lower()


async def test_the_cli_offers_telegram_poll():
    from api.cli import build_parser

    args = build_parser().parse_args(["telegram", "poll", "--restaurant", "7"])
    assert args.restaurant == 7 and callable(args.handler)
