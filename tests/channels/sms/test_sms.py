"""The SMS channel through the real twilio SDK against the fake Twilio: both ways, STOP and START, fallback."""

from __future__ import annotations

from datetime import UTC, datetime

from core.models import GuestConsent, Reservation, ReservationStatus
from core.worker import Worker
from tests.api.helpers import CSRF
from tests.channels.conftest import ACCOUNT_SID, SMS_NUMBER
from tests.channels.sms.helpers import (
    GUEST_PHONE,
    book_by_staff,
    connect_sms,
    inbound,
    messages_of,
    post_inbound,
    texts_to,
)


async def test_a_guest_texts_the_restaurant_and_gets_answers_once_and_only_when_twilio_signed(make_env, fake_twilio):
    env = await make_env()  # the guided path
    saved = await connect_sms(env)
    assert saved["settings"]["authToken"].startswith("••••")
    assert saved["settings"]["webhookUrl"].endswith(f"/channels/sms/{env.restaurant_id}/webhook")

    forged = await post_inbound(env, inbound("Hi"), token="not-the-auth-token")
    assert forged.status_code == 403
    await env.drain()
    assert texts_to(fake_twilio) == []

    hello = inbound("Hi")
    assert (await post_inbound(env, hello)).status_code == 200
    assert (await post_inbound(env, hello)).status_code == 200  # Twilio delivered it twice
    await env.drain()
    [greeting] = texts_to(fake_twilio)
    assert greeting.endswith("\n\n1. Book a table\n2. My reservations")
    assert "which day" in await reply_to(env, fake_twilio, "1")  # numbered options come back as the choice


async def reply_to(env, fake, text: str) -> str:
    before = len(texts_to(fake))
    assert (await post_inbound(env, inbound(text))).status_code == 200
    await env.drain()
    sent = texts_to(fake)
    assert len(sent) > before, f"no reply to {text!r}"
    return sent[-1]


async def test_a_booking_taken_by_phone_is_confirmed_by_sms_and_reminded_and_answered(make_env, fake_twilio, clock):
    env = await make_env()
    await connect_sms(env)
    booked = await book_by_staff(env, {"name": "Paula Phone", "phone": "+44 7700 900555"})
    await env.drain()
    [confirmation] = texts_to(fake_twilio)
    assert f"we have booked a table for you: Fri 27 Nov at 19:30, 2 guests. Reservation #{booked['id']}" in confirmation
    assert "See, change or cancel your booking: http://tobeout.test/manage/" in confirmation
    assert fake_twilio.sent_messages(ACCOUNT_SID)[0]["From"] == SMS_NUMBER

    clock.now = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)  # two hours before
    await Worker(env.runtime).run_once()
    await env.drain()
    reminder = texts_to(fake_twilio)[-1]
    assert reminder.startswith(f"Chez Test: a reminder of your reservation #{booked['id']}")
    assert reminder.endswith("1. Confirm\n2. Cancel\n3. Change")
    answer = await reply_to(env, fake_twilio, "1")
    assert "is confirmed" in answer
    assert (await Reservation.get(id=booked["id"])).status == ReservationStatus.CONFIRMED

    sent = await messages_of(env, booked["id"])
    assert [(m["kind"], m["notice"], m["channel"], m["to"], m["status"]) for m in sent] == [
        ("notification", "created", "sms", GUEST_PHONE, "sent"),
        ("reminder", None, "sms", GUEST_PHONE, "sent"),
    ]


async def test_a_guest_who_answered_stop_gets_no_sms_until_start(make_env, fake_twilio):
    env = await make_env()
    await connect_sms(env)
    stopped = await reply_to(env, fake_twilio, "STOP")
    assert stopped == "Chez Test: you will get no more text messages from us. Reply START to get them again."
    consent = await GuestConsent.get(restaurant_id=env.restaurant_id, channel="sms", address=GUEST_PHONE)
    assert (consent.granted, consent.source) == (False, "stop")

    booked = await book_by_staff(env, {"name": "Stella Stop", "phone": GUEST_PHONE})
    await env.drain()
    assert len(texts_to(fake_twilio)) == 1  # only the answer to STOP
    assert await messages_of(env, booked["id"]) == []  # no channel may reach her: staff see nothing was sent

    started = await reply_to(env, fake_twilio, "start")
    assert started.startswith("Chez Test: you will get text messages about your bookings again.")
    await GuestConsent.get(restaurant_id=env.restaurant_id, channel="sms", address=GUEST_PHONE, granted=True)
    response = await env.owner.patch(f"/api/reservations/{booked['id']}", json={"time": "20:00"}, headers=CSRF)
    assert response.status_code == 200
    await env.drain()
    assert "has been changed to Fri 27 Nov at 20:00" in texts_to(fake_twilio)[-1]
