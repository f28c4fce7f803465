"""The waitlist end to end on Telegram, through the real SDK and the fake: a freed table is offered once to the
first waiting guest with a hold; "yes" books it; silence passes it to the next party; staff's "table ready"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.models import OutboxMessage, Reservation, ReservationStatus, WaitlistEntry
from core.worker import Worker
from tests.api.helpers import CSRF
from tests.channels.conftest import BOT_TOKEN
from tests.channels.telegram.helpers import GUEST_ID, post_update, sent_texts
from tests.channels.test_notifications import booked_on_telegram
from tests.fakes import callback_query_update

THURSDAY = "2026-11-26"
NO_LISTENING = {"plugins.waitlist": {"listen": False}}  # the polls below are the only offerer


async def poll(env: Any) -> None:
    worker = env.extra.setdefault("worker", Worker(env.runtime))
    await worker.run_once()
    await env.drain()


async def call(env: Any, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
    response = await env.owner.open(path, method=method, json=body, headers=CSRF)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def full_thursday(env: Any) -> list[dict[str, Any]]:
    """Every table taken on Thursday at 20:00 (T1 1-2, T2 2-4, T3 4-6), by phone bookings."""
    tables = await call(env, "GET", "/api/tables")
    ids = [t["id"] for t in (tables["items"] if isinstance(tables, dict) else tables)]
    booked = []
    for n, table_id in enumerate(ids):
        body = {"date": THURSDAY, "time": "20:00", "guests": 2, "tableId": table_id}
        body["guest"] = {"name": f"Phone {n}", "phone": f"+44 7700 90060{n}"}
        booked.append(await call(env, "POST", "/api/booking/create", body, expect=201))
    return booked


def last_buttons(fake: Any) -> list[tuple[str, str]]:
    markup = fake.sent_messages(BOT_TOKEN, GUEST_ID)[-1]["reply_markup"]
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


async def test_a_freed_table_is_offered_once_and_yes_books_it(make_env, fake_telegram, fake_openai, clock):
    env = await make_env(llm=True, options=NO_LISTENING)
    anna = await booked_on_telegram(env, fake_telegram, fake_openai)  # Anna chats on Telegram
    booked = await full_thursday(env)
    body = {"guests": 2, "guestId": anna.guest_id, "date": THURSDAY, "timeFrom": "19:30", "timeTo": "21:00"}
    entry = await call(env, "POST", "/api/waitlist", {**body, "quotedMinutes": 30}, expect=201)
    assert (entry["status"], entry["guest"]["name"], entry["quotedMinutes"]) == ("waiting", "Anna", 30)
    await poll(env)
    assert sent_texts(fake_telegram) == ["Booked!"]  # nothing is free yet

    await call(env, "POST", f"/api/booking/cancel/{booked[0]['id']}")  # T1 is free again: 19:30 is the first start
    await poll(env)
    await poll(env)  # a second poll offers nothing more
    offers = sent_texts(fake_telegram)[1:]
    assert offers == [
        "Chez Test: good news, a table is free for you: Thu 26 Nov at 19:30, 2 guests. Shall I book it? "
        "I'll keep it for you for 10 minutes."
    ]
    assert last_buttons(fake_telegram) == [
        ("Yes, book it", f"/waitlist accept {entry['id']}"),
        ("No, thanks", f"/waitlist decline {entry['id']}"),
    ]
    offered = await call(env, "GET", f"/api/waitlist/{entry['id']}")
    assert offered["status"] == "offered" and offered["reservationId"] and offered["offerExpiresAt"]
    hold = await call(env, "GET", f"/api/reservations/{offered['reservationId']}")
    assert (hold["status"], hold["source"], hold["time"], hold["guestId"]) == (
        "created",
        "waitlist",
        "19:30",
        anna.guest_id,
    )
    free = await call(env, "GET", f"/api/booking/availability?date={THURSDAY}&time=19:30&guests=2")
    assert free["available"] is False  # the hold really keeps the table
    assert await OutboxMessage.filter(kind="waitlist_offer").count() == 1

    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    press = callback_query_update(GUEST_ID, f"/waitlist accept {entry['id']}", update_id=60)
    assert (await post_update(env, press, secret)).status_code == 200
    await env.drain()
    assert sent_texts(fake_telegram)[-1] == (
        f"Done! Your reservation #{hold['id']} for Thu 26 Nov at 19:30, 2 guests is confirmed. See you soon."
    )
    assert (await call(env, "GET", f"/api/waitlist/{entry['id']}"))["status"] == "booked"
    assert (await Reservation.get(id=hold["id"])).status == ReservationStatus.CONFIRMED
    listed = await call(env, "GET", "/api/waitlist")
    assert listed["items"] == []  # booked parties are off the open list
    everyone = await call(env, "GET", "/api/waitlist?status=booked")
    assert [e["id"] for e in everyone["items"]] == [entry["id"]]


async def test_silence_passes_the_table_to_the_next_party_and_no_says_no(make_env, fake_telegram, fake_openai, clock):
    env = await make_env(llm=True, options=NO_LISTENING)
    anna = await booked_on_telegram(env, fake_telegram, fake_openai)
    booked = await full_thursday(env)
    window = {"guests": 2, "date": THURSDAY, "timeFrom": "20:00", "timeTo": "20:00"}
    first = await call(env, "POST", "/api/waitlist", {**window, "guestId": anna.guest_id}, expect=201)
    second = await call(env, "POST", "/api/waitlist", {**window, "name": "Bea at the bar"}, expect=201)
    await call(env, "POST", f"/api/booking/cancel/{booked[1]['id']}")
    await poll(env)
    assert (await call(env, "GET", f"/api/waitlist/{first['id']}"))["status"] == "offered"
    assert (await call(env, "GET", f"/api/waitlist/{second['id']}"))["status"] == "waiting"  # one table, one offer

    clock.advance(minutes=10)  # the hold runs out: Anna's offer expires, Bea is offered the table
    await poll(env)
    gone = await call(env, "GET", f"/api/waitlist/{first['id']}")
    assert gone["status"] == "expired"
    assert (await Reservation.get(id=gone["reservationId"])).status == ReservationStatus.CANCELED
    bea = await call(env, "GET", f"/api/waitlist/{second['id']}")
    assert bea["status"] == "offered" and bea["reservationId"] != gone["reservationId"]

    # Anna taps "yes" too late: told so, nothing booked.
    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    press = callback_query_update(GUEST_ID, f"/waitlist accept {first['id']}", update_id=61)
    assert (await post_update(env, press, secret)).status_code == 200
    await env.drain()
    assert sent_texts(fake_telegram)[-1] == (
        "I'm sorry, that table was held for 10 minutes and has gone to the next guest."
    )

    # Bea has no chat: the host seats her from the list, on her held table.
    seated = await call(env, "PATCH", f"/api/waitlist/{second['id']}", {"status": "seated"})
    assert seated["status"] == "seated" and seated["reservationId"] == bea["reservationId"]
    assert (await Reservation.get(id=bea["reservationId"])).status == ReservationStatus.SEATED


async def test_no_passes_it_on_and_table_ready_is_sent(make_env, fake_telegram, fake_openai, clock):
    env = await make_env(llm=True, options=NO_LISTENING)
    anna = await booked_on_telegram(env, fake_telegram, fake_openai)
    booked = await full_thursday(env)
    body = {"guests": 2, "date": THURSDAY, "timeFrom": "20:00", "timeTo": "20:00", "guestId": anna.guest_id}
    entry = await call(env, "POST", "/api/waitlist", body, expect=201)
    await call(env, "POST", f"/api/booking/cancel/{booked[0]['id']}")
    await poll(env)
    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    press = callback_query_update(GUEST_ID, f"/waitlist decline {entry['id']}", update_id=62)
    assert (await post_update(env, press, secret)).status_code == 200
    await env.drain()
    assert sent_texts(fake_telegram)[-1].startswith("All right, I've passed the table on")
    left = await WaitlistEntry.get(id=entry["id"])
    assert left.status == "left"
    assert (await Reservation.get(id=left.reservation_id)).status == ReservationStatus.CANCELED

    # Tonight's walk-in party with Anna's chat: "your table is ready" through the outbox.
    clock.now = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
    waiting = await call(
        env, "POST", "/api/waitlist", {"guests": 2, "guestId": anna.guest_id, "quotedMinutes": 20}, 201
    )
    assert (waiting["date"], waiting["timeFrom"], waiting["timeTo"]) == ("2026-11-25", "19:00", "21:00")
    ready = await call(env, "POST", f"/api/waitlist/{waiting['id']}/ready")
    assert ready == {"queued": True, "channel": "telegram"}
    await poll(env)
    assert "Chez Test: your table is ready! Please come to the host stand." in sent_texts(fake_telegram)[-2:]
    await call(env, "DELETE", f"/api/waitlist/{waiting['id']}", expect=204)
    await call(env, "GET", f"/api/waitlist/{waiting['id']}", expect=404)


async def test_the_web_chat_offers_the_waitlist_when_full_and_yes_books_the_freed_table(make_env, clock):
    env = await make_env(options=NO_LISTENING)  # the guided path: no LLM
    booked = await full_thursday(env)
    client, rid, session = env.app.test_client(), env.restaurant_id, "web-session-0042"
    counter = iter(range(1, 1000))

    async def say(text: str) -> list[dict[str, Any]]:
        body = {"sessionId": session, "text": text, "messageId": f"message-{next(counter):04d}"}
        response = await client.post(f"/channels/webchat/{rid}/messages", json=body)
        assert response.status_code == 200, await response.get_data(as_text=True)
        return (await response.get_json())["replies"]

    full = await say("Table for 2 tomorrow at 20:00")
    assert full[0]["text"].startswith("Sorry, there's no table for 2 on Thu 26 Nov at 20:00")
    join = full[-1]["choices"][-1]
    assert join == {"label": "Join the waitlist", "value": "/waitlist join 2026-11-26 20:00 2"}
    joined = await say(join["value"])
    assert joined[0]["text"].startswith("I've put you on the waitlist for Thu 26 Nov at 20:00, 2 guests")
    [entry] = (await call(env, "GET", "/api/waitlist"))["items"]
    assert (entry["channel"], entry["chatId"], entry["timeFrom"], entry["timeTo"]) == (
        "webchat",
        session,
        "20:00",
        "21:30",
    )

    await call(env, "POST", f"/api/booking/cancel/{booked[0]['id']}")
    await poll(env)
    response = await client.get(f"/channels/webchat/{rid}/messages?sessionId={session}")
    [offer] = (await response.get_json())["replies"]
    assert offer["text"].startswith("Chez Test: good news, a table is free for you: Thu 26 Nov at 20:00, 2 guests.")
    assert [c["label"] for c in offer["choices"]] == ["Yes, book it", "No, thanks"]

    done = await say("yes")  # a plain yes answers the offer
    assert done[0]["text"].startswith("Done! Your reservation #")
    booked_entry = await call(env, "GET", f"/api/waitlist/{entry['id']}")
    assert booked_entry["status"] == "booked"
    reservation = await call(env, "GET", f"/api/reservations/{booked_entry['reservationId']}")
    assert (reservation["status"], reservation["time"], reservation["source"]) == ("confirmed", "20:00", "waitlist")


async def test_the_llm_puts_a_guest_on_the_waitlist_with_its_tool(make_env, fake_telegram, fake_openai, clock):
    from tests.channels.telegram.helpers import connect_bot
    from tests.fakes import message_update

    env = await make_env(llm=True, options=NO_LISTENING)
    await full_thursday(env)
    secret = await connect_bot(env, fake_telegram)
    slot = {"date": THURSDAY, "time": "20:00", "guests": 2, "name": "Olga", "until": "21:00"}
    fake_openai.queue_tool_calls([("join_waitlist", slot)])
    fake_openai.queue_text("You're on the waitlist.")
    await post_update(env, message_update(GUEST_ID, "Full? Then put me on the waitlist, Olga", update_id=3), secret)
    await env.drain()
    assert sent_texts(fake_telegram)[-1] == "You're on the waitlist."
    [entry] = (await call(env, "GET", "/api/waitlist"))["items"]
    assert (entry["guest"]["name"], entry["channel"], entry["chatId"]) == ("Olga", "telegram", str(GUEST_ID))
    assert (entry["date"], entry["timeFrom"], entry["timeTo"], entry["guests"]) == (THURSDAY, "20:00", "21:00", 2)
