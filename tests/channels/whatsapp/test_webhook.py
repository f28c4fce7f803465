"""The WhatsApp webhook and replies through the real twilio SDK against the fake Twilio REST API."""

from __future__ import annotations

import asyncio
from datetime import date, time

from core.booking.service import BookingRequest, BookingService, GuestInput
from core.models import AiActivity, Conversation, GuestIdentity, ProcessedMessage, Reservation
from tests.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, NOW, PUBLIC, WA_SENDER
from tests.channels.whatsapp.helpers import GUEST_PHONE, connect_sender, inbound, post_inbound, sent_bodies
from tests.fakes import Text, sign_twilio_request

FRIDAY = date(2026, 11, 27)


async def test_a_full_booking_through_the_llm_with_the_guests_number(make_env, fake_twilio, fake_openai):
    env = await make_env(llm=True)
    await connect_sender(env)
    slot = {"date": "2026-11-27", "time": "19:30", "guests": 4}
    fake_openai.queue_tool_calls([("check_availability", slot)])
    fake_openai.queue_tool_calls([("create_reservation", {**slot, "name": "Anna Smith"})])
    fake_openai.queue_text("Booked! A table for 4 on Friday at 19:30, Anna.")

    response = await post_inbound(env, inbound("Table for 4 this Friday 7:30pm please, I'm Anna Smith"))
    assert response.status_code == 200
    assert response.content_type.startswith("text/xml") and "<Response/>" in await response.get_data(as_text=True)
    await env.drain()

    assert sent_bodies(fake_twilio) == ["Booked! A table for 4 on Friday at 19:30, Anna."]
    sent = fake_twilio.sent_messages(ACCOUNT_SID)[0]
    assert sent["From"] == f"whatsapp:{WA_SENDER}"
    reservation = await Reservation.get(restaurant_id=env.restaurant_id).prefetch_related("guest")
    assert (reservation.date, reservation.time, reservation.guests, reservation.source) == (
        FRIDAY,
        time(19, 30),
        4,
        "whatsapp",
    )
    assert reservation.guest.phone == GUEST_PHONE  # the WhatsApp number is the guest's phone
    identity = await GuestIdentity.get(restaurant_id=env.restaurant_id, channel="whatsapp")
    assert (identity.external_id, identity.guest_id) == (GUEST_PHONE, reservation.guest_id)


async def test_the_guest_who_booked_by_phone_is_recognised(make_env, fake_twilio):
    env = await make_env()
    service = BookingService(env.runtime.bus, lambda: NOW)
    booked = await service.create(
        env.restaurant_id,
        BookingRequest(date=FRIDAY, time="20:00", guests=2, guest=GuestInput(name="Boris", phone="+44 7700 900123")),
    )
    await connect_sender(env)
    await post_inbound(env, inbound("My reservations"))
    await env.drain()
    assert any(f"#{booked.id}" in body or "20:00" in body for body in sent_bodies(fake_twilio))


async def test_a_guided_booking_with_numbered_options(make_env, fake_twilio):
    env = await make_env()  # no LLM: the guided path
    await connect_sender(env)

    async def say(text: str) -> str:
        before = len(sent_bodies(fake_twilio))
        assert (await post_inbound(env, inbound(text, ProfileName="Anna"))).status_code == 200
        await env.drain()
        bodies = sent_bodies(fake_twilio)
        assert len(bodies) > before, f"no reply to {text!r}"
        return bodies[-1]

    greeting = await say("Hi")
    assert greeting.endswith("\n\n1. Book a table\n2. My reservations")
    assert "which day" in await say("1")  # the number comes back as the first choice's value
    assert "What time on Fri 27 Nov" in await say("Friday")
    assert "How many guests" in await say("7:30pm")
    # no options were offered, so "4" stays the party size; WhatsApp gave the name and the number
    confirm = await say("4")
    assert confirm.startswith("Book a table for 4 on Fri 27 Nov at 19:30 for Anna?")
    assert confirm.endswith("1. Yes\n2. No")
    assert (await say("1")).startswith("Done! Your table for 4 on Fri 27 Nov at 19:30 is booked")
    reservation = await Reservation.get(restaurant_id=env.restaurant_id).prefetch_related("guest")
    assert (reservation.guests, reservation.source, reservation.guest.phone) == (4, "whatsapp", GUEST_PHONE)


async def test_a_retried_message_sid_is_processed_once(make_env, fake_twilio, fake_openai):
    env = await make_env(llm=True)
    await connect_sender(env)
    fake_openai.queue_delay(0.5, then=Text("Hello! How can I help?"))
    params = inbound("Hello")
    first = await post_inbound(env, params)
    retries = await asyncio.gather(*(post_inbound(env, params) for _ in range(3)))
    assert first.status_code == 200 and all(r.status_code == 200 for r in retries)
    await env.drain()
    assert sent_bodies(fake_twilio) == ["Hello! How can I help?"]
    assert len(fake_openai.chat_requests) == 1
    assert await ProcessedMessage.filter(restaurant_id=env.restaurant_id, channel="whatsapp").count() == 1


async def test_bad_or_missing_signatures_are_refused_and_nothing_happens(make_env, fake_twilio):
    env = await make_env()
    await connect_sender(env)
    params = inbound("Hi")
    assert (await post_inbound(env, params, signature="")).status_code == 403
    assert (await post_inbound(env, params, signature="bm90IGEgc2lnbmF0dXJl")).status_code == 403
    assert (await post_inbound(env, params, token="someone-elses-token")).status_code == 403
    # signed for another URL (the proxy's internal address instead of PUBLIC_BASE_URL)
    internal = f"http://127.0.0.1:8000/channels/whatsapp/{env.restaurant_id}/webhook"
    assert (await post_inbound(env, params, url=internal)).status_code == 403
    tampered = {**params, "Body": "Cancel everything"}
    signature = sign_twilio_request(f"{PUBLIC}/channels/whatsapp/{env.restaurant_id}/webhook", params, AUTH_TOKEN)
    assert (await post_inbound(env, tampered, signature=signature)).status_code == 403
    await env.drain()
    assert fake_twilio.sent_messages() == []
    assert await AiActivity.filter(restaurant_id=env.restaurant_id).count() == 0
    assert await Conversation.filter(restaurant_id=env.restaurant_id).count() == 0
    assert (await post_inbound(env, params)).status_code == 200  # the genuine one passes


async def test_media_gets_a_polite_answer(make_env, fake_twilio):
    env = await make_env()
    await connect_sender(env)
    photo = inbound(
        "",
        NumMedia="1",
        MediaUrl0="https://api.twilio.com/media/ME1",
        MediaContentType0="image/jpeg",
        MessageType="image",
    )
    assert (await post_inbound(env, photo)).status_code == 200
    await env.drain()
    assert sent_bodies(fake_twilio) == [
        "Sorry, I can only read text messages. Please write what you would like, "
        "for example: “a table for 2 tomorrow at 19:00”."
    ]


async def test_a_send_failure_is_logged_and_the_webhook_still_answers(make_env, fake_twilio):
    env = await make_env()
    await connect_sender(env)
    fake_twilio.fail_next(400, 63016, "Failed to send freeform message because you are outside the allowed window.")
    assert (await post_inbound(env, inbound("Hi"))).status_code == 200
    await env.drain()
    assert sent_bodies(fake_twilio) == []
    assert (await post_inbound(env, inbound("Hi again"))).status_code == 200
    await env.drain()
    assert len(sent_bodies(fake_twilio)) == 1
