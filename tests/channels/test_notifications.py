"""Staff changes told to the guest on their channel (plugins.notifications), through the real SDKs and fakes."""

from __future__ import annotations

import time as clock

from core.models import AiActivity, Conversation, Reservation, ReservationStatus
from core.plugins import read_plugins_file
from tests.api.helpers import CSRF, create_guest
from tests.channels.conftest import ACCOUNT_SID, BOT_TOKEN, CHANNEL_PLUGINS, PLUGINS_TOML
from tests.channels.telegram.helpers import GUEST_ID, connect_bot, post_update, sent_texts
from tests.channels.whatsapp.helpers import GUEST_PHONE, connect_sender, inbound, post_inbound, sent_bodies
from tests.fakes import message_update


async def booked_on_telegram(env, fake_telegram, fake_openai) -> Reservation:
    """The guest books a table for 4 on Friday 19:30 in a Telegram chat (LLM path)."""
    secret = await connect_bot(env, fake_telegram)
    slot = {"date": "2026-11-27", "time": "19:30", "guests": 4}
    fake_openai.queue_tool_calls([("create_reservation", {**slot, "name": "Anna", "phone": "+44 7700 900123"})])
    fake_openai.queue_text("Booked!")
    await post_update(env, message_update(GUEST_ID, "Book Friday 19:30 for 4, Anna", update_id=1), secret)
    await env.drain()
    assert sent_texts(fake_telegram) == ["Booked!"]  # the guest's own booking is not notified again
    return await Reservation.get(restaurant_id=env.restaurant_id)


async def activities(env, *types: str) -> list[AiActivity]:
    return list(await AiActivity.filter(restaurant_id=env.restaurant_id, type__in=types).order_by("id"))


async def test_a_staff_cancellation_is_told_on_telegram(make_env, fake_telegram, fake_openai):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)

    response = await env.owner.post(f"/api/booking/cancel/{reservation.id}", headers=CSRF)
    assert response.status_code == 200
    await env.drain()

    told = sent_texts(fake_telegram)[-1]
    assert told == (
        f"Chez Test: your reservation #{reservation.id} for Fri 27 Nov at 19:30, 4 guests has been canceled. "
        "Write here if you would like to book another time."
    )
    [row] = await activities(env, "notification", "notification_failed")
    assert (row.type, row.message) == ("notification", told)
    assert row.metadata["channel"] == "telegram" and row.metadata["chatId"] == str(GUEST_ID)
    assert row.metadata["reservationId"] == reservation.id and row.metadata["attempt"] == 1


async def test_a_staff_move_is_told_and_a_table_change_is_not(make_env, fake_telegram, fake_openai):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)
    response = await env.owner.patch(f"/api/reservations/{reservation.id}", json={"time": "20:30"}, headers=CSRF)
    assert response.status_code == 200, await response.get_data(as_text=True)
    await env.drain()
    assert sent_texts(fake_telegram)[-1].startswith(
        f"Chez Test: your reservation #{reservation.id} has been changed to Fri 27 Nov at 20:30, 4 guests."
    )
    count = len(sent_texts(fake_telegram))
    response = await env.owner.patch(f"/api/reservations/{reservation.id}", json={"comments": "window"}, headers=CSRF)
    assert response.status_code == 200
    await env.drain()
    assert len(sent_texts(fake_telegram)) == count


async def test_a_staff_booking_is_told_on_whatsapp_in_the_guests_language(make_env, fake_twilio):
    env = await make_env()
    await connect_sender(env)
    await post_inbound(env, inbound("Здравствуйте", ProfileName="Анна"))
    await env.drain()
    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="whatsapp")
    assert conversation.language == "ru" and conversation.guest_id is not None

    body = {"date": "2026-11-26", "time": "20:00", "guests": 2, "guestId": conversation.guest_id}
    response = await env.owner.post("/api/booking/create", json=body, headers=CSRF)
    assert response.status_code == 201, await response.get_data(as_text=True)
    rid = (await response.get_json())["id"]
    await env.drain()

    told, link = sent_bodies(fake_twilio)[-1].split("\n")
    assert told == (
        f"Chez Test: мы забронировали для вас столик: чт, 26 ноября в 20:00, 2 гостя. Бронь №{rid}. "
        "Если нужно что-то изменить, напишите сюда."
    )
    assert link.startswith("Посмотреть, изменить или отменить бронь: http://tobeout.test/manage/")  # a confirmation
    sent = fake_twilio.sent_messages(ACCOUNT_SID)[-1]
    assert sent["To"] == f"whatsapp:{GUEST_PHONE}"


async def test_a_failing_send_is_retried_with_backoff_then_logged_and_the_cancellation_stands(
    make_env, fake_telegram, fake_openai
):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)
    fake_telegram.fail_next(BOT_TOKEN, "sendMessage", 502, "Bad Gateway", times=100)

    started = clock.monotonic()
    response = await env.owner.post(f"/api/booking/cancel/{reservation.id}", headers=CSRF)
    assert response.status_code == 200 and (await response.get_json())["status"] == "canceled"
    assert clock.monotonic() - started < 2  # the staff action did not wait for Telegram
    await env.drain()

    failed = await activities(env, "notification", "notification_failed")
    assert [(r.type, r.metadata["attempt"], r.metadata["final"]) for r in failed] == [
        ("notification_failed", 1, False),
        ("notification_failed", 2, False),
        ("notification_failed", 3, True),
    ]
    assert all(r.metadata["retryable"] and "unreachable" in r.response for r in failed)
    gaps = [(b.created_at - a.created_at).total_seconds() for a, b in zip(failed, failed[1:], strict=False)]
    assert gaps[0] >= 0.05 and gaps[1] >= 0.1  # backoff_seconds=0.05, doubling
    assert (await Reservation.get(id=reservation.id)).status == ReservationStatus.CANCELED


async def test_a_transient_failure_is_retried_until_delivered(make_env, fake_telegram, fake_openai):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)
    fake_telegram.fail_next(BOT_TOKEN, "sendMessage", 429, "Too Many Requests: retry after 0", retry_after=0)
    await env.owner.post(f"/api/booking/cancel/{reservation.id}", headers=CSRF)
    await env.drain()
    rows = await activities(env, "notification", "notification_failed")
    assert [r.type for r in rows] == ["notification_failed", "notification"]
    assert "has been canceled" in sent_texts(fake_telegram)[-1]


async def test_a_blocked_bot_is_not_retried(make_env, fake_telegram, fake_openai):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)
    fake_telegram.fail_next(BOT_TOKEN, "sendMessage", 403, "Forbidden: bot was blocked by the user", times=100)
    await env.owner.post(f"/api/booking/cancel/{reservation.id}", headers=CSRF)
    await env.drain()
    [row] = await activities(env, "notification", "notification_failed")
    assert row.type == "notification_failed" and row.metadata["final"] and not row.metadata["retryable"]


async def test_a_guest_cancelling_in_the_chat_is_not_notified_again(make_env, fake_telegram, fake_openai):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)
    fake_openai.queue_tool_calls([("cancel_reservation", {"reservation_id": reservation.id})])
    fake_openai.queue_text("Done, your reservation is canceled.")
    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    await post_update(env, message_update(GUEST_ID, "Please cancel my reservation", update_id=2), secret)
    await env.drain()
    assert (await Reservation.get(id=reservation.id)).status == ReservationStatus.CANCELED
    assert sent_texts(fake_telegram) == ["Booked!", "Done, your reservation is canceled."]


async def test_a_guest_known_on_no_channel_is_not_notified(make_env, fake_telegram, fake_twilio):
    env = await make_env()
    await connect_bot(env, fake_telegram)
    await connect_sender(env)
    guest = await create_guest(env.owner, name="Walk In", phone="+447700900999")
    body = {"date": "2026-11-26", "time": "20:00", "guests": 2, "guestId": guest["id"]}
    assert (await env.owner.post("/api/booking/create", json=body, headers=CSRF)).status_code == 201
    await env.drain()
    assert fake_telegram.calls(BOT_TOKEN, "sendMessage") == [] and fake_twilio.sent_messages() == []
    assert await activities(env, "notification", "notification_failed") == []


def test_plugins_toml_turns_the_channels_and_notifications_on():
    config = read_plugins_file(PLUGINS_TOML)
    assert set(CHANNEL_PLUGINS) <= set(config.enabled)


async def test_the_restaurant_confirming_a_booking_is_told_and_the_guests_own_confirmation_is_not(
    make_env, fake_telegram, fake_openai
):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)
    response = await env.owner.patch(f"/api/reservations/{reservation.id}", json={"status": "confirmed"}, headers=CSRF)
    assert response.status_code == 200, await response.get_data(as_text=True)
    await env.drain()
    told, link = sent_texts(fake_telegram)[-1].split("\n")
    assert told == (
        f"Chez Test: your reservation #{reservation.id} for Fri 27 Nov at 19:30, 4 guests is confirmed. "
        "We look forward to seeing you!"
    )
    assert link.startswith("See, change or cancel your booking: http://tobeout.test/manage/")
    count = len(sent_texts(fake_telegram))
    body = {"status": "seated", "confirmSeating": True}  # two days early: confirmed as the dashboard asks
    response = await env.owner.patch(f"/api/reservations/{reservation.id}", json=body, headers=CSRF)
    assert response.status_code == 200
    await env.drain()
    assert len(sent_texts(fake_telegram)) == count  # seating the guest is not worth a message
    [row] = await activities(env, "notification")
    assert row.metadata["notice"] == "confirmed" and row.metadata["channel"] == "telegram"


async def booked_in_german_on_telegram(env, fake_telegram) -> Reservation:
    """A guest books a table for 4 on Friday 19:30 in German in a Telegram chat (guided path)."""
    secret = await connect_bot(env, fake_telegram)
    steps = ("Tisch für 4 am Freitag um 19:30", "Anna", "+49 30 1234567", "ja")
    for n, text in enumerate(steps, start=1):
        await post_update(env, message_update(GUEST_ID, text, update_id=n), secret)
        await env.drain()
    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="telegram")
    assert conversation.language == "de", sent_texts(fake_telegram)
    return await Reservation.get(restaurant_id=env.restaurant_id)


async def test_a_german_guest_is_told_a_staff_move_and_cancellation_in_german(make_env, fake_telegram):
    env = await make_env()
    reservation = await booked_in_german_on_telegram(env, fake_telegram)
    rid, told = reservation.id, len(sent_texts(fake_telegram))
    response = await env.owner.patch(f"/api/reservations/{rid}", json={"time": "20:30"}, headers=CSRF)
    assert response.status_code == 200, await response.get_data(as_text=True)
    await env.drain()
    [moved] = sent_texts(fake_telegram)[told:]
    assert moved.split("\n") == [
        f"Chez Test: Ihre Reservierung Nr. {rid} wurde geändert: Fr., 27. November um 20:30, 4 Gäste. "
        "Schreiben Sie hier, wenn Ihnen das nicht passt.",
        moved.split("\n")[1],
    ]
    assert moved.split("\n")[1].startswith("Reservierung ansehen, ändern oder stornieren: http://tobeout.test/manage/")
    assert (await env.owner.post(f"/api/booking/cancel/{rid}", headers=CSRF)).status_code == 200
    await env.drain()
    assert sent_texts(fake_telegram)[-1] == (
        f"Chez Test: Ihre Reservierung Nr. {rid} für Fr., 27. November um 20:30, 4 Gäste wurde storniert. "
        "Schreiben Sie hier, wenn Sie eine andere Zeit reservieren möchten."
    )
