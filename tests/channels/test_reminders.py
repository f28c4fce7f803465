"""Reminders end to end on each channel, through the real SDKs and the fakes: sent when due, answered with a tap.

The worker's poll is run by hand (``Worker(runtime).run_once()``) with the test clock, as
``tobeout worker`` runs it on its own.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from core.models import AiActivity, Conversation, OutboxMessage, Reservation, ReservationStatus
from core.worker import Worker
from tests.api.helpers import CSRF
from tests.channels.conftest import ACCOUNT_SID, BOT_TOKEN
from tests.channels.telegram.helpers import GUEST_ID, post_update, sent_texts
from tests.channels.test_notifications import booked_in_german_on_telegram, booked_on_telegram
from tests.channels.whatsapp.helpers import GUEST_PHONE, connect_sender, inbound, post_inbound, sent_bodies
from tests.fakes import callback_query_update

S = ReservationStatus
TEMPLATE_SID = "HX" + "0123456789abcdef" * 2


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in November 2026 (London is on UTC then)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


async def poll(env) -> None:
    worker = env.extra.setdefault("worker", Worker(env.runtime))
    await worker.run_once()
    await env.drain()


async def activities(env, *types: str) -> list[AiActivity]:
    return list(await AiActivity.filter(restaurant_id=env.restaurant_id, type__in=types).order_by("id"))


def last_buttons(fake) -> list[tuple[str, str]]:
    markup = fake.sent_messages(BOT_TOKEN, GUEST_ID)[-1]["reply_markup"]
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


async def test_a_telegram_reminder_is_sent_once_when_due_and_confirmed_with_a_button(
    make_env, fake_telegram, fake_openai, clock
):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)  # Fri 27 Nov 19:30, 4 guests
    clock.now = at(27, 17, 29)
    await poll(env)
    assert sent_texts(fake_telegram) == ["Booked!"]  # not due yet

    clock.now = at(27, 17, 30)
    await poll(env)
    await poll(env)  # a second poll finds nothing new to send
    assert sent_texts(fake_telegram)[1:] == [
        f"Chez Test: a reminder of your reservation #{reservation.id}: Fri 27 Nov at 19:30, 4 guests. Will you come?"
    ]
    assert last_buttons(fake_telegram) == [
        ("Confirm", f"/reminder confirm {reservation.id}"),
        ("Cancel", f"/reminder cancel {reservation.id}"),
        ("Change", f"/reminder change {reservation.id}"),
    ]
    row = await Reservation.get(id=reservation.id)
    assert (row.confirmation_2h, row.confirmation_1h) == (True, False)
    [sent] = await activities(env, "reminder")
    assert sent.metadata["minutes"] == 120 and sent.metadata["channel"] == "telegram"

    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    press = callback_query_update(GUEST_ID, f"/reminder confirm {reservation.id}", update_id=50)
    assert (await post_update(env, press, secret)).status_code == 200
    await env.drain()
    assert (await Reservation.get(id=reservation.id)).status == S.CONFIRMED
    assert sent_texts(fake_telegram)[-1] == (
        f"Thank you! Your reservation #{reservation.id} for Fri 27 Nov at 19:30, 4 guests is confirmed. See you soon."
    )
    [answer] = await activities(env, "reminder_answer")
    assert answer.metadata["outcome"] == "confirmed" and answer.metadata["channel"] == "telegram"

    clock.now = at(27, 18, 30)  # the one-hour reminder still goes to a confirmed booking
    await poll(env)
    assert len(sent_texts(fake_telegram)) == 4
    assert (await Reservation.get(id=reservation.id)).confirmation_1h is True


async def test_a_whatsapp_guest_cancels_from_the_reminder_with_a_number(make_env, fake_twilio, clock):
    env = await make_env()
    await connect_sender(env)
    await post_inbound(env, inbound("Здравствуйте", ProfileName="Анна"))
    await env.drain()
    guest_id = (await Conversation.get(restaurant_id=env.restaurant_id, channel="whatsapp")).guest_id
    body = {"date": "2026-11-25", "time": "20:00", "guests": 2, "guestId": guest_id}
    response = await env.owner.post("/api/booking/create", json=body, headers=CSRF)
    assert response.status_code == 201
    rid = (await response.get_json())["id"]
    await env.drain()
    told = len(sent_bodies(fake_twilio))  # the staff booking was told

    clock.now = at(25, 18, 0)
    await poll(env)
    assert sent_bodies(fake_twilio)[told:] == [
        f"Chez Test: напоминаем о вашей брони №{rid}: ср, 25 ноября в 20:00, 2 гостя. Вы придёте?\n\n"
        "1. Подтвердить\n2. Отменить\n3. Изменить"
    ]
    await post_inbound(env, inbound("2", MessageSid="SM" + "2" * 32))
    await env.drain()
    assert (await Reservation.get(id=rid)).status == S.CANCELED
    assert (
        sent_bodies(fake_twilio)[-1] == f"Ваша бронь №{rid} на ср, 25 ноября в 20:00, 2 гостя отменена. "
        "Будем рады видеть вас в другой раз."
    )
    assert len(sent_bodies(fake_twilio)) == told + 2  # the guest's own cancellation is not notified again


async def test_whatsapps_window_blocks_a_reminder_until_a_template_is_set(make_env, fake_twilio, clock):
    env = await make_env()
    await connect_sender(env)
    await post_inbound(env, inbound("Hello there", ProfileName="Anna"))
    await env.drain()
    guest_id = (await Conversation.get(restaurant_id=env.restaurant_id, channel="whatsapp")).guest_id
    body = {"date": "2026-11-26", "time": "20:00", "guests": 2, "guestId": guest_id}
    rid = (await (await env.owner.post("/api/booking/create", json=body, headers=CSRF)).get_json())["id"]
    await env.drain()
    before = len(fake_twilio.sent_messages(ACCOUNT_SID))

    clock.now = at(26, 18, 0)  # 32 hours after the guest's last message: outside WhatsApp's window
    await poll(env)
    await poll(env)
    assert len(fake_twilio.sent_messages(ACCOUNT_SID)) == before  # not sent, and not retried blindly
    [blocked] = await activities(env, "reminder_blocked")
    assert "24 hours" in blocked.response and "reminderTemplateSid" in blocked.response
    assert (await OutboxMessage.get(id=blocked.metadata["outboxId"])).status == "blocked"

    saved = await env.save("whatsapp", {"reminderTemplateSid": TEMPLATE_SID})
    assert saved["settings"]["reminderTemplateSid"] == TEMPLATE_SID
    clock.now = at(26, 19, 0)
    await poll(env)
    [sent] = fake_twilio.sent_messages(ACCOUNT_SID)[before:]
    assert sent["ContentSid"] == TEMPLATE_SID and sent["To"] == f"whatsapp:{GUEST_PHONE}"
    variables = json.loads(sent["ContentVariables"])
    assert variables == {"1": "Chez Test", "2": "Thu 26 Nov at 20:00, 2 guests", "3": str(rid)}
    await post_inbound(env, inbound("1", MessageSid="SM" + "3" * 32))  # the numbered answers still work
    await env.drain()
    assert (await Reservation.get(id=rid)).status == S.CONFIRMED


async def test_a_web_chat_guest_sees_the_reminder_and_answers_it(make_env, clock):
    env = await make_env()
    client = env.app.test_client()
    url = f"/channels/webchat/{env.restaurant_id}/messages"
    session = "reminded-visitor-01"
    counter = iter(range(1, 100))

    async def say(text: str) -> list[dict]:
        body = {"sessionId": session, "text": text, "messageId": f"message-{next(counter):04d}"}
        response = await client.post(url, json=body)
        assert response.status_code == 200
        return (await response.get_json())["replies"]

    for text in ("Table for 2 tomorrow at 7pm", "Anna", "+447700900555", "yes"):
        replies = await say(text)
    assert "booked" in replies[0]["text"]
    reservation = await Reservation.get(restaurant_id=env.restaurant_id)

    clock.now = at(26, 17, 0)
    await poll(env)
    pending = (await (await client.get(f"{url}?sessionId={session}")).get_json())["replies"]
    assert [r["text"] for r in pending] == [
        f"Chez Test: a reminder of your reservation #{reservation.id}: Thu 26 Nov at 19:00, 2 guests. Will you come?"
    ]
    values = [c["value"] for c in pending[0]["choices"]]
    assert values == [f"/reminder {a} {reservation.id}" for a in ("confirm", "cancel", "change")]
    assert (await (await client.get(f"{url}?sessionId={session}")).get_json())["replies"] == []  # delivered once
    # A widget whose response got lost asks again after the last message it showed, and gets it again.
    again = (await (await client.get(f"{url}?sessionId={session}&after=0")).get_json())["replies"]
    assert [r["id"] for r in again] == [pending[0]["id"]]
    assert (await (await client.get(f"{url}?sessionId={session}&after={pending[0]['id']}")).get_json())["replies"] == []
    assert (await client.get(f"{url}?sessionId={session}&after=-1")).status_code == 400

    # Change: the conversation engine's guided change of that booking, then the guest's next messages.
    change = await say(values[2])
    assert change[0]["text"] == (
        f"What should I change for reservation #{reservation.id} (Thu 26 Nov at 19:00, 2 guests)? "
        "Tell me the new day, time or number of guests."
    )
    question = await say("20:30")
    assert "20:30" in question[0]["text"], question
    done = await say("yes")
    assert "20:30" in done[0]["text"], done
    moved = await Reservation.get(id=reservation.id)
    assert f"{moved.time:%H:%M}" == "20:30" and moved.status == S.CREATED
    await say(values[0])
    assert (await Reservation.get(id=reservation.id)).status == S.CONFIRMED
    outcomes = [a.metadata["outcome"] for a in await activities(env, "reminder_answer")]
    assert outcomes == ["asked_new_time", "confirmed"]


async def test_another_guests_reservation_cannot_be_answered(make_env, fake_telegram, fake_openai, clock):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)
    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    stranger = 777123
    press = callback_query_update(stranger, f"/reminder cancel {reservation.id}", update_id=60)
    await post_update(env, press, secret)
    await env.drain()
    assert (await Reservation.get(id=reservation.id)).status == S.CREATED
    assert sent_texts(fake_telegram, stranger)[-1].startswith("I could not find that reservation")


async def test_reminder_rules_late_bookings_started_ones_off_switch_and_downtime(
    make_env, fake_telegram, fake_openai, clock
):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)  # Fri 27 19:30, made Wed
    profile = await (await env.owner.get("/api/restaurants/profile")).get_json()
    assert profile["reminderMinutes"] == [120, 60]
    assert (profile["noShowAfterMinutes"], profile["archiveAfterDays"]) == (30, 30)

    # Every worker was down from before 17:30 to 18:45: both moments passed; the guest gets one reminder.
    clock.now = at(27, 18, 45)
    await poll(env)
    await poll(env)
    assert len(sent_texts(fake_telegram)) == 2
    rows = {r.payload["minutes"]: r.status for r in await OutboxMessage.filter(reservation_id=reservation.id)}
    assert rows == {60: "sent", 120: "skipped"}

    # A booking made after a reminder's moment does not get that reminder.
    await Reservation.filter(id=reservation.id).update(status=S.CANCELED)
    clock.now = at(28, 18, 0)
    body = {"date": "2026-11-28", "time": "19:30", "guests": 2, "guestId": reservation.guest_id}
    late = (await (await env.owner.post("/api/booking/create", json=body, headers=CSRF)).get_json())["id"]
    await env.drain()
    count = len(sent_texts(fake_telegram))  # includes the staff booking's notice
    await poll(env)
    assert len(sent_texts(fake_telegram)) == count  # 17:30 was before it was booked
    clock.now = at(28, 18, 30)
    await poll(env)
    assert len(sent_texts(fake_telegram)) == count + 1 and "reminder" in sent_texts(fake_telegram)[-1]

    # Once it has started nothing is sent; and [] turns reminders off.
    response = await env.owner.put("/api/restaurants/profile", json={"reminderMinutes": []}, headers=CSRF)
    assert response.status_code == 200 and (await response.get_json())["reminderMinutes"] == []
    body = {"date": "2026-11-29", "time": "20:00", "guests": 2, "guestId": reservation.guest_id}
    assert (await env.owner.post("/api/booking/create", json=body, headers=CSRF)).status_code == 201
    await env.drain()
    count = len(sent_texts(fake_telegram))
    clock.now = at(29, 19, 0)
    await poll(env)
    assert len(sent_texts(fake_telegram)) == count
    assert late


async def test_bad_reminder_settings_are_refused_with_a_clear_message(make_env):
    env = await make_env()
    for body in (
        {"reminderMinutes": [60, 60]},
        {"reminderMinutes": [1]},
        {"reminderMinutes": None},
        {"noShowAfterMinutes": -1},
        {"archiveAfterDays": 0},
        {"reminderMinutes": "120"},
    ):
        response = await env.owner.put("/api/restaurants/profile", json=body, headers=CSRF)
        assert response.status_code == 400, body
        assert (await response.get_json())["message"]


async def test_no_shows_can_be_switched_off_and_on_again(make_env):
    env = await make_env()
    for sent, stored in ((None, None), (45, 45), (0, 0)):
        response = await env.owner.put("/api/restaurants/profile", json={"noShowAfterMinutes": sent}, headers=CSRF)
        assert response.status_code == 200, await response.get_json()
        assert (await response.get_json())["noShowAfterMinutes"] == stored
        assert (await (await env.owner.get("/api/restaurants/profile")).get_json())["noShowAfterMinutes"] == stored


async def test_twilio_refusing_a_freeform_message_for_the_window_is_logged_not_retried(make_env, fake_twilio, clock):
    env = await make_env()
    await connect_sender(env)
    await post_inbound(env, inbound("Hello there", ProfileName="Anna"))
    await env.drain()
    guest_id = (await Conversation.get(restaurant_id=env.restaurant_id, channel="whatsapp")).guest_id
    body = {"date": "2026-11-25", "time": "20:00", "guests": 2, "guestId": guest_id}
    assert (await env.owner.post("/api/booking/create", json=body, headers=CSRF)).status_code == 201
    await env.drain()
    before = len(fake_twilio.sent_messages(ACCOUNT_SID))
    # Our clock says the window is open; WhatsApp (through Twilio) knows better.
    fake_twilio.fail_next(400, 63016, "Failed to send freeform message because you are outside the allowed window.")
    clock.now = at(25, 18, 0)
    await poll(env)
    await poll(env)
    assert len(fake_twilio.sent_messages(ACCOUNT_SID)) == before
    [blocked] = await activities(env, "reminder_blocked")
    assert blocked.metadata["code"] == "whatsapp_window" and "24 hours" in blocked.response
    assert await activities(env, "reminder_failed") == []


async def test_a_german_guests_reminder_and_its_answers_are_in_german(make_env, fake_telegram, clock):
    env = await make_env()
    rid = (await booked_in_german_on_telegram(env, fake_telegram)).id  # Fri 27 Nov 19:30, 4 guests

    clock.now = at(27, 17, 30)
    await poll(env)
    assert sent_texts(fake_telegram)[-1] == (
        f"Chez Test: Wir erinnern Sie an Ihre Reservierung Nr. {rid}: Fr., 27. November um 19:30, 4 Gäste. Kommen Sie?"
    )
    assert last_buttons(fake_telegram) == [
        ("Bestätigen", f"/reminder confirm {rid}"),
        ("Stornieren", f"/reminder cancel {rid}"),
        ("Ändern", f"/reminder change {rid}"),
    ]

    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    await post_update(env, callback_query_update(GUEST_ID, f"/reminder cancel {rid}", update_id=70), secret)
    await env.drain()
    assert (await Reservation.get(id=rid)).status == S.CANCELED
    assert sent_texts(fake_telegram)[-1] == (
        f"Ihre Reservierung Nr. {rid} für Fr., 27. November um 19:30, 4 Gäste ist storniert. "
        "Wir freuen uns, Sie ein andermal zu sehen."
    )
    # Confirming it now is refused, with the status in German too.
    await post_update(env, callback_query_update(GUEST_ID, f"/reminder confirm {rid}", update_id=71), secret)
    await env.drain()
    assert sent_texts(fake_telegram)[-1] == (
        f"Ihre Reservierung Nr. {rid} hat jetzt den Status „storniert“ und kann nicht mehr bestätigt werden."
    )
