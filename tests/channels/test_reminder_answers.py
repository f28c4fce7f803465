"""A guest's free-text answer to a reminder ("yes, I'll be there", "да, приду", "can we move it?"),
on the LLM path (the ``confirm_reservation`` tool, scripted on the fake OpenAI server) and on the
guided path (yes / no / change read by the understanding step), through real channels and fakes.
"""

from __future__ import annotations

import json

from core.conversation.booking_tools import ReservationArgs
from core.conversation.tools import schema_of
from core.models import Conversation, ConversationMessage, MessageRole, Reservation, ReservationStatus
from tests.channels.conftest import BOT_TOKEN
from tests.channels.telegram.helpers import GUEST_ID, post_update, sent_texts
from tests.channels.test_notifications import booked_in_german_on_telegram, booked_on_telegram
from tests.channels.test_reminders import activities, at, poll
from tests.fakes import message_update

S = ReservationStatus


def tool_results(request: dict) -> list[dict]:
    return [json.loads(m["content"]) for m in request["messages"] if m["role"] == "tool"]


async def test_an_llm_guest_confirms_a_reminder_in_their_own_words(make_env, fake_telegram, fake_openai, clock):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)  # Fri 27 Nov 19:30, 4 guests
    clock.now = at(27, 17, 30)  # two days after the guest's last message
    await poll(env)
    reminder = sent_texts(fake_telegram)[-1]
    assert reminder.startswith(f"Chez Test: a reminder of your reservation #{reservation.id}")

    fake_openai.queue_tool_calls([("confirm_reservation", {"reservation_id": reservation.id})])
    fake_openai.queue_text("Wonderful, see you tonight!")
    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    await post_update(env, message_update(GUEST_ID, "yes, I'll be there", update_id=40), secret)
    await env.drain()

    first = fake_openai.chat_requests[-2]
    said = [(m["role"], m.get("content")) for m in first["messages"][1:]]
    assert said[-2:] == [("assistant", reminder), ("user", "yes, I'll be there")]  # the LLM saw the reminder
    [spec] = [t["function"] for t in first["tools"] if t["function"]["name"] == "confirm_reservation"]
    assert spec["parameters"] == schema_of(ReservationArgs)
    assert tool_results(fake_openai.last_chat_request)[-1]["reservation"]["status"] == S.CONFIRMED
    assert (await Reservation.get(id=reservation.id)).status == S.CONFIRMED
    assert sent_texts(fake_telegram)[-1] == "Wonderful, see you tonight!"
    [answer] = await activities(env, "reminder_answer")
    assert answer.metadata["outcome"] == "confirmed" and answer.metadata["via"] == "llm"
    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="telegram")
    transcript = await ConversationMessage.filter(conversation_id=conversation.id).order_by("id")
    assert (transcript[-3].role, transcript[-3].text) == (MessageRole.BOT, reminder)  # staff see it too


async def test_the_confirm_tool_refuses_another_guests_reservation(make_env, fake_telegram, fake_openai, clock):
    env = await make_env(llm=True)
    reservation = await booked_on_telegram(env, fake_telegram, fake_openai)
    stranger = 777124
    fake_openai.queue_tool_calls([("confirm_reservation", {"reservation_id": f"#{reservation.id}"})])
    fake_openai.queue_text("I could not find it.")
    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    await post_update(env, message_update(stranger, f"confirm booking {reservation.id}", update_id=41), secret)
    await env.drain()
    [result] = tool_results(fake_openai.last_chat_request)
    assert result["code"] == "not_found" and "reservation" not in result
    assert (await Reservation.get(id=reservation.id)).status == S.CREATED
    assert await activities(env, "reminder_answer") == []


async def web_booking(env, clock, session: str):
    """A web-chat guest books for 2 on Thu 26 Nov 19:00 (guided path), then gets the 2-hour reminder."""
    client = env.app.test_client()
    url = f"/channels/webchat/{env.restaurant_id}/messages"
    counter = iter(range(1, 100))

    async def say(text: str) -> list[str]:
        body = {"sessionId": session, "text": text, "messageId": f"{session}-{next(counter):04d}"}
        response = await client.post(url, json=body)
        assert response.status_code == 200
        return [r["text"] for r in (await response.get_json())["replies"]]

    for text in ("Table for 2 tomorrow at 7pm", "Anna", "+447700900555", "yes"):
        replies = await say(text)
    assert "booked" in replies[0]
    reservation = await Reservation.filter(restaurant_id=env.restaurant_id).order_by("-id").first()
    clock.now = at(26, 17, 0)
    await poll(env)
    pending = (await (await client.get(f"{url}?sessionId={session}")).get_json())["replies"]
    assert pending[0]["text"].startswith(f"Chez Test: a reminder of your reservation #{reservation.id}")
    return reservation, say


async def test_a_guided_guest_confirms_a_reminder_with_a_plain_yes_in_russian(make_env, clock):
    env = await make_env()
    reservation, say = await web_booking(env, clock, "reminded-yes-01")
    replies = await say("да, приду")
    assert replies == [
        f"Спасибо! Ваша бронь №{reservation.id} на чт, 26 ноября в 19:00, 2 гостя подтверждена. До встречи."
    ]
    assert (await Reservation.get(id=reservation.id)).status == S.CONFIRMED
    [answer] = await activities(env, "reminder_answer")
    assert (answer.metadata["outcome"], answer.metadata["via"]) == ("confirmed", "words")
    assert (await say("yes"))[0] != replies[0]  # answered once: a later "yes" is no longer the reminder's


async def test_a_guided_no_asks_before_canceling_and_a_change_goes_to_the_change_flow(make_env, clock):
    env = await make_env()
    reservation, say = await web_booking(env, clock, "reminded-no-01")
    asked = await say("no, sorry")
    assert asked == [f"Shall I cancel your reservation #{reservation.id} for Thu 26 Nov at 19:00, 2 guests?"]
    assert (await Reservation.get(id=reservation.id)).status == S.CREATED  # never canceled on a bare "no"
    assert await say("no") == [f"All right: your reservation #{reservation.id} stays as it is."]
    assert (await Reservation.get(id=reservation.id)).status == S.CREATED

    change = await say("can we move it to 9?")  # the new time read at once: 9 in the evening of a 19:00 booking
    assert change == [f"Change reservation #{reservation.id} to Thu 26 Nov at 21:00, 2 guests?"]
    assert "21:00" in (await say("yes"))[0]
    moved = await Reservation.get(id=reservation.id)
    assert f"{moved.time:%H:%M}" == "21:00" and moved.status == S.CREATED
    outcomes = [a.metadata["outcome"] for a in await activities(env, "reminder_answer")]
    assert outcomes == ["asked_to_cancel", "kept", "asked_new_time"]


async def test_a_german_guest_cancels_in_words_after_being_asked(make_env, fake_telegram, clock):
    env = await make_env()
    rid = (await booked_in_german_on_telegram(env, fake_telegram)).id  # Fri 27 Nov 19:30, 4 guests
    clock.now = at(27, 17, 30)
    await poll(env)
    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    await post_update(
        env, message_update(GUEST_ID, "wir schaffen es leider nicht, bitte stornieren", update_id=80), secret
    )
    await env.drain()
    assert sent_texts(fake_telegram)[-1] == (
        f"Soll ich Ihre Reservierung Nr. {rid} für Fr., 27. November um 19:30, 4 Gäste stornieren?"
    )
    assert (await Reservation.get(id=rid)).status == S.CREATED
    await post_update(env, message_update(GUEST_ID, "ja", update_id=81), secret)
    await env.drain()
    assert (await Reservation.get(id=rid)).status == S.CANCELED
    assert sent_texts(fake_telegram)[-1].startswith(f"Ihre Reservierung Nr. {rid} für Fr., 27. November")


async def test_a_german_yes_confirms(make_env, fake_telegram, clock):
    env = await make_env()
    rid = (await booked_in_german_on_telegram(env, fake_telegram)).id
    clock.now = at(27, 17, 30)
    await poll(env)
    clock.now = at(27, 17, 40)
    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    await post_update(env, message_update(GUEST_ID, "ja, wir kommen", update_id=91), secret)
    await env.drain()
    assert (await Reservation.get(id=rid)).status == S.CONFIRMED
    assert sent_texts(fake_telegram)[-1].startswith(f"Vielen Dank! Ihre Reservierung Nr. {rid}")


async def test_a_yes_is_not_read_as_the_reminders_answer_once_the_booking_has_started(make_env, fake_telegram, clock):
    env = await make_env()
    rid = (await booked_in_german_on_telegram(env, fake_telegram)).id
    clock.now = at(27, 17, 30)
    await poll(env)
    clock.now = at(27, 19, 31)  # the reminder's answers are only read until the booking starts
    secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
    await post_update(env, message_update(GUEST_ID, "ja, wir kommen", update_id=90), secret)
    await env.drain()
    assert (await Reservation.get(id=rid)).status == S.CREATED
    assert await activities(env, "reminder_answer") == []


async def test_a_change_asked_with_the_new_time_goes_straight_to_its_confirmation(make_env, clock):
    env = await make_env()
    reservation, say = await web_booking(env, clock, "reminded-move-01")
    asked = await say("could we move it to 20:30?")
    assert asked == [f"Change reservation #{reservation.id} to Thu 26 Nov at 20:30, 2 guests?"]
    assert "20:30" in (await say("yes"))[0]
    moved = await Reservation.get(id=reservation.id)
    assert f"{moved.time:%H:%M}" == "20:30"
    [answer] = await activities(env, "reminder_answer")
    assert (answer.metadata["answer"], answer.metadata["via"]) == ("change", "words")
