"""The fakes, exercised through the real SDKs exactly as production code will use them."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.request

import aiohttp
import httpx
import openai
import pytest
import requests
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from .openai_server import FakeOpenAI
from .telegram_server import FakeTelegram, callback_query_update, message_update
from .twilio_server import FakeTwilio, inbound_message_params, sign_twilio_request

TOKEN = "123456:TEST-token"
OTHER_TOKEN = "999:other"
SID = "AC" + "a" * 32
AUTH = "twilio-secret"
USER = [{"role": "user", "content": "A table for two tomorrow at 8pm"}]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "check_availability",
            "parameters": {"type": "object", "properties": {"party_size": {"type": "integer"}}},
        },
    }
]


@pytest.fixture
def fake_telegram():
    with FakeTelegram() as fake:
        fake.add_bot(TOKEN, "ToBeOutBot", 123456)
        fake.add_bot(OTHER_TOKEN, "OtherBot", 999)
        yield fake


@pytest.fixture
def fake_twilio():
    with FakeTwilio() as fake:
        fake.add_account(SID, AUTH)
        yield fake


def llm(fake: FakeOpenAI, **kwargs) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(api_key="test", base_url=fake.base_url, max_retries=0, **kwargs)


def tg(fake: FakeTelegram, token: str = TOKEN) -> telegram.Bot:
    base = fake.base_url  # the README's snippet, with TELEGRAM_API_BASE_URL = fake.base_url
    return telegram.Bot(token, base_url=base, base_file_url=base.removesuffix("/bot") + "/file/bot")


def twilio_client(fake: FakeTwilio, token: str = AUTH, **kwargs) -> Client:
    client = Client(SID, token, **kwargs)  # the README's snippet, with TWILIO_API_BASE_URL = fake.base_url
    client.api.base_url = fake.base_url.rstrip("/")
    client.edge = client.region = None
    return client


# ---- OpenAI ------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_openai_text_then_default_and_requests_recorded(fake_openai):
    fake_openai.queue_text("We have a table at 8pm.")
    async with llm(fake_openai) as client:
        first = await client.chat.completions.create(model="gpt-4o-mini", messages=USER)
        second = await client.chat.completions.create(model="gpt-4o-mini", messages=USER)
    assert first.object == "chat.completion"
    assert first.choices[0].message.content == "We have a table at 8pm."
    assert first.choices[0].finish_reason == "stop"
    assert first.usage.total_tokens == first.usage.prompt_tokens + first.usage.completion_tokens
    assert second.choices[0].message.content == fake_openai.default_text
    request = fake_openai.requests[0]
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer test"
    assert fake_openai.last_chat_request["messages"] == USER


@pytest.mark.asyncio
async def test_openai_tool_calls_including_malformed_arguments(fake_openai):
    fake_openai.queue_tool_calls([("check_availability", {"party_size": 2}), ("book", '{"oops": ')])
    async with llm(fake_openai) as client:
        result = await client.chat.completions.create(model="m", messages=USER, tools=TOOLS)
    choice = result.choices[0]
    assert choice.finish_reason == "tool_calls"
    calls = choice.message.tool_calls
    assert [c.function.name for c in calls] == ["check_availability", "book"]
    assert json.loads(calls[0].function.arguments) == {"party_size": 2}
    assert calls[1].function.arguments == '{"oops": '
    assert calls[0].id != calls[1].id and calls[0].type == "function"
    assert fake_openai.last_chat_request["tools"] == TOOLS


@pytest.mark.asyncio
async def test_openai_errors(fake_openai):
    fake_openai.queue_error(500)
    fake_openai.queue_error(429, retry_after=3)
    fake_openai.queue_error(400, {"error": {"message": "bad", "type": "invalid_request_error"}})
    async with llm(fake_openai) as client:
        with pytest.raises(openai.InternalServerError):
            await client.chat.completions.create(model="m", messages=USER)
        with pytest.raises(openai.RateLimitError) as rate:
            await client.chat.completions.create(model="m", messages=USER)
        with pytest.raises(openai.BadRequestError, match="bad"):
            await client.chat.completions.create(model="m", messages=USER)
    assert rate.value.response.headers["retry-after"] == "3"


@pytest.mark.asyncio
async def test_openai_delay_provokes_client_timeout(fake_openai):
    fake_openai.queue_delay(3, then="late")
    fake_openai.queue_delay(0.05, then="quick")
    async with llm(fake_openai) as client:
        started = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            await client.chat.completions.create(model="m", messages=USER, timeout=0.3)
        assert time.monotonic() - started < 2
        ok = await client.chat.completions.create(model="m", messages=USER, timeout=2)
    assert ok.choices[0].message.content == "quick"


@pytest.mark.asyncio
async def test_openai_responder_queue_first_and_api_key(fake_openai):
    def echo(body: dict):
        last = body["messages"][-1]["content"]
        return None if last == "pass" else f"echo: {last}"

    fake_openai.set_responder(echo)
    fake_openai.queue_text("scripted")
    async with llm(fake_openai) as client:
        answers = [
            (await client.chat.completions.create(model="m", messages=[{"role": "user", "content": t}]))
            .choices[0]
            .message.content
            for t in ("one", "two", "pass")
        ]
        models = await client.models.list()
    assert answers == ["scripted", "echo: two", fake_openai.default_text]
    assert [m.id for m in models.data] == [fake_openai.model]

    with FakeOpenAI(api_key="right") as strict:
        async with llm(strict) as client:
            with pytest.raises(openai.AuthenticationError):
                await client.chat.completions.create(model="m", messages=USER)


@pytest.mark.asyncio
async def test_openai_concurrent_requests_all_recorded(fake_openai):
    async with llm(fake_openai) as client:
        await asyncio.gather(*(client.chat.completions.create(model="m", messages=USER) for _ in range(20)))
    assert len(fake_openai.chat_requests) == 20


# ---- Telegram ----------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_telegram_get_me_send_message_with_keyboard(fake_telegram):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Confirm", callback_data="confirm:7")]])
    async with tg(fake_telegram) as bot:
        me = await bot.get_me()
        sent = await bot.send_message(chat_id=42, text="Table for 2 at 20:00?", reply_markup=keyboard)
        await bot.send_message(chat_id=43, text="123")
    assert (me.id, me.username, me.is_bot) == (123456, "ToBeOutBot", True)
    assert sent.chat.id == 42 and sent.from_user.id == 123456 and sent.message_id == 1
    assert sent.reply_markup == keyboard
    assert fake_telegram.sent_messages(TOKEN, chat_id=42) == [
        {
            "chat_id": 42,
            "text": "Table for 2 at 20:00?",
            "reply_markup": {"inline_keyboard": [[{"text": "Confirm", "callback_data": "confirm:7"}]]},
        }
    ]
    assert [m["text"] for m in fake_telegram.sent_messages(TOKEN)] == ["Table for 2 at 20:00?", "123"]
    assert fake_telegram.sent_messages(OTHER_TOKEN) == []
    assert fake_telegram.requests[-1].path == f"/bot{TOKEN}/sendMessage"


@pytest.mark.asyncio
async def test_telegram_unknown_token_is_unauthorized(fake_telegram):
    with pytest.raises(InvalidToken):
        async with tg(fake_telegram, "1:unknown"):
            pass


def test_telegram_unknown_token_wire_format(fake_telegram):
    reply = httpx.post(f"{fake_telegram.base_url}1:unknown/getMe")
    assert reply.status_code == 401
    assert reply.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


@pytest.mark.asyncio
async def test_telegram_webhook_lifecycle(fake_telegram):
    async with tg(fake_telegram) as bot:
        assert await bot.set_webhook(
            "https://example.test/tg/7", secret_token="s3cr3t", allowed_updates=["message", "callback_query"]
        )
        info = await bot.get_webhook_info()
        assert info.url == "https://example.test/tg/7"
        assert list(info.allowed_updates) == ["message", "callback_query"]
        with pytest.raises(Conflict):
            await bot.get_updates()
        assert await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""
    assert fake_telegram.calls(TOKEN, "setWebhook")[0]["secret_token"] == "s3cr3t"


@pytest.mark.asyncio
async def test_telegram_webhook_stored_per_bot(fake_telegram):
    async with tg(fake_telegram) as bot:
        await bot.set_webhook("https://example.test/tg/1", secret_token="abc")
    assert fake_telegram.webhook(TOKEN)["secret_token"] == "abc"
    assert fake_telegram.webhook(OTHER_TOKEN) == {}


@pytest.mark.asyncio
async def test_telegram_get_updates_honours_offset(fake_telegram):
    first = fake_telegram.queue_update(TOKEN, message_update(42, "/start"))
    fake_telegram.queue_update(TOKEN, callback_query_update(42, "confirm:7", message_id=5))
    async with tg(fake_telegram) as bot:
        updates = await bot.get_updates()
        assert [u.update_id for u in updates] == [first, first + 1]
        assert updates[0].message.text == "/start" and updates[0].message.chat.id == 42
        assert updates[1].callback_query.data == "confirm:7"
        assert [u.update_id for u in await bot.get_updates(offset=first + 1)] == [first + 1]
        assert await bot.get_updates(offset=first + 2) == ()
        assert await bot.get_updates(offset=first + 1) == ()  # confirmed updates are gone


@pytest.mark.asyncio
async def test_telegram_callback_answer_and_edit_markup(fake_telegram):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="y")]])
    async with tg(fake_telegram) as bot:
        sent = await bot.send_message(chat_id=42, text="Confirm?", reply_markup=keyboard)
        assert await bot.answer_callback_query("cbq-1", text="Done")
        edited = await bot.edit_message_reply_markup(chat_id=42, message_id=sent.message_id)
        assert edited.reply_markup is None and edited.text == "Confirm?"
        assert await bot.send_chat_action(42, "typing")  # generic ok
    assert "reply_markup" not in fake_telegram.message(TOKEN, 42, sent.message_id)
    assert fake_telegram.calls(TOKEN, "answerCallbackQuery") == [{"callback_query_id": "cbq-1", "text": "Done"}]


@pytest.mark.asyncio
async def test_telegram_failure_injection(fake_telegram):
    fake_telegram.fail_next(TOKEN, "sendMessage", 403, "Forbidden: bot was blocked by the user")
    fake_telegram.fail_next(TOKEN, "sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
    fake_telegram.fail_next(None, "sendMessage", 500, "Internal Server Error")
    fake_telegram.fail_next(TOKEN, "sendMessage", 400, "Bad Request: chat not found", times=2)
    async with tg(fake_telegram) as bot:
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(42, "hi")
        with pytest.raises(RetryAfter) as retry:
            await bot.send_message(42, "hi")
        with pytest.raises(NetworkError):
            await bot.send_message(42, "hi")
        for _ in range(2):
            with pytest.raises(BadRequest, match="(?i)chat not found"):
                await bot.send_message(42, "hi")
        assert (await bot.send_message(42, "finally")).text == "finally"
    assert "5" in str(retry.value)
    assert [m["text"] for m in fake_telegram.sent_messages(TOKEN)] == ["finally"]


@pytest.mark.asyncio
async def test_telegram_delay_provokes_timed_out(fake_telegram):
    fake_telegram.delay_next(TOKEN, "sendMessage", 3)
    async with tg(fake_telegram) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(42, "slow", read_timeout=0.3)


@pytest.mark.asyncio
async def test_telegram_application_builder_honours_base_url(fake_telegram):
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(fake_telegram.base_url)
        .base_file_url(fake_telegram.base_file_url)
        .updater(None)
        .build()
    )
    async with app:
        assert app.bot.username == "ToBeOutBot"
        await app.bot.send_message(42, "via Application")
    assert fake_telegram.sent_messages(TOKEN, 42)[0]["text"] == "via Application"


def test_telegram_accepts_json_bodies_and_builders_parse(fake_telegram):
    reply = httpx.post(
        f"{fake_telegram.base_url}{TOKEN}/sendMessage",
        json={
            "chat_id": 7,
            "text": "json",
            "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        },
    )
    assert reply.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
    assert fake_telegram.sent_messages(TOKEN, chat_id=7)[0]["text"] == "json"
    bot = tg(fake_telegram)
    update = Update.de_json(callback_query_update(5, "d", update_id=9), bot)
    assert update.callback_query.message.chat.id == 5 and update.update_id == 9


# ---- Twilio ------------------------------------------------------------------------------
def test_twilio_sync_send_and_account_fetch(fake_twilio):
    client = twilio_client(fake_twilio)
    message = client.messages.create(
        to="whatsapp:+34600000001", from_="whatsapp:+14155238886", body="Your table is booked"
    )
    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert (message.status, message.to, message.from_, message.account_sid) == (
        "queued",
        "whatsapp:+34600000001",
        "whatsapp:+14155238886",
        SID,
    )
    assert message.date_created is not None
    assert client.api.accounts(SID).fetch().status == "active"
    assert fake_twilio.sent_messages(SID) == [
        {"To": "whatsapp:+34600000001", "From": "whatsapp:+14155238886", "Body": "Your table is booked"}
    ]
    assert fake_twilio.sent_messages("AC" + "b" * 32) == []
    assert client.messages(message.sid).fetch().body == "Your table is booked"
    request = fake_twilio.requests[0]
    assert request.path == f"/2010-04-01/Accounts/{SID}/Messages.json"


def test_twilio_wrong_credentials_and_validation(fake_twilio):
    with pytest.raises(TwilioRestException) as bad_auth:
        twilio_client(fake_twilio, token="wrong").messages.create(to="+1", from_="+2", body="x")
    assert (bad_auth.value.status, bad_auth.value.code) == (401, 20003)
    with pytest.raises(TwilioRestException) as no_body:
        twilio_client(fake_twilio).messages.create(to="+1", from_="+2")
    assert no_body.value.code == 21602
    assert fake_twilio.sent_messages() == []


def test_twilio_failure_injection(fake_twilio):
    client = twilio_client(fake_twilio)
    fake_twilio.fail_next(400, 63016, "Outside the allowed window", times=2)
    assert client.api.accounts(SID).fetch().sid == SID  # account checks are not affected
    for _ in range(2):
        with pytest.raises(TwilioRestException) as failed:
            client.messages.create(to="whatsapp:+1", from_="whatsapp:+2", body="x")
        assert (failed.value.status, failed.value.code) == (400, 63016)
        assert "Outside the allowed window" in failed.value.msg
    assert client.messages.create(to="+1", from_="+2", body="ok").status == "queued"


@pytest.mark.asyncio
async def test_twilio_async_client(fake_twilio):
    http_client = AsyncTwilioHttpClient()  # needs a running event loop
    try:
        client = twilio_client(fake_twilio, http_client=http_client)
        message = await client.messages.create_async(to="+34600000002", from_="+15550000000", body="hola")
        account = await client.api.accounts(SID).fetch_async()
        fake_twilio.fail_next(429, 20429, "Too Many Requests")
        with pytest.raises(TwilioRestException) as limited:
            await client.messages.create_async(to="+34600000002", from_="+15550000000", body="again")
        bad = twilio_client(fake_twilio, token="nope", http_client=http_client)
        with pytest.raises(TwilioRestException) as bad_auth:
            await bad.messages.create_async(to="+1", from_="+2", body="x")
    finally:
        await http_client.close()
    assert message.status == "queued" and account.status == "active"
    assert limited.value.status == 429 and bad_auth.value.code == 20003
    assert [m["Body"] for m in fake_twilio.sent_messages()] == ["hola"]


def test_twilio_region_in_environment_is_neutralised(fake_twilio, monkeypatch):
    monkeypatch.setenv("TWILIO_REGION", "ie1")
    monkeypatch.setenv("TWILIO_EDGE", "dublin")
    assert twilio_client(fake_twilio).messages.create(to="+1", from_="+2", body="x").status == "queued"


def test_twilio_sync_timeout(fake_twilio):
    fake_twilio.delay_next(3)
    with pytest.raises(requests.exceptions.Timeout):
        twilio_client(fake_twilio, http_client=TwilioHttpClient(timeout=0.3)).messages.create(
            to="+1", from_="+2", body="slow"
        )


@pytest.mark.asyncio
async def test_twilio_async_timeout_needs_asyncio_timeout(fake_twilio):
    """AsyncTwilioHttpClient(timeout=...) is not applied to requests (twilio 9.13): wrap the call."""
    fake_twilio.delay_next(3)
    http_client = AsyncTwilioHttpClient()
    try:
        client = twilio_client(fake_twilio, http_client=http_client)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):
                await client.messages.create_async(to="+1", from_="+2", body="slow")
        fake_twilio.stop()
        with pytest.raises(aiohttp.ClientError):
            await client.messages.create_async(to="+1", from_="+2", body="down")
    finally:
        await http_client.close()


def test_sign_twilio_request_matches_validator():
    url = "https://tobeout.example/channels/whatsapp/webhook/7"
    params = inbound_message_params(SID, "whatsapp:+34600000001", "whatsapp:+14155238886", "Hi")
    signature = sign_twilio_request(url, params, AUTH)
    assert RequestValidator(AUTH).validate(url, params, signature)
    assert not RequestValidator("other").validate(url, params, signature)
    assert params["WaId"] == "34600000001" and params["MessageSid"].startswith("SM")


# ---- shared plumbing ---------------------------------------------------------------------
def test_multipart_and_query_are_parsed(fake_telegram):
    httpx.post(
        f"{fake_telegram.base_url}{TOKEN}/sendDocument?caption=cap",
        data={"chat_id": "5"},
        files={"document": ("menu.txt", b"menu", "text/plain")},
    )
    request = fake_telegram.requests[-1]
    assert request.body == {"chat_id": "5", "document": b"menu"}
    assert request.query == {"caption": "cap"}
    assert fake_telegram.calls(TOKEN, "sendDocument")[0]["chat_id"] == 5


def test_stop_releases_delayed_requests_and_url_needs_start():
    fake = FakeOpenAI().start()
    fake.queue_delay(30)
    result: list = []

    def call():
        try:
            body = json.dumps({"model": "m", "messages": USER}).encode()
            req = urllib.request.Request(
                f"{fake.base_url}/chat/completions", body, {"Content-Type": "application/json"}
            )
            result.append(urllib.request.urlopen(req, timeout=10).status)
        except Exception as exc:  # connection may be cut on shutdown; either is fine
            result.append(exc)

    worker = threading.Thread(target=call)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    fake.stop()
    worker.join(5)
    assert time.monotonic() - started < 3 and result
    with pytest.raises(RuntimeError):
        _ = fake.url


@pytest.mark.asyncio
async def test_wait_until_does_not_block_the_loop(fake_telegram):
    async def later():
        await asyncio.sleep(0.1)
        async with tg(fake_telegram) as bot:
            await bot.send_message(1, "background")

    task = asyncio.create_task(later())
    sent = await fake_telegram.wait_until(lambda: fake_telegram.sent_messages(TOKEN))
    await task
    assert sent[0]["text"] == "background"
    with pytest.raises(AssertionError):
        await fake_telegram.wait_until(lambda: False, timeout=0.05)


@pytest.mark.asyncio
async def test_stopped_fake_stops_answering_kept_alive_connections():
    fake = FakeOpenAI().start()
    async with llm(fake, timeout=2) as client:
        await client.chat.completions.create(model="m", messages=USER)  # connection now pooled
        fake.stop()
        with pytest.raises(openai.APIConnectionError):
            await client.chat.completions.create(model="m", messages=USER)
    assert len(fake.requests) == 1
