"""The LLM path, through the real openai SDK against the fake OpenAI server (OPENAI_BASE_URL)."""

from __future__ import annotations

import json
from datetime import date, time

import pytest

from core.booking.service import BookingRequest, BookingService, GuestInput
from core.conversation.tools import Tool
from core.events import EventBus
from core.hookspecs import hookimpl
from core.models import AiActivity, GuestIdentity, Reservation, ReservationStatus
from tests.core.conversation.conftest import NOW, Chat

TOOL_NAMES = [
    "check_availability",
    "find_alternative_times",
    "create_reservation",
    "list_my_reservations",
    "modify_reservation",
    "cancel_reservation",
    "get_restaurant_info",
    "hand_off_to_staff",
]


async def book(restaurant, guest_name: str, phone: str, day=date(2026, 11, 27), at="19:00", guests=2):
    service = BookingService(EventBus(), lambda: NOW)
    request = BookingRequest(date=day, time=at, guests=guests, guest=GuestInput(name=guest_name, phone=phone))
    return await service.create(restaurant.id, request)


def tool_results(request_body: dict) -> list[dict]:
    """The tool results our engine sent back to the model in one request."""
    return [json.loads(m["content"]) for m in request_body["messages"] if m["role"] == "tool"]


async def test_full_booking_by_tool_calls(llm_engine, fake_openai, restaurant):
    slot = {"date": "2026-11-27", "time": "19:30", "guests": 4}
    fake_openai.queue_tool_calls([("check_availability", slot)])
    fake_openai.queue_tool_calls([("create_reservation", {**slot, "name": "Anna", "phone": "+44 7700 900123"})])
    fake_openai.queue_text("Booked! A table for 4 on Friday at 19:30, Anna.")
    chat = Chat(llm_engine(), restaurant.id)

    replies = await chat.send("Hi, a table for 4 this Friday 7:30pm please, Anna, +44 7700 900123. Yes, book it.")

    assert [r.text for r in replies] == ["Booked! A table for 4 on Friday at 19:30, Anna."]
    reservation = await Reservation.get(restaurant_id=restaurant.id).prefetch_related("guest")
    assert (reservation.date, reservation.time, reservation.guests) == (date(2026, 11, 27), time(19, 30), 4)
    assert (reservation.guest.name, reservation.guest.phone, reservation.source) == ("Anna", "+447700900123", "webchat")
    assert await GuestIdentity.filter(
        guest_id=reservation.guest_id, channel="webchat", external_id="session-1"
    ).exists()

    first, second, third = fake_openai.chat_requests
    assert [t["function"]["name"] for t in first["tools"]] == TOOL_NAMES
    system = first["messages"][0]["content"]
    assert "Chez Test" in system and "1 Test Street, London" in system and "Europe/London" in system
    assert "Wednesday, 2026-11-25" in system and "12:00-23:00" in system
    assert tool_results(second)[0]["available"] is True
    created = tool_results(third)[1]["reservation"]
    assert created["id"] == reservation.id and created["status"] == "created"

    kinds = sorted(await AiActivity.filter(restaurant_id=restaurant.id).values_list("type", flat=True))
    assert kinds == ["reservation_intent", "response_generated", "tool_call", "tool_call"]
    turn = await AiActivity.get(type="response_generated")
    assert turn.response == replies[0].text and turn.message == chat.transcript[0][0]
    meta = turn.metadata
    assert meta["path"] == "llm" and [c["name"] for c in meta["tool_calls"]] == [
        "check_availability",
        "create_reservation",
    ]
    assert meta["total_tokens"] == meta["prompt_tokens"] + meta["completion_tokens"] > 0
    assert meta["latency_ms"] >= meta["llm_latency_ms"] >= 0

    # the next turn carries the history, and the guest is known to the prompt
    fake_openai.queue_text("See you then!")
    await chat.send("Thanks!")
    last = fake_openai.last_chat_request["messages"]
    assert "Anna" in last[0]["content"]
    assert [m["role"] for m in last[1:]] == ["user", "assistant", "user"]


async def test_cancellation_by_tool_call(llm_engine, fake_openai, restaurant):
    mine = await book(restaurant, "Anna", "+447700900123")
    await GuestIdentity.create(restaurant=restaurant, guest_id=mine.guest_id, channel="telegram", external_id="77")
    fake_openai.queue_tool_calls([("list_my_reservations", {})])
    fake_openai.queue_tool_calls([("cancel_reservation", {"reservation_id": mine.id})])
    fake_openai.queue_text("Your Friday booking is canceled.")
    chat = Chat(llm_engine(), restaurant.id, channel="telegram", chat_id="77")

    assert await chat.say("Please cancel my Friday booking, yes I'm sure") == "Your Friday booking is canceled."

    assert (await Reservation.get(id=mine.id)).status == ReservationStatus.CANCELED
    listed = tool_results(fake_openai.chat_requests[1])[0]["reservations"]
    assert [r["id"] for r in listed] == [mine.id]
    assert tool_results(fake_openai.chat_requests[2])[1] == {
        "reservation": {**listed[0], "status": "canceled"},
        "canceled": True,
    }


async def test_model_cannot_touch_another_guests_reservation(llm_engine, fake_openai, restaurant):
    theirs = await book(restaurant, "Boris", "+447700900999")
    mine = await book(restaurant, "Anna", "+447700900123", at="20:00")
    await GuestIdentity.create(restaurant=restaurant, guest_id=mine.guest_id, channel="webchat", external_id="anna")
    fake_openai.queue_tool_calls([("cancel_reservation", {"reservation_id": theirs.id})])
    fake_openai.queue_tool_calls([("modify_reservation", {"reservation_id": str(theirs.id), "guests": 1})])
    fake_openai.queue_text("I couldn't find that reservation.")
    anna = Chat(llm_engine(), restaurant.id, chat_id="anna")

    assert await anna.say(f"cancel reservation {theirs.id}") == "I couldn't find that reservation."

    refused = tool_results(fake_openai.chat_requests[1])[0]
    assert refused["code"] == "not_found" and "error" in refused
    assert tool_results(fake_openai.chat_requests[2])[1]["code"] == "not_found"
    theirs_now = await Reservation.get(id=theirs.id)
    assert (theirs_now.status, theirs_now.guests) == (ReservationStatus.CREATED, 2)

    # a stranger (no guest yet) gets nothing either
    fake_openai.queue_tool_calls([("cancel_reservation", {"reservation_id": theirs.id}), ("list_my_reservations", {})])
    fake_openai.queue_text("You have no reservations with us.")
    stranger = Chat(anna.engine, restaurant.id, chat_id="stranger")
    assert await stranger.say("cancel everything") == "You have no reservations with us."
    cancel_result, listed = tool_results(fake_openai.last_chat_request)
    assert cancel_result["code"] == "not_found" and listed["reservations"] == []
    assert (await Reservation.get(id=theirs.id)).status == ReservationStatus.CREATED


async def test_malformed_tool_arguments_go_back_to_the_model(llm_engine, fake_openai, restaurant):
    fake_openai.queue_tool_calls(
        [
            ("check_availability", '{"date": "2026-11-27", "time": '),  # broken JSON
            ("check_availability", {"date": "Friday", "time": "7pm", "guests": "many"}),
            ("create_reservation", {"date": "2026-11-27", "time": "19:30", "guests": 0, "name": ""}),
            ("cancel_reservation", ["not", "an", "object"]),
            ("no_such_tool", {}),
        ]
    )
    fake_openai.queue_text("Sorry, which day and time would you like, and for how many?")
    chat = Chat(llm_engine(), restaurant.id)

    assert await chat.say("table friday") == "Sorry, which day and time would you like, and for how many?"

    results = tool_results(fake_openai.last_chat_request)
    assert len(results) == 5 and all(set(r) >= {"error"} for r in results)
    assert "not valid JSON" in results[0]["error"]
    assert "'Friday' is not a valid date" in results[1]["error"]
    assert "guests" in results[2]["error"] and "name" in results[2]["error"]
    assert "JSON object" in results[3]["error"]
    assert "unknown tool 'no_such_tool'" in results[4]["error"]
    assert not await Reservation.filter(restaurant_id=restaurant.id).exists()
    calls = await AiActivity.filter(type="tool_call").order_by("id")
    assert [c.metadata["ok"] for c in calls] == [False] * 5


@pytest.mark.parametrize("failure", ["timeout", "500", "429"])
async def test_llm_failure_falls_back_to_the_guided_path(llm_engine, fake_openai, restaurant, failure):
    for _ in range(5):
        if failure == "timeout":
            fake_openai.queue_delay(3, then="too late")
        elif failure == "500":
            fake_openai.queue_error(500)
        else:
            fake_openai.queue_error(429, retry_after=0.1)
    chat = Chat(llm_engine(), restaurant.id)

    replies = await chat.send("Table for 2 tomorrow at 8pm")

    assert replies[0].text == "What name should I put the booking under?"  # the guided flow carried on
    fallback = await AiActivity.get(restaurant_id=restaurant.id, type="fallback")
    assert fallback.message == "Table for 2 tomorrow at 8pm" and fallback.metadata["attempts"] >= 1
    expected = {"timeout": "APITimeoutError", "500": "InternalServerError", "429": "RateLimitError"}[failure]
    assert fallback.metadata["error"].startswith(expected)
    turn = await AiActivity.get(restaurant_id=restaurant.id, type="response_generated")
    assert turn.metadata["path"] == "guided" and turn.metadata["fallback"] is True

    # the model is back: it gets the whole story so far, including the guided turn
    fake_openai.reset()
    fake_openai.queue_text("Lovely, under which name?")
    assert await chat.say("hello again") == "Lovely, under which name?"
    history = fake_openai.last_chat_request["messages"][1:]
    assert history[:2] == [
        {"role": "user", "content": "Table for 2 tomorrow at 8pm"},
        {"role": "assistant", "content": "What name should I put the booking under?"},
    ]


async def test_model_failing_after_a_booking_reports_the_booking(llm_engine, fake_openai, restaurant):
    slot = {"date": "2026-11-27", "time": "19:30", "guests": 2, "name": "Anna", "phone": "+447700900123"}
    fake_openai.queue_tool_calls([("create_reservation", slot)])
    for _ in range(5):
        fake_openai.queue_error(503)
    chat = Chat(llm_engine(), restaurant.id)
    reply = await chat.say("book friday 19:30 for 2, Anna +447700900123")
    reservation = await Reservation.get(restaurant_id=restaurant.id)
    assert reply == f"Your table is booked: reservation #{reservation.id}, Fri 27 Nov at 19:30, 2 guests."


async def test_without_api_key_the_guided_path_answers(engine_factory, fake_openai, restaurant):
    chat = Chat(engine_factory(env={"OPENAI_BASE_URL": fake_openai.base_url}), restaurant.id)
    assert "For which day" in await chat.say("I'd like to book a table")
    assert fake_openai.chat_requests == []


class MenuPlugin:
    """A plugin adding a tool and replacing a built-in one."""

    @hookimpl
    def tobeout_conversation_tools(self, runtime):
        async def menu(context, args):
            return {"restaurant": context.restaurant.name, "dishes": ["soup", "steak"]}

        async def info(context, args):
            return {"name": "Overridden"}

        schema = {"type": "object", "properties": {}}
        return [Tool("get_menu", "Today's menu", schema, menu), Tool("get_restaurant_info", "Info", schema, info)]


async def test_plugins_add_and_replace_tools(llm_engine, fake_openai, restaurant):
    fake_openai.queue_tool_calls([("get_menu", {}), ("get_restaurant_info", {})])
    fake_openai.queue_text("Soup and steak today.")
    chat = Chat(llm_engine(extra_plugins=[MenuPlugin()]), restaurant.id)
    assert await chat.say("what's on the menu?") == "Soup and steak today."
    names = [t["function"]["name"] for t in fake_openai.chat_requests[0]["tools"]]
    assert sorted(names) == sorted([*TOOL_NAMES, "get_menu"])
    assert tool_results(fake_openai.last_chat_request) == [
        {"restaurant": "Chez Test", "dishes": ["soup", "steak"]},
        {"name": "Overridden"},
    ]


async def test_the_model_books_special_requests_as_comments_and_tags(llm_engine, fake_openai, restaurant):
    request = {
        "date": "2026-11-28",
        "time": "19:00",
        "guests": 3,
        "name": "Mia",
        "phone": "+44 7700 900124",
        "comments": "nut allergy; a high chair please",
        "tags": ["allergy", "High chair"],
    }
    fake_openai.queue_tool_calls([("create_reservation", request)])
    fake_openai.queue_text("Booked, with the allergy and the high chair noted.")
    chat = Chat(llm_engine(), restaurant.id, chat_id="llm-tags")

    await chat.send("Saturday 7pm, 2 adults and a baby, nut allergy, need a high chair. Mia, +44 7700 900124. Yes.")

    reservation = await Reservation.get(restaurant_id=restaurant.id)
    assert reservation.comments == "nut allergy; a high chair please"
    assert reservation.tags == ["allergy", "high_chair"]
    create = next(t for t in fake_openai.chat_requests[0]["tools"] if t["function"]["name"] == "create_reservation")
    assert "tags" in create["function"]["parameters"]["properties"]
