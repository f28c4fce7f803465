"""Conversations beyond booking, driven through the engine: questions about the restaurant, guided changes
of the guest's own booking, past and year-less dates, loose times, German, and a plugin's tool that
changes a reservation reported like a built-in one."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from pydantic import BaseModel, Field

from core.booking.service import BookingRequest, BookingService, GuestInput, ReservationChanges
from core.conversation.tools import Tool, ToolContext
from core.events import EventBus
from core.hookspecs import hookimpl
from core.models import Conversation, ConversationStatus, GuestIdentity, Reservation, Restaurant
from tests.core.conversation.conftest import NOW, Chat, choices

FRIDAY = date(2026, 11, 27)
TOMORROW = date(2026, 11, 26)


async def book(restaurant, day: date, at: str, guests: int, name: str = "Anna", phone: str = "+447700900123"):
    service = BookingService(EventBus(), lambda: NOW)
    return await service.create(
        restaurant.id, BookingRequest(date=day, time=at, guests=guests, guest=GuestInput(name=name, phone=phone))
    )


async def test_questions_about_the_restaurant_are_answered_from_its_profile(engine_factory, restaurant):
    await Restaurant.filter(id=restaurant.id).update(website="https://chez.test", cuisine_type="French")
    chat = Chat(engine_factory(), restaurant.id)
    assert (await chat.say("what are your opening hours?")).startswith("Our opening hours: ")
    assert "12:00" in chat.transcript[-1][1][0].text
    assert await chat.say("where are you located?") == "We're at 1 Test Street, London."
    assert await chat.say("what's your phone number?") == "You can call us on +442079460000."
    assert await chat.say("do you have a website?") == "Our website: https://chez.test"
    assert await chat.say("what kind of food do you serve?") == "Our cuisine: French."
    price = await chat.say("how expensive is it?")  # not in the profile: says so and gives the phone
    assert price.startswith("I'm afraid I don't have that") and "+442079460000" in price
    assert (await chat.say("thanks!")).startswith("You're welcome")
    assert (await chat.say("спасибо")).startswith("Пожалуйста")
    ru = await chat.say("какие у вас часы работы?")
    assert ru.startswith("Часы работы:")


async def test_a_question_mid_booking_is_answered_and_the_step_asked_again(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    await chat.say("book a table for friday")
    reply = await chat.say("where are you located?")
    assert reply == "We're at 1 Test Street, London. What time on Fri 27 Nov? (e.g. 19:30)"
    assert await chat.say("7pm, 2 people") == "What name should I put the booking under?"
    reply = await chat.say("what's your phone number?")
    assert reply == "You can call us on +442079460000. What name should I put the booking under?"
    assert "phone number" in await chat.say("Ivan Price")  # the booking goes on; a name is not a question


async def test_8ish_is_8pm_and_alternatives_surround_the_time_asked(engine_factory, restaurant):
    # every table taken 19:00-21:00 on Friday: free before 17:30 and from 21:00 (the last start before closing)
    await book(restaurant, FRIDAY, "19:00", 2, "A", "+447700900001")
    await book(restaurant, FRIDAY, "19:00", 4, "B", "+447700900002")
    await book(restaurant, FRIDAY, "19:00", 6, "C", "+447700900003")
    chat = Chat(engine_factory(), restaurant.id)
    replies = await chat.send("2 ppl fri 8ish")
    assert replies[0].text == "Sorry, there's no table for 2 on Fri 27 Nov at 20:00. Here is what is free:"
    times = [v for _, v in choices(replies) if len(v) == 5]
    assert "21:00" in times and any(t < "20:00" for t in times)


async def test_free_8ish_is_booked_at_20(engine_factory, restaurant):
    chat = Chat(
        engine_factory(), restaurant.id, channel="whatsapp", chat_id="+447700900123", phone="+447700900123", name="Anna"
    )
    assert await chat.say("2 ppl fri 8ish") == "Book a table for 2 on Fri 27 Nov at 20:00 for Anna?"


async def test_a_past_date_gets_one_clear_answer(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    reply = await chat.say("table for 3 on 20/11/2026")
    assert reply.startswith("Fri 20 Nov has already passed.") and "nothing is free" not in reply
    assert "already passed" in await chat.say("yesterday")
    assert "For which day" in chat.transcript[-1][1][0].text


async def test_a_year_less_date_already_past_says_which_year(engine_factory, restaurant):
    await Restaurant.filter(id=restaurant.id).update(max_advance_days=400)
    chat = Chat(engine_factory(), restaurant.id)
    reply = await chat.say("a table on 15 November")
    assert reply.startswith("(Mon 15 Nov 2027: this year's has already passed.)")


async def test_example_dates_in_the_question_are_in_the_future(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    reply = await chat.say("I'd like to book a table")
    assert reply == "For which day would you like a table? (e.g. tomorrow, Saturday, 5 Dec)"  # today is Wed 25 Nov


async def test_guided_change_of_the_guests_own_booking(engine_factory, restaurant):
    mine = await book(restaurant, FRIDAY, "19:00", 2)
    other = await book(restaurant, FRIDAY, "19:00", 2, "Boris", "+447700900999")
    await GuestIdentity.create(restaurant=restaurant, guest_id=mine.guest_id, channel="telegram", external_id="42")
    chat = Chat(engine_factory(), restaurant.id, channel="telegram", chat_id="42")

    replies = await chat.send("can I move my booking to 21:00?")
    assert replies[0].text == f"Change reservation #{mine.id} to Fri 27 Nov at 21:00, 2 guests?"
    replies = await chat.send("yes")
    assert replies[0].text == f"Done! Reservation #{mine.id} is now Fri 27 Nov at 21:00, 2 guests."
    changed = await Reservation.get(id=mine.id)
    assert (changed.time, changed.guests) == (time(21, 0), 2)

    # step by step, and another guest's reservation number is not theirs to change
    replies = await chat.send(f"change reservation {other.id}")
    assert replies[0].text.startswith(f"What should I change for reservation #{mine.id}")
    replies = await chat.send("4 people")
    assert replies[0].text == f"Change reservation #{mine.id} to Fri 27 Nov at 21:00, 4 guests?"
    assert (await chat.say("no")) == "OK, your reservation stays as it is."
    assert (await Reservation.get(id=mine.id)).guests == 2
    untouched = await Reservation.get(id=other.id)
    assert (untouched.time, untouched.guests) == (time(19, 0), 2)


async def test_guided_change_without_bookings_says_so(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    assert await chat.say("change my booking") == "I can't find any reservations for you in this chat."


async def test_start_change_for_a_reminder_answer(engine_factory, restaurant):
    mine = await book(restaurant, FRIDAY, "19:00", 2)
    await GuestIdentity.create(restaurant=restaurant, guest_id=mine.guest_id, channel="telegram", external_id="42")
    engine = engine_factory()
    chat = Chat(engine, restaurant.id, channel="telegram", chat_id="42")
    await chat.say("hi")
    conversation = await Conversation.get(restaurant_id=restaurant.id, channel="telegram", external_chat_id="42")
    replies = await engine.start_change(restaurant.id, conversation.id, mine.id)
    assert replies[0].text.startswith(f"What should I change for reservation #{mine.id} (Fri 27 Nov at 19:00")
    assert (await chat.say("saturday")) == f"Change reservation #{mine.id} to Sat 28 Nov at 19:00, 2 guests?"
    assert (await chat.say("yes")).startswith("Done!")
    assert (await Reservation.get(id=mine.id)).date == date(2026, 11, 28)


async def test_a_booking_in_german(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id, chat_id="de-1")
    replies = await chat.send("Hallo, einen Tisch für 4 Personen morgen um 19 Uhr bitte")
    assert replies[0].text == "Auf welchen Namen darf ich reservieren?"
    assert "Telefonnummer" in await chat.say("Anna")
    replies = await chat.send("+44 7700 900123")
    assert replies[0].text == "Einen Tisch für 4 Gäste am Do., 26. November um 19:00 auf den Namen Anna reservieren?"
    assert choices(replies) == [("Ja", "Ja"), ("Nein", "Nein")]
    replies = await chat.send("Ja")
    assert replies[0].text.startswith("Erledigt! Ihr Tisch für 4 Gäste am Do., 26. November um 19:00 ist reserviert")
    assert (await Reservation.get(restaurant_id=restaurant.id)).date == TOMORROW
    assert (await chat.say("Wann habt ihr geöffnet?")).startswith("Unsere Öffnungszeiten:")
    assert "Mitarbeiter" in await chat.say("Ich möchte mit einem Mitarbeiter sprechen")
    conversation = await Conversation.get(restaurant_id=restaurant.id, external_chat_id="de-1")
    assert conversation.status == ConversationStatus.HANDOFF and conversation.language == "de"


class _UpgradeArgs(BaseModel):
    reservation_id: int = Field(ge=1)
    note: str = Field(max_length=40)


class UpgradePlugin:
    """A plugin tool that changes a reservation (adds a note), declared as such."""

    @hookimpl
    def tobeout_conversation_tools(self, runtime: Any) -> list[Tool]:
        async def add_note(context: ToolContext, args: dict[str, Any]) -> dict[str, Any]:
            a = _UpgradeArgs.model_validate(args)
            r = await context.service.modify(
                context.restaurant_id, a.reservation_id, ReservationChanges(comments=a.note), guest_id=context.guest.id
            )
            return {"reservation": {"id": r.id}}

        return [Tool.from_model("add_note", "Add a note", _UpgradeArgs, add_note, changes_reservation=True)]


async def test_a_plugin_tool_is_called_on_the_llm_path_and_reported(llm_engine, fake_openai, restaurant):
    mine = await book(restaurant, FRIDAY, "19:00", 2)
    await GuestIdentity.create(restaurant=restaurant, guest_id=mine.guest_id, channel="webchat", external_id="s-1")
    fake_openai.queue_tool_calls([("add_note", {"reservation_id": mine.id, "note": "window seat"})])
    for _ in range(5):
        fake_openai.queue_error(503)  # the model fails after the tool changed the reservation
    chat = Chat(llm_engine(extra_plugins=[UpgradePlugin()]), restaurant.id, chat_id="s-1")
    reply = await chat.say("please add a note: window seat")
    assert (await Reservation.get(id=mine.id)).comments == "window seat"
    assert reply == "Your request went through: Fri 27 Nov at 19:00, 2 guests."
    spec = next(t for t in fake_openai.chat_requests[0]["tools"] if t["function"]["name"] == "add_note")
    assert spec["function"]["parameters"]["properties"]["note"]["maxLength"] == 40  # from the pydantic model
    create = next(t for t in fake_openai.chat_requests[0]["tools"] if t["function"]["name"] == "create_reservation")
    assert create["function"]["parameters"]["properties"]["name"]["maxLength"] == 255


async def test_the_llm_prompt_carries_the_restaurants_profile(llm_engine, fake_openai, restaurant):
    await Restaurant.filter(id=restaurant.id).update(website="https://chez.test", cuisine_type="French")
    fake_openai.queue_text("We serve French food.")
    chat = Chat(llm_engine(), restaurant.id)
    await chat.say("what food do you have?")
    system = fake_openai.chat_requests[0]["messages"][0]["content"]
    assert "Website: https://chez.test" in system and "Cuisine: French" in system and "hand_off_to_staff" in system


async def test_the_llm_can_hand_off_to_staff(llm_engine, fake_openai, restaurant):
    fake_openai.queue_tool_calls([("hand_off_to_staff", {"reason": "complaint"})])
    fake_openai.queue_text("A member of our staff will answer you here shortly.")
    chat = Chat(llm_engine(), restaurant.id, chat_id="llm-h")
    assert await chat.say("I want to complain to a manager") == "A member of our staff will answer you here shortly."
    conversation = await Conversation.get(restaurant_id=restaurant.id, external_chat_id="llm-h")
    assert conversation.status == ConversationStatus.HANDOFF
    assert "will answer you here" in await chat.say("hello?")  # acknowledged once,
    assert await chat.send("anyone?") == []  # then silent until staff hand it back
    assert len(fake_openai.chat_requests) == 2


async def test_a_handoff_nobody_answers_returns_to_the_bot_after_the_expiry(engine_factory, restaurant, clock):
    chat = Chat(engine_factory(), restaurant.id, chat_id="h-exp")
    assert "member of our team" in await chat.say("I want to talk to a human")
    assert "will answer you here" in await chat.say("hello?")
    assert await chat.send("anyone?") == []
    clock.advance(hours=7)
    assert (await chat.say("hi")).startswith("Hello!")
    conversation = await Conversation.get(restaurant_id=restaurant.id, external_chat_id="h-exp")
    assert conversation.status == ConversationStatus.ACTIVE and conversation.handoff_at is None


async def test_several_messages_not_understood_hand_off(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id, chat_id="h-miss")
    assert (await chat.say("qwerty")).startswith("Sorry, I didn't quite get that")
    assert (await chat.say("zxcv")).startswith("Sorry, I didn't quite get that")
    assert "member of our team" in await chat.say("blorp")
    assert "will answer you here" in await chat.say("asdf")
    assert await chat.send("qwerty") == []


async def test_opening_hours_are_told_in_the_guests_language(engine_factory, restaurant):
    hours = {**restaurant.opening_hours, "sunday": []}
    await Restaurant.filter(id=restaurant.id).update(opening_hours=hours, hours_exceptions={"2026-12-25": []})
    chat = Chat(engine_factory(), restaurant.id, chat_id="hours-ru")
    assert await chat.say("какие у вас часы работы?") == (
        "Часы работы: пн-сб 12:00-23:00; вс закрыто; пт, 25 декабря закрыто."
    )
    chat = Chat(engine_factory(), restaurant.id, chat_id="hours-de")
    assert await chat.say("Wann habt ihr geöffnet?") == (
        "Unsere Öffnungszeiten: Mo.-Sa. 12:00-23:00; So. geschlossen; Fr., 25. Dezember geschlossen."
    )
    chat = Chat(engine_factory(), restaurant.id, chat_id="hours-en")
    assert await chat.say("what are your opening hours?") == (
        "Our opening hours: Mon-Sat 12:00-23:00; Sun closed; Fri 25 Dec closed."
    )


async def test_a_change_to_a_taken_time_offers_what_is_free(engine_factory, restaurant):
    mine = await book(restaurant, FRIDAY, "13:00", 2)
    for i, size in enumerate((2, 4, 6)):  # every table taken at 20:00 on Friday
        await book(restaurant, FRIDAY, "20:00", size, f"Other {i}", f"+44770090020{i}")
    await GuestIdentity.create(restaurant=restaurant, guest_id=mine.guest_id, channel="telegram", external_id="77")
    chat = Chat(engine_factory(), restaurant.id, channel="telegram", chat_id="77")
    assert (await chat.say("please move my booking to 8pm")).startswith(f"Change reservation #{mine.id} to")
    replies = await chat.send("yes")
    assert replies[0].text.startswith("Sorry, that time is not free.")
    offered = [value for _, value in choices(replies)]
    assert offered and all(" " in value for value in offered)  # day and time, ready to send back
    assert (await Reservation.get(id=mine.id)).time == time(13, 0)
    replies = await chat.send(offered[0])
    assert replies[0].text.startswith(f"Change reservation #{mine.id} to")
    assert (await chat.say("yes")).startswith("Done!")
    assert (await Reservation.get(id=mine.id)).time != time(13, 0)


async def test_a_change_to_a_past_day_is_refused_clearly(engine_factory, restaurant):
    mine = await book(restaurant, FRIDAY, "13:00", 2)
    await GuestIdentity.create(restaurant=restaurant, guest_id=mine.guest_id, channel="telegram", external_id="78")
    chat = Chat(engine_factory(), restaurant.id, channel="telegram", chat_id="78")
    assert (await chat.say("I'd like to change my booking")).startswith("What should I change")
    assert "has already passed" in await chat.say("yesterday")
    assert (await Reservation.get(id=mine.id)).date == FRIDAY
