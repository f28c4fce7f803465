"""Handoff to a person, end to end: a guest asks for a person on Telegram or in the web chat, staff see
the conversation waiting, reply through the API (the reply reaches the guest on their own channel) and
hand it back to the bot."""

from __future__ import annotations

from core.conversation import handoff_wait
from core.conversation.handoff_wait import HandoffWaitJob
from core.models import Conversation, ConversationMessage, ConversationStatus, Restaurant
from tests.api.helpers import CSRF, add_staff, collect_events, login, register_owner
from tests.channels.conftest import BOT_TOKEN, OPEN_ALL_WEEK
from tests.channels.telegram.helpers import GUEST_ID, connect_bot, post_update, sent_texts, text_update


async def test_handoff_on_telegram_staff_reply_and_handback(make_env, fake_telegram):
    env = await make_env()
    secret = await connect_bot(env, fake_telegram)
    events = collect_events(env.app)

    await post_update(env, text_update(2001, "Hi"), secret)
    await env.drain()
    await post_update(env, text_update(2002, "Can I talk to a human please?"), secret)
    await env.drain()
    said = sent_texts(fake_telegram)
    assert len(said) == 2 and "member of our team" in said[1]

    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="telegram")
    assert conversation.status == ConversationStatus.HANDOFF
    handoffs = [e for e in events if e.type == "conversation.handoff"]
    assert len(handoffs) == 1 and handoffs[0].data["conversationId"] == conversation.id
    assert handoffs[0].data["reason"] == "guest_asked"

    # the guest's first message after the handoff is acknowledged once, then the bot is silent;
    # the guest's messages are kept for staff and announced
    await post_update(env, text_update(2003, "Do you have a table by the window for my birthday?"), secret)
    await env.drain()
    assert len(sent_texts(fake_telegram)) == 3 and "will answer you here" in sent_texts(fake_telegram)[2]
    await post_update(env, text_update(2005, "Do you have a table by the window for my birthday?"), secret)
    await env.drain()
    assert len(sent_texts(fake_telegram)) == 3
    announced = [e for e in events if e.type == "conversation.message" and e.data["role"] == "guest"]
    assert announced[-1].data["text"] == "Do you have a table by the window for my birthday?"

    waiting = await (await env.owner.get("/api/conversations?status=handoff")).get_json()
    assert waiting["total"] == 1
    item = waiting["items"][0]
    assert (item["id"], item["channel"], item["status"]) == (conversation.id, "telegram", "handoff")
    assert item["lastMessages"][-1] == {
        "id": item["lastMessages"][-1]["id"],
        "role": "guest",
        "authorId": None,
        "text": "Do you have a table by the window for my birthday?",
        "at": item["lastMessages"][-1]["at"],
    }
    assert item["lastMessageAt"] == item["lastMessages"][-1]["at"]

    # a staff member (not only the owner) answers: it reaches the guest's Telegram chat
    staff = await add_staff(env.owner)
    staff_client = env.app.test_client()
    await login(staff_client, staff["email"])
    response = await staff_client.post(
        f"/api/conversations/{conversation.id}/messages",
        json={"text": "Of course! Window table noted."},
        headers=CSRF,
    )
    assert response.status_code == 201, await response.get_data(as_text=True)
    body = await response.get_json()
    assert body["role"] == "staff" and body["authorId"] == staff["id"]
    assert sent_texts(fake_telegram)[-1] == "Of course! Window table noted."
    assert [m["chat_id"] for m in fake_telegram.sent_messages(BOT_TOKEN, GUEST_ID)][-1] == GUEST_ID
    assert any(e.type == "conversation.message" and e.data["role"] == "staff" for e in events)

    detail = await (await env.owner.get(f"/api/conversations/{conversation.id}")).get_json()
    assert [m["role"] for m in detail["messages"]] == ["guest", "bot", "guest", "bot", "guest", "bot", "guest", "staff"]
    assert detail["messages"][-1]["text"] == "Of course! Window table noted."

    # handed back: the bot answers again
    response = await env.owner.post(f"/api/conversations/{conversation.id}/handback", headers=CSRF)
    assert response.status_code == 200 and (await response.get_json())["status"] == "active"
    assert any(e.type == "conversation.handback" for e in events)
    await post_update(env, text_update(2004, "table for 2 tomorrow at 8pm"), secret)
    await env.drain()
    assert sent_texts(fake_telegram)[-1] == "What name should I put the booking under?"


async def test_not_understood_three_times_hands_off(make_env, fake_telegram):
    env = await make_env()
    secret = await connect_bot(env, fake_telegram)
    for i, text in enumerate(("qwerty", "asdf zxcv", "blorp")):
        await post_update(env, text_update(2100 + i, text), secret)
        await env.drain()
    said = sent_texts(fake_telegram)
    assert said[0].startswith("Sorry, I didn't quite get that") and "member of our team" in said[2]
    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="telegram")
    assert conversation.status == ConversationStatus.HANDOFF


async def test_staff_reply_in_the_web_chat_waits_in_the_visitors_outbox(make_env):
    env = await make_env()
    client = env.app.test_client()
    path = f"/channels/webchat/{env.restaurant_id}/messages"
    session = "visitor-handoff-1"
    first = await client.post(path, json={"sessionId": session, "text": "оператор", "messageId": "m-000001"})
    body = await first.get_json()
    assert "сотрудника" in body["replies"][0]["text"] and body["language"] == "ru"

    told = await client.post(path, json={"sessionId": session, "text": "вы тут?", "messageId": "m-000002"})
    assert "ответит здесь" in (await told.get_json())["replies"][0]["text"]  # acknowledged once
    silent = await client.post(path, json={"sessionId": session, "text": "ау?", "messageId": "m-000003"})
    assert (await silent.get_json()) == {"replies": [], "language": "ru", "waitingForStaff": True}

    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="webchat", external_chat_id=session)
    response = await env.owner.post(
        f"/api/conversations/{conversation.id}/messages", json={"text": "Да, я здесь!"}, headers=CSRF
    )
    assert response.status_code == 201
    pending = await (await client.get(f"{path}?sessionId={session}")).get_json()
    assert [r["text"] for r in pending["replies"]] == ["Да, я здесь!"]  # each with its outbox "id"


async def test_conversations_are_scoped_to_the_restaurant(make_env):
    env = await make_env()
    client = env.app.test_client()
    path = f"/channels/webchat/{env.restaurant_id}/messages"
    await client.post(path, json={"sessionId": "visitor-scope-1", "text": "Hi", "messageId": "m-100001"})
    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="webchat")

    other = env.app.test_client()
    await register_owner(other, restaurant_name="Elsewhere")
    assert (await (await other.get("/api/conversations")).get_json())["total"] == 0
    for method, url, kwargs in (
        ("get", f"/api/conversations/{conversation.id}", {}),
        ("post", f"/api/conversations/{conversation.id}/messages", {"json": {"text": "hi"}, "headers": CSRF}),
        ("post", f"/api/conversations/{conversation.id}/handback", {"headers": CSRF}),
    ):
        response = await getattr(other, method)(url, **kwargs)
        assert response.status_code == 404, url
    assert not await ConversationMessage.filter(conversation_id=conversation.id, role="staff").exists()

    anonymous = env.app.test_client()
    assert (await anonymous.get("/api/conversations")).status_code == 401
    bad = await env.owner.post(f"/api/conversations/{conversation.id}/messages", json={"text": ""}, headers=CSRF)
    assert bad.status_code == 400 and "message" in await bad.get_json()
    listing = await (await env.owner.get("/api/conversations?status=bogus")).get_json()
    assert "message" in listing


async def test_a_reply_the_channel_cannot_deliver_is_refused_and_not_stored(make_env, fake_telegram):
    env = await make_env()
    secret = await connect_bot(env, fake_telegram)
    await post_update(env, text_update(2201, "operator please"), secret)
    await env.drain()
    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="telegram")
    await env.save("telegram", {"enabled": False})  # the bot is switched off: nothing can reach the guest
    response = await env.owner.post(
        f"/api/conversations/{conversation.id}/messages", json={"text": "Hello from staff"}, headers=CSRF
    )
    assert response.status_code == 502
    assert "Telegram is not available" in (await response.get_json())["message"]
    assert not await ConversationMessage.filter(conversation_id=conversation.id, role="staff").exists()


async def test_a_guest_nobody_answers_is_told_and_gets_the_bot_back(make_env, clock):
    env = await make_env()
    clock.advance(hours=3)  # 13:00 in London: open (12:00-23:00)
    client = env.app.test_client()
    path = f"/channels/webchat/{env.restaurant_id}/messages"
    session = "visitor-wait-1"
    await client.post(path, json={"sessionId": session, "text": "Can I talk to a person?", "messageId": "w-000001"})
    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="webchat", external_chat_id=session)
    assert conversation.status == ConversationStatus.HANDOFF
    job = HandoffWaitJob(env.runtime)

    clock.advance(minutes=4)
    assert await job.run(clock()) == 0  # within the wait (5 minutes): staff may still answer
    clock.advance(minutes=2)
    assert await job.run(clock()) == 1
    pending = await (await client.get(f"{path}?sessionId={session}")).get_json()
    told = pending["replies"][-1]["text"]
    assert told.startswith("Sorry, nobody from our team has been able to answer yet. I can help you right away")
    await conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.ACTIVE
    assert await job.run(clock()) == 0  # told once

    answer = await client.post(
        path, json={"sessionId": session, "text": "table for 2 tomorrow at 8pm", "messageId": "w-000002"}
    )
    assert (await answer.get_json())["replies"][0]["text"] == "What name should I put the booking under?"


async def _restaurant_waiting(env, name: str, wait: int | None) -> int:
    """Another restaurant of the same service, open like ``env``'s, with its own handoff wait set by its owner."""
    owner = env.app.test_client()
    rid = (await register_owner(owner, restaurant_name=name))["restaurant"]["id"]
    await Restaurant.filter(id=rid).update(phone="+442079460001", timezone="Europe/London", opening_hours=OPEN_ALL_WEEK)
    response = await owner.put("/api/restaurants/profile", json={"handoffWaitMinutes": wait}, headers=CSRF)
    assert response.status_code == 200 and (await response.get_json())["handoffWaitMinutes"] == wait
    return rid


async def test_each_restaurant_waits_its_own_time_before_telling_the_guest(make_env, clock, monkeypatch):
    env = await make_env()  # its own wait is unset: the service's default, 5 minutes
    clock.advance(hours=3)  # 13:00 in London: every restaurant is open
    patient = await _restaurant_waiting(env, "Patient Place", 10)
    quick = await _restaurant_waiting(env, "Quick Place", 2)
    client = env.app.test_client()
    sessions = {}
    for rid in (patient, env.restaurant_id, quick):  # the patient restaurant's guest is handed off first
        session = f"visitor-own-wait-{rid}"
        path = f"/channels/webchat/{rid}/messages"
        await client.post(path, json={"sessionId": session, "text": "a person please", "messageId": f"{session}-1"})
        sessions[rid] = (path, session)
        clock.advance(seconds=1)
    # One handoff a page: the oldest (still within its 10 minutes) must not hide the ones after it.
    monkeypatch.setattr(handoff_wait, "BATCH", 1)
    job = HandoffWaitJob(env.runtime)

    async def waiting() -> set[int]:
        rows = await Conversation.filter(status=ConversationStatus.HANDOFF).values_list("restaurant_id", flat=True)
        return set(rows)

    clock.advance(minutes=2)  # just over 2 minutes for the quick restaurant's guest, under 5 for the others
    assert await job.run(clock()) == 1
    assert await waiting() == {patient, env.restaurant_id}
    path, session = sessions[quick]
    told = (await (await client.get(f"{path}?sessionId={session}")).get_json())["replies"][-1]["text"]
    assert told.startswith("Sorry, nobody from our team has been able to answer yet.") and "+442079460001" in told

    clock.advance(minutes=3)  # 5 minutes: the default
    assert await job.run(clock()) == 1
    assert await waiting() == {patient}
    clock.advance(minutes=4, seconds=50)  # 9:53 for the patient restaurant's guest
    assert await job.run(clock()) == 0
    clock.advance(seconds=20)
    assert await job.run(clock()) == 1
    assert await waiting() == set()
    assert await job.run(clock()) == 0  # each told once


async def test_no_wait_message_when_staff_answered_or_the_restaurant_is_closed(make_env, clock):
    env = await make_env()  # 10:00 in London: closed until 12:00
    client = env.app.test_client()
    path = f"/channels/webchat/{env.restaurant_id}/messages"
    for session in ("visitor-wait-2", "visitor-wait-3"):
        await client.post(path, json={"sessionId": session, "text": "a human please", "messageId": f"{session}-1"})
    job = HandoffWaitJob(env.runtime)
    clock.advance(minutes=30)
    assert await job.run(clock()) == 0  # closed: the handoff waits for staff

    answered = await Conversation.get(restaurant_id=env.restaurant_id, external_chat_id="visitor-wait-2")
    reply = await env.owner.post(f"/api/conversations/{answered.id}/messages", json={"text": "Hi!"}, headers=CSRF)
    assert reply.status_code == 201
    clock.advance(hours=2, minutes=10)  # 12:40: open for 40 minutes
    assert await job.run(clock()) == 1  # only the conversation staff never answered
    await answered.refresh_from_db()
    assert answered.status == ConversationStatus.HANDOFF


async def test_a_guest_asking_to_cancel_during_a_handoff_is_answered(make_env):
    env = await make_env()
    client = env.app.test_client()
    path = f"/channels/webchat/{env.restaurant_id}/messages"
    session = "visitor-cancel-1"
    await client.post(path, json={"sessionId": session, "text": "I need a human", "messageId": "c-000001"})
    await client.post(path, json={"sessionId": session, "text": "hello?", "messageId": "c-000002"})
    answer = await client.post(
        path, json={"sessionId": session, "text": "please cancel my booking", "messageId": "c-000003"}
    )
    body = await answer.get_json()
    assert not body.get("waitingForStaff")
    assert body["replies"][0]["text"] == "I can't find any reservations for you in this chat."
    conversation = await Conversation.get(restaurant_id=env.restaurant_id, external_chat_id=session)
    assert conversation.status == ConversationStatus.ACTIVE


async def test_waiting_for_staff_lists_every_unanswered_handoff_with_an_exact_total(make_env):
    env = await make_env()
    client = env.app.test_client()
    path = f"/channels/webchat/{env.restaurant_id}/messages"
    sessions = [f"visitor-waiting-{n}" for n in range(3)]
    for n, session in enumerate(sessions):
        await client.post(path, json={"sessionId": session, "text": "I need a human", "messageId": f"m-3{n}0001"})
    await client.post(path, json={"sessionId": "visitor-chatting", "text": "Hi", "messageId": "m-399999"})

    async def waiting(page_size: int = 50) -> dict:
        response = await env.owner.get(f"/api/conversations?waiting=true&pageSize={page_size}")
        assert response.status_code == 200
        return await response.get_json()

    first = await waiting(page_size=2)
    assert first["total"] == 3 and len(first["items"]) == 2  # counted past the page, newest first
    assert [c["status"] for c in first["items"]] == ["handoff", "handoff"]

    answered = await Conversation.get(restaurant_id=env.restaurant_id, external_chat_id=sessions[0])
    reply = await env.owner.post(f"/api/conversations/{answered.id}/messages", json={"text": "Here!"}, headers=CSRF)
    assert reply.status_code == 201
    after = await waiting()
    assert after["total"] == 2 and answered.id not in [c["id"] for c in after["items"]]

    # The guest writes again after the staff answer: waiting once more.
    await client.post(path, json={"sessionId": sessions[0], "text": "Thanks, one more thing", "messageId": "m-309999"})
    again = await waiting()
    assert again["total"] == 3 and answered.id in [c["id"] for c in again["items"]]
    everyone = await (await env.owner.get("/api/conversations?pageSize=50")).get_json()
    assert everyone["total"] == 4  # without the filter: the chatting guest too
