"""The web chat channel over HTTP: a guided booking, exactly once, CORS, rate limits, bad input, the outbox."""

from __future__ import annotations

import asyncio

import pytest

from core.booking.service import BookingService
from core.demo import load_demo_data
from core.models import AiActivity, GuestIdentity, Reservation, Restaurant

SESSION = "visitor-session-0001"


@pytest.fixture
async def chat(app):
    await load_demo_data()
    client = app.test_client()
    rid = (await Restaurant.first()).id
    counter = iter(range(1, 10_000))

    async def say(text, *, session=SESSION, message_id=None, headers=None, status=200):
        body = {"sessionId": session, "text": text, "messageId": message_id or f"msg-{next(counter):06d}"}
        response = await client.post(f"/channels/webchat/{rid}/messages", json=body, headers=headers or {})
        assert response.status_code == status, await response.get_data(as_text=True)
        return await response.get_json()

    say.rid = rid
    say.client = client
    return say


async def test_a_visitor_books_a_table_step_by_step(chat):
    hello = await chat("/start")
    assert {c["value"] for c in hello["replies"][0]["choices"]} >= {"Book a table", "My reservations"}
    await chat("Table for 2 tomorrow at 7pm")
    await chat("Anna")
    confirm = await chat("+44 7700 900555")
    assert "19:00" in confirm["replies"][0]["text"]
    done = await chat("yes")
    assert "booked" in done["replies"][0]["text"]
    reservation = await Reservation.filter(restaurant_id=chat.rid, source="webchat").prefetch_related("guest").get()
    assert (reservation.guests, reservation.time.strftime("%H:%M")) == (2, "19:00")
    assert reservation.guest.name == "Anna" and reservation.guest.phone == "+447700900555"
    assert await GuestIdentity.filter(channel="webchat", external_id=SESSION, guest_id=reservation.guest_id).exists()
    assert await AiActivity.filter(restaurant_id=chat.rid).count() >= 5


async def test_a_russian_visitor_is_answered_in_russian(chat):
    reply = await chat("Здравствуйте, столик на двоих завтра в 20:00")
    text = reply["replies"][0]["text"]
    assert any("а" <= ch <= "я" for ch in text.lower()), text


async def test_a_retried_message_is_handled_once_and_gets_the_same_answer(chat):
    first = await chat("Table for 4 tomorrow at 8pm", message_id="retry-me-0001")
    second = await chat("Table for 4 tomorrow at 8pm", message_id="retry-me-0001")
    assert second == first
    count = await AiActivity.filter(restaurant_id=chat.rid, message="Table for 4 tomorrow at 8pm").count()
    again = await chat("Anna", message_id="retry-me-0002")
    assert again["replies"]
    assert await AiActivity.filter(restaurant_id=chat.rid, message="Table for 4 tomorrow at 8pm").count() == count


async def test_concurrent_duplicates_are_processed_once(chat):
    results = await asyncio.gather(*(chat("hello", message_id="same-message-01") for _ in range(5)))
    assert all(r == results[0] for r in results) and results[0]["replies"]
    assert await AiActivity.filter(restaurant_id=chat.rid, message="hello", type="response_generated").count() == 1


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"sessionId": "short", "text": "hi"}, "sessionId"),
        ({"sessionId": SESSION, "text": ""}, "text"),
        ({"sessionId": SESSION, "text": "x" * 1001}, "text"),
        ({"sessionId": SESSION, "text": "hi", "messageId": "<script>"}, "messageId"),
        ([1, 2], "JSON object"),
    ],
)
async def test_bad_input_is_a_clear_400(chat, body, fragment):
    response = await chat.client.post(f"/channels/webchat/{chat.rid}/messages", json=body)
    assert response.status_code == 400
    assert fragment in (await response.get_json())["message"]


async def test_malformed_json_and_unknown_restaurant(chat):
    response = await chat.client.post(
        f"/channels/webchat/{chat.rid}/messages", data="{nope", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    response = await chat.client.post("/channels/webchat/99999/messages", json={"sessionId": SESSION, "text": "hi"})
    assert response.status_code == 404


async def test_cors_allows_listed_origins_only(chat):
    path = f"/channels/webchat/{chat.rid}/messages"
    ok = await chat.client.options(path, headers={"Origin": "http://localhost:8000"})
    assert ok.status_code == 204 and ok.headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
    refused = await chat.client.options(path, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    await chat("hi", headers={"Origin": "https://evil.example"}, status=403)
    reply = await chat.client.post(
        path, json={"sessionId": SESSION, "text": "hi"}, headers={"Origin": "http://localhost:8000"}
    )
    assert reply.headers["Access-Control-Allow-Origin"] == "http://localhost:8000"


async def test_a_flooding_session_is_rate_limited_politely(chat):
    for _ in range(30):
        await chat("hi")
    flood = await chat("hi", status=429)
    assert "minute" in flood["message"]


async def test_staff_changes_wait_in_the_visitors_outbox(chat, app):
    await chat("Table for 2 tomorrow at 7pm")
    await chat("Anna")
    await chat("+447700900555")
    await chat("yes")
    reservation = await Reservation.get(restaurant_id=chat.rid, source="webchat")
    adapters = [a for found in app.runtime.plugins.hook.tobeout_channels(runtime=app.runtime) for a in found]
    adapter = next(a for a in adapters if a.name == "webchat")
    from core.conversation.types import Reply

    await adapter.send(chat.rid, SESSION, [Reply("Your booking was moved to 20:00.")])
    response = await chat.client.get(f"/channels/webchat/{chat.rid}/messages?sessionId={SESSION}")
    [moved] = (await response.get_json())["replies"]
    assert moved["text"] == "Your booking was moved to 20:00." and isinstance(moved["id"], int)
    again = await chat.client.get(f"/channels/webchat/{chat.rid}/messages?sessionId={SESSION}")
    assert (await again.get_json())["replies"] == []
    await BookingService(app.runtime.bus).cancel(chat.rid, reservation.id)


async def test_widget_script_and_demo_page(chat):
    script = await chat.client.get("/widget.js")
    assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]
    body = await script.get_data(as_text=True)
    assert "textContent" in body and "innerHTML" not in body
    page = await chat.client.get("/")
    html = await page.get_data(as_text=True)
    assert page.status_code == 200 and f'data-restaurant="{chat.rid}"' in html and "ToBeOut Demo Bistro" in html


async def test_the_greeting_and_widget_words_come_in_the_visitors_language(chat):
    path = f"/channels/webchat/{chat.rid}/greeting"
    german = await (await chat.client.get(path, headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})).get_json()
    assert german["language"] == "de" and german["ui"]["send"] == "Senden"
    assert german["greeting"]["text"].startswith("Hallo! Ich bin der Reservierungsassistent")
    assert [c["label"] for c in german["greeting"]["choices"]] == ["Tisch reservieren", "Meine Reservierungen"]
    russian = await (await chat.client.get(f"{path}?lang=ru-RU")).get_json()
    assert russian["ui"]["placeholder"] == "Напишите сообщение…" and russian["language"] == "ru"
    french = await (await chat.client.get(path, headers={"Accept-Language": "fr-FR,fr;q=0.9"})).get_json()
    assert french["language"] == "fr" and french["ui"]["send"] == "Envoyer"
    assert french["greeting"]["text"].startswith("Bonjour ! Je suis l'assistant de réservation")
    other = await (await chat.client.get(path, headers={"Accept-Language": "it-IT"})).get_json()
    assert other["language"] == "en" and other["ui"]["send"] == "Send"
    assert (await chat.client.get("/channels/webchat/999999/greeting")).status_code == 404

    # each answer says the conversation's language, so the widget's words follow the guest
    reply = await chat("Tisch für 2 morgen um 20 Uhr", headers={"Accept-Language": "en-GB"})
    assert reply["language"] == "de" and reply["replies"][0]["text"] == "Auf welchen Namen darf ich reservieren?"
    reply = await chat("what are your opening hours?")
    assert reply["language"] == "en" and reply["replies"][0]["text"].startswith("Our opening hours")
    reply = await chat("quels sont vos horaires d'ouverture ?")
    assert reply["language"] == "fr" and reply["replies"][0]["text"].startswith("Nos horaires d'ouverture")


async def test_messages_refused_by_a_limit_create_nothing(chat):
    from core.models import Conversation

    for n in range(120):  # the address's limit, each from a new session (a flood of fresh visitors)
        await chat("hi", session=f"flood-session-{n:04d}")
    assert await Conversation.filter(restaurant_id=chat.rid).count() == 120
    for n in range(120, 140):
        flood = await chat("hi", session=f"flood-session-{n:04d}", status=429)
        assert "minute" in flood["message"]
    assert await Conversation.filter(restaurant_id=chat.rid).count() == 120  # no row for a refused message
    assert await AiActivity.filter(restaurant_id=chat.rid, message="hi", type="response_generated").count() == 120
