"""The Telegram webhook with the real python-telegram-bot against the fake Bot API server."""

from __future__ import annotations

import asyncio
from datetime import date, time

from core.models import AiActivity, Conversation, GuestIdentity, ProcessedMessage, Reservation
from tests.channels.conftest import BOT_TOKEN
from tests.channels.telegram.helpers import (
    GUEST_ID,
    connect_bot,
    edited_update,
    post_update,
    sent_texts,
    sticker_update,
    text_update,
)
from tests.fakes import Text, callback_query_update, message_update

FRIDAY = date(2026, 11, 27)


async def test_a_full_booking_through_the_llm(make_env, fake_telegram, fake_openai):
    env = await make_env(llm=True)
    secret = await connect_bot(env, fake_telegram)
    slot = {"date": "2026-11-27", "time": "19:30", "guests": 4}
    fake_openai.queue_tool_calls([("check_availability", slot)])
    fake_openai.queue_tool_calls([("create_reservation", {**slot, "name": "Anna Smith", "phone": "+44 7700 900123"})])
    fake_openai.queue_text("Booked! A table for 4 on Friday at 19:30, Anna.")

    said = "Table for 4 this Friday 7:30pm, Anna, +44 7700 900123"
    response = await post_update(env, text_update(1001, said), secret)
    assert response.status_code == 200
    await env.drain()

    assert sent_texts(fake_telegram) == ["Booked! A table for 4 on Friday at 19:30, Anna."]
    reservation = await Reservation.get(restaurant_id=env.restaurant_id).prefetch_related("guest")
    assert (reservation.date, reservation.time, reservation.guests, reservation.source) == (
        FRIDAY,
        time(19, 30),
        4,
        "telegram",
    )
    assert reservation.guest.name == "Anna Smith"
    identity = await GuestIdentity.get(restaurant_id=env.restaurant_id, channel="telegram")
    assert (identity.external_id, identity.guest_id) == (str(GUEST_ID), reservation.guest_id)
    first = fake_openai.chat_requests[0]
    assert first["messages"][-1]["content"].startswith("Table for 4 this Friday")


async def test_a_guided_booking_with_inline_keyboards_and_button_presses(make_env, fake_telegram):
    env = await make_env()  # no OPENAI_API_KEY: the guided path answers
    secret = await connect_bot(env, fake_telegram)

    async def say(update: dict) -> dict:
        before = len(fake_telegram.sent_messages(BOT_TOKEN, GUEST_ID))
        assert (await post_update(env, update, secret)).status_code == 200
        await env.drain()
        sent = fake_telegram.sent_messages(BOT_TOKEN, GUEST_ID)
        assert len(sent) > before, f"no reply to {update}"
        return sent[-1]

    greeting = await say(message_update(GUEST_ID, "/start", update_id=1))
    buttons = [b for row in greeting["reply_markup"]["inline_keyboard"] for b in row]
    assert [(b["text"], b["callback_data"]) for b in buttons] == [
        ("Book a table", "Book a table"),
        ("My reservations", "My reservations"),
    ]
    sent_id = len(fake_telegram.sent_messages(BOT_TOKEN))  # the fake numbers the bot's messages 1, 2, ...
    day = await say(callback_query_update(GUEST_ID, "Book a table", update_id=2, message_id=sent_id, query_id="q1"))
    assert "which day" in day["text"]
    assert fake_telegram.calls(BOT_TOKEN, "answerCallbackQuery")[0]["callback_query_id"] == "q1"
    assert fake_telegram.calls(BOT_TOKEN, "editMessageReplyMarkup")  # the pressed keyboard is removed
    assert "What time" in (await say(message_update(GUEST_ID, "Friday", update_id=3)))["text"]
    assert "How many guests" in (await say(message_update(GUEST_ID, "7:30pm", update_id=4)))["text"]
    assert "What name" in (await say(message_update(GUEST_ID, "4", update_id=5)))["text"]
    assert "phone number" in (await say(message_update(GUEST_ID, "Anna", update_id=6)))["text"]
    confirm = await say(message_update(GUEST_ID, "+44 7700 900123", update_id=7))
    assert confirm["text"] == "Book a table for 4 on Fri 27 Nov at 19:30 for Anna?"
    yes = [b for row in confirm["reply_markup"]["inline_keyboard"] for b in row if b["text"] == "Yes"][0]
    done = await say(callback_query_update(GUEST_ID, yes["callback_data"], update_id=8, query_id="q2"))
    assert done["text"].startswith("Done! Your table for 4 on Fri 27 Nov at 19:30 is booked")

    reservation = await Reservation.get(restaurant_id=env.restaurant_id)
    assert (reservation.date, reservation.time, reservation.guests, reservation.source) == (
        FRIDAY,
        time(19, 30),
        4,
        "telegram",
    )


async def test_a_retried_update_is_processed_once_even_while_the_first_is_running(make_env, fake_telegram, fake_openai):
    env = await make_env(llm=True)
    secret = await connect_bot(env, fake_telegram)
    # the first delivery is still waiting for the model when the retries arrive
    fake_openai.queue_delay(0.5, then=Text("Hello Anna! How can I help?"))
    update = message_update(GUEST_ID, "Hello", update_id=555)

    first = await post_update(env, update, secret)
    retries = await asyncio.gather(*(post_update(env, update, secret) for _ in range(3)))
    assert first.status_code == 200 and all(r.status_code == 200 for r in retries)
    assert [(await r.get_json()).get("duplicate") for r in retries] == [True, True, True]
    await env.drain()

    assert len(fake_telegram.sent_messages(BOT_TOKEN, GUEST_ID)) == 1
    assert len(fake_openai.chat_requests) == 1
    assert await ProcessedMessage.filter(restaurant_id=env.restaurant_id, channel="telegram").count() == 1


async def test_a_wrong_or_missing_secret_is_refused_and_nothing_happens(make_env, fake_telegram):
    env = await make_env()
    secret = await connect_bot(env, fake_telegram)
    for given in (None, "", "wrong-secret", secret[:-1] + ("A" if secret[-1] != "A" else "B")):
        response = await post_update(env, message_update(GUEST_ID, "Hi", update_id=9), given)
        assert response.status_code == 403
    other = await post_update(env, message_update(GUEST_ID, "Hi", update_id=9), secret)  # the real one still works
    assert other.status_code == 200
    await env.drain()
    assert len(sent_texts(fake_telegram)) == 1
    assert await AiActivity.filter(restaurant_id=env.restaurant_id).count() == 1


async def test_refused_before_any_work_when_no_bot_is_connected(make_env, fake_telegram):
    env = await make_env()
    response = await post_update(env, message_update(GUEST_ID, "Hi", update_id=1), "anything")
    assert response.status_code == 403
    await env.drain()
    assert await Conversation.all().count() == 0 and await AiActivity.all().count() == 0
    assert fake_telegram.calls(BOT_TOKEN, "sendMessage") == []


async def test_stickers_get_a_polite_answer_and_edits_are_ignored(make_env, fake_telegram):
    env = await make_env()
    secret = await connect_bot(env, fake_telegram)
    assert (await post_update(env, sticker_update(11), secret)).status_code == 200
    assert (await post_update(env, edited_update(12), secret)).status_code == 200
    assert (await post_update(env, {"update_id": 13, "my_chat_member": {"garbage": True}}, secret)).status_code == 200
    assert (await post_update(env, text_update(14, "Привет", language="ru", chat_id=555), secret)).status_code == 200
    await env.drain()
    assert sent_texts(fake_telegram) == [
        "Sorry, I can only read text messages. Please write what you would like, "
        "for example: “a table for 2 tomorrow at 19:00”."
    ]
    russian = sent_texts(fake_telegram, chat_id=555)
    assert len(russian) == 1 and "столик" in russian[0].lower()


async def test_a_send_failure_is_logged_not_raised(make_env, fake_telegram):
    env = await make_env()
    secret = await connect_bot(env, fake_telegram)
    fake_telegram.fail_next(BOT_TOKEN, "sendMessage", 403, "Forbidden: bot was blocked by the user")
    assert (await post_update(env, message_update(GUEST_ID, "Hi", update_id=21), secret)).status_code == 200
    await env.drain()
    assert sent_texts(fake_telegram) == []
    assert (await post_update(env, message_update(GUEST_ID, "Hi again", update_id=22), secret)).status_code == 200
    await env.drain()
    assert len(sent_texts(fake_telegram)) == 1
