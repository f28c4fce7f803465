"""The engine's turn loop: exactly-once, ordering, rate limit, persistence, expiry, failures."""

from __future__ import annotations

import asyncio

import pytest

from core.bootstrap import start_runtime, stop_runtime
from core.cache import RedisCache
from core.conversation.engine import ConversationEngine, message_language
from core.errors import NotFound
from core.models import (
    AiActivity,
    Conversation,
    ConversationMessage,
    Guest,
    GuestIdentity,
    ProcessedMessage,
    Restaurant,
)
from tests.core.conversation.conftest import Chat, make_restaurant

STEPS = ["Book a table", "Friday", "19:30", "4"]
ANSWERS = ["For which day", "What time on Fri 27 Nov", "How many guests", "What name"]


async def conversation_of(chat: Chat) -> Conversation:
    return await Conversation.get(restaurant_id=chat.restaurant_id, channel=chat.channel, external_chat_id=chat.chat_id)


async def test_same_message_id_is_handled_once(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    assert await chat.send("Book a table", message_id="m-1")
    assert await chat.send("Book a table", message_id="m-1") == []
    # a redelivery to another process (its own cache) is caught by the database
    other = Chat(engine_factory(), restaurant.id)
    assert await other.send("Book a table", message_id="m-1") == []
    # the same id on another channel or at another restaurant is another message
    assert await Chat(chat.engine, restaurant.id, channel="telegram").send("hi", message_id="m-1")
    assert await ProcessedMessage.filter(restaurant_id=restaurant.id).count() == 2
    assert len((await conversation_of(chat)).history) == 2


async def test_concurrent_duplicates_are_handled_once(engine_factory, restaurant):
    engines = [engine_factory(), engine_factory()]
    chats = [Chat(engine, restaurant.id) for engine in engines]
    results = await asyncio.gather(*(c.send("Book a table", message_id="dup") for c in chats for _ in range(3)))
    assert sum(1 for r in results if r) == 1
    assert await ProcessedMessage.filter(message_id="dup").count() == 1


async def test_a_turn_saves_its_messages_activity_and_events_once_each(engine_factory, restaurant, clock):
    """The conversation, the guest's and the bot's transcript messages and the activity rows are written at
    once; each message's event reaches the bus once, naming the row it describes."""
    engine = engine_factory()
    events = []
    engine.runtime.bus.add_handler(events.append)
    chat = Chat(engine, restaurant.id)
    for text in ("Book a table", "Friday"):
        await chat.send(text)
    conversation = await conversation_of(chat)
    rows = await ConversationMessage.filter(conversation_id=conversation.id).order_by("id")
    assert [(str(m.role), m.text.split(" ")[0]) for m in rows] == [
        ("guest", "Book"),
        ("bot", "For"),
        ("guest", "Friday"),
        ("bot", "What"),
    ]
    assert all(m.created_at == clock() and m.author_id is None for m in rows)
    said = [e for e in events if e.type == "conversation.message"]
    assert [(e.data["messageId"], e.data["role"], e.data["text"]) for e in said] == [
        (m.id, str(m.role), m.text) for m in rows
    ]
    assert {e.data["conversationId"] for e in said} == {conversation.id}
    assert (conversation.state["guided"]["step"], conversation.last_activity) == ("time", clock())
    assert [m["content"] for m in conversation.history] == [m.text for m in rows]
    activity = await AiActivity.filter(restaurant_id=restaurant.id, type="response_generated").order_by("id")
    assert [(a.message, a.created_at, a.metadata["path"]) for a in activity] == [
        ("Book a table", clock(), "guided"),
        ("Friday", clock(), "guided"),
    ]
    assert activity[1].response == rows[3].text
    first = await AiActivity.filter(restaurant_id=restaurant.id, message="Book a table").order_by("id")
    assert [a.type for a in first] == ["reservation_intent", "response_generated"]  # in the order the turn added


async def test_messages_of_one_conversation_run_one_at_a_time_in_order(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    results = await asyncio.gather(*(chat.send(text) for text in STEPS))
    for replies, expected in zip(results, ANSWERS, strict=True):
        assert replies[0].text.startswith(expected)
    history = (await conversation_of(chat)).history
    assert [m["content"] for m in history if m["role"] == "user"] == STEPS
    state = (await conversation_of(chat)).state["guided"]
    assert (state["step"], state["date"], state["time"], state["guests"]) == ("name", "2026-11-27", "19:30", 4)


async def test_rate_limit_answers_once_politely_then_resets(engine_factory, restaurant, clock):
    chat = Chat(engine_factory(options={"rate_limit_per_minute": 3}), restaurant.id)
    for _ in range(3):
        assert await chat.send("hi")
    assert await chat.say("hello?") == "You're sending messages a little too fast. Please wait a minute and try again."
    assert await chat.send("hello??") == []  # no reply storm
    ru = Chat(chat.engine, restaurant.id, chat_id="ru")
    for _ in range(3):
        await ru.send("привет")
    assert (await ru.say("алло")).startswith("Вы пишете слишком быстро")
    clock.advance(seconds=60)
    assert "book a table" in (await chat.say("hi")).lower()


async def test_conversation_survives_a_restart(engine_factory, restaurant):
    first = Chat(engine_factory(), restaurant.id)
    await first.send("Book a table")
    await first.send("Friday")
    restarted = Chat(engine_factory(), restaurant.id, ids=first.ids)  # a new process: new engine, new cache
    assert "How many guests" in await restarted.say("19:30")
    assert "What name" in await restarted.say("2")


async def test_conversation_expires_after_inactivity_but_keeps_the_guest(engine_factory, restaurant, clock):
    guest = await Guest.create(restaurant=restaurant, name="Anna", phone="+447700900123")
    await GuestIdentity.create(restaurant=restaurant, guest=guest, channel="webchat", external_id="session-1")
    chat = Chat(engine_factory(), restaurant.id)
    await chat.send("Book a table")
    await chat.send("Friday")
    clock.advance(hours=5)
    assert "How many guests" in await chat.say("19:30")  # five hours: still the same conversation
    clock.advance(hours=7)
    assert (await chat.say("4")).startswith("Sorry, I didn't quite get that.")  # the booking in progress is gone
    conversation = await conversation_of(chat)
    assert conversation.guest_id == guest.id
    assert conversation.history == [
        {"role": "user", "content": "4"},
        {"role": "assistant", "content": conversation.history[1]["content"]},
    ]


async def test_expiry_is_configurable(engine_factory, restaurant, clock):
    chat = Chat(engine_factory(options={"expire_after_hours": 0.5}), restaurant.id)
    await chat.send("Book a table")
    clock.advance(minutes=31)
    assert (await chat.say("Friday")).startswith("What time on Fri 27 Nov")
    assert (await conversation_of(chat)).state["guided"]["step"] == "time"
    clock.advance(minutes=31)
    assert "How many guests" not in await chat.say("19:30")


async def test_language_follows_the_guest(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    assert (await chat.say("Привет")).startswith("Здравствуйте")
    assert (await chat.say("Забронировать столик")).startswith("На какой день")
    assert (await chat.say("27.11")).startswith("На какое время")  # digits only: still Russian
    assert (await conversation_of(chat)).language == "ru"
    assert message_language("ok", "ru") == "ru" and message_language("Hello there", "ru") == "en"


async def test_unknown_restaurant_is_not_found(engine_factory, db):
    chat = Chat(engine_factory(), 999)
    with pytest.raises(NotFound):
        await chat.send("hi")


async def test_an_unexpected_failure_still_answers_and_is_recorded(engine_factory, db):
    broken = await make_restaurant("Broken", timezone="Mars/Olympus_Mons")  # bad data saved behind our back
    chat = Chat(engine_factory(), broken.id)
    assert await chat.say("Book a table") == "Sorry, something went wrong on our side. Please try again in a moment."
    error = await AiActivity.get(restaurant_id=broken.id, type="error")
    assert error.message == "Book a table" and "Mars/Olympus_Mons" in error.metadata["error"]
    assert len((await conversation_of(chat)).history) == 2


async def test_whatsapp_number_recognises_the_guest_across_channels(engine_factory, restaurant):
    anna = await Guest.create(restaurant=restaurant, name="Anna", phone="+447700900123")
    chat = Chat(engine_factory(), restaurant.id, channel="whatsapp", chat_id="+447700900123", phone="+447700900123")
    await chat.send("hi")
    identity = await GuestIdentity.get(restaurant_id=restaurant.id, channel="whatsapp", external_id="+447700900123")
    assert identity.guest_id == anna.id
    assert (await conversation_of(chat)).guest_id == anna.id
    # a number typed into the web chat proves nothing: it never opens Anna's bookings
    web = Chat(chat.engine, restaurant.id, chat_id="web-1")
    await web.send("table for 2 tomorrow at 8pm")
    await web.send("Mallory")
    await web.send("+44 7700 900123")
    await web.send("yes")
    web_guest = (await conversation_of(web)).guest_id
    assert web_guest != anna.id
    assert (await Guest.get(id=anna.id)).name == "Anna"


@pytest.mark.redis
async def test_lock_and_dedupe_work_across_processes_with_redis(engine_factory, pg_db, redis_url):
    restaurant = await make_restaurant()
    one = engine_factory(cache=RedisCache(redis_url))
    two = engine_factory(cache=RedisCache(redis_url))
    try:
        a = Chat(one, restaurant.id)
        b = Chat(two, restaurant.id, ids=a.ids)
        # a message waits while another process holds its conversation's lock
        async with one.runtime.cache.lock(f"conv:{restaurant.id}:webchat:session-1"):
            waiting = asyncio.create_task(b.send("Book a table"))
            await asyncio.sleep(0.3)
            assert not waiting.done()
        assert (await waiting)[0].text.startswith("For which day")
        # the same message id through both processes at once: handled once
        results = await asyncio.gather(a.send("Friday", message_id="x-1"), b.send("Friday", message_id="x-1"))
        assert sorted(bool(r) for r in results) == [False, True]
        # messages of one conversation through two processes never interleave (no lost update)
        await asyncio.gather(a.send("19:30"), b.send("for 4"), a.send("tomorrow"), b.send("at 8pm"))
        conversation = await Conversation.get(restaurant_id=restaurant.id)
        assert len(conversation.history) == 12
        assert await ProcessedMessage.filter(restaurant_id=restaurant.id).count() == 6
    finally:
        await one.runtime.cache.close()
        await two.runtime.cache.close()


async def test_one_engine_per_runtime_built_at_startup(engine_factory, restaurant):
    runtime = engine_factory().runtime
    with pytest.raises(RuntimeError, match="built at startup"):
        runtime.engine  # noqa: B018 (not lazily on first use)
    await start_runtime(runtime)
    engine = runtime.engine
    assert isinstance(engine, ConversationEngine)
    assert "create_reservation" in await engine.tools()
    await start_runtime(runtime)
    assert runtime.engine is engine
    assert await Chat(engine, restaurant.id).say("hi")
    await stop_runtime(runtime)


async def test_a_turn_uses_the_restaurant_row_the_channel_already_read(engine_factory, restaurant):
    engine = engine_factory()
    chat = Chat(engine, restaurant.id)
    row = await Restaurant.get(id=restaurant.id)
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    row.opening_hours = {d: [{"open": "10:15", "close": "11:45"}] for d in days}  # not saved: only this row says it
    turn = await engine.handle_turn(chat.message("what are your opening hours?"), row)
    assert "10:15" in turn.replies[0].text
    # a row of another restaurant is not taken for the message's own: the turn reads the right one
    row.id = restaurant.id + 1000
    turn = await engine.handle_turn(chat.message("what are your opening hours?"), row)
    assert turn.replies[0].text.startswith("Our opening hours") and "10:15" not in turn.replies[0].text
