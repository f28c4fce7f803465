"""The guided path (no LLM configured), driven through the engine like a channel would."""

from __future__ import annotations

from datetime import date, time

from core.booking.service import BookingRequest, BookingService, GuestInput
from core.events import Actor, EventBus
from core.models import AiActivity, Conversation, Guest, GuestIdentity, Reservation, ReservationStatus
from tests.core.conversation.conftest import NOW, Chat, choices, make_restaurant

FRIDAY = date(2026, 11, 27)
TOMORROW = date(2026, 11, 26)


async def book(restaurant, day: date, at: str, guests: int, name: str, phone: str):
    service = BookingService(EventBus(), lambda: NOW)
    return await service.create(
        restaurant.id, BookingRequest(date=day, time=at, guests=guests, guest=GuestInput(name=name, phone=phone))
    )


async def test_greeting_offers_the_menu(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    replies = await chat.send("Hi")
    assert "book a table" in replies[0].text.lower()
    assert choices(replies) == [("Book a table", "Book a table"), ("My reservations", "My reservations")]
    replies = await chat.send("qwerty")  # not understood: still an answer, with the same choices
    assert replies[0].text.startswith("Sorry") and len(choices(replies)) == 2


async def test_booking_step_by_step_in_english(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    replies = await chat.send("Book a table")
    assert "which day" in replies[0].text and choices(replies) == [("Today", "today"), ("Tomorrow", "tomorrow")]
    assert "What time on Fri 27 Nov" in await chat.say("Friday")
    assert "How many guests" in await chat.say("7:30pm")
    assert "What name" in await chat.say("4")
    assert "phone number" in await chat.say("Anna")
    replies = await chat.send("+44 7700 900123")
    assert replies[0].text == "Book a table for 4 on Fri 27 Nov at 19:30 for Anna?"
    assert choices(replies) == [("Yes", "Yes"), ("No", "No")]
    replies = await chat.send("Yes")
    assert replies[0].text.startswith("Done! Your table for 4 on Fri 27 Nov at 19:30 is booked")

    reservation = await Reservation.get(restaurant_id=restaurant.id).prefetch_related("guest")
    assert (reservation.date, reservation.time, reservation.guests) == (FRIDAY, time(19, 30), 4)
    assert reservation.source == "webchat" and reservation.status == ReservationStatus.CREATED
    assert (reservation.guest.name, reservation.guest.phone) == ("Anna", "+447700900123")
    assert f"#{reservation.id}" in replies[0].text
    identity = await GuestIdentity.get(restaurant_id=restaurant.id, channel="webchat", external_id="session-1")
    assert identity.guest_id == reservation.guest_id
    conversation = await Conversation.get(restaurant_id=restaurant.id, channel="webchat", external_chat_id="session-1")
    assert conversation.guest_id == reservation.guest_id and conversation.state["guided"] == {}
    assert conversation.history[0] == {"role": "user", "content": "Book a table"}

    # the guest is known from now on: a second booking asks neither name nor phone
    replies = await chat.send("Another table for 2 tomorrow at 8pm please")
    assert replies[0].text == "Book a table for 2 on Thu 26 Nov at 20:00 for Anna?"
    kinds = await AiActivity.filter(restaurant_id=restaurant.id).values_list("type", flat=True)
    assert kinds.count("response_generated") == len(chat.transcript)
    assert kinds.count("reservation_intent") == 2
    intent = await AiActivity.filter(type="reservation_intent").order_by("-id").first()
    assert intent.metadata == {"path": "guided", "date": "2026-11-26", "time": "20:00", "guests": 2}
    assert intent.confidence == 1.0


async def test_booking_step_by_step_in_russian(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id, chat_id="ru-1")
    assert "На какой день" in await chat.say("Здравствуйте, хочу забронировать столик")
    assert "На какое время чт, 26 ноября" in await chat.say("завтра")
    assert "Сколько будет гостей" in await chat.say("в 20:00")
    assert "На чьё имя" in await chat.say("на двоих")
    assert "По какому номеру" in await chat.say("Анна")
    assert await chat.say("+7 916 123-45-67") == "Забронировать столик на чт, 26 ноября в 20:00, 2 гостя, на имя Анна?"
    assert (await chat.say("да")).startswith("Готово! Столик на чт, 26 ноября в 20:00, 2 гостя, забронирован")
    reservation = await Reservation.get(restaurant_id=restaurant.id).prefetch_related("guest")
    assert (reservation.date, reservation.time, reservation.guests) == (TOMORROW, time(20, 0), 2)
    assert (reservation.guest.name, reservation.guest.phone, reservation.guest.language) == (
        "Анна",
        "+79161234567",
        "ru",
    )


async def test_one_message_name_and_phone_together(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    assert "What name" in await chat.say("Hi, a table for 3 on Friday at 8pm please")
    assert await chat.say("My name is Oleg, +44 7700 900555") == "Book a table for 3 on Fri 27 Nov at 20:00 for Oleg?"
    assert "booked" in await chat.say("ok")
    reservation = await Reservation.get(restaurant_id=restaurant.id).prefetch_related("guest")
    assert (reservation.guests, reservation.time, reservation.guest.phone) == (3, time(20, 0), "+447700900555")


async def test_russian_one_message_on_whatsapp_needs_no_questions(engine_factory, restaurant):
    """WhatsApp vouches for the number and gives the profile name: a known number is the same guest."""
    pavel = await Guest.create(restaurant=restaurant, name="Pavel", phone="+447700900101", language="ru")
    chat = Chat(engine_factory(), restaurant.id, channel="whatsapp", chat_id="+447700900101", phone="+447700900101")
    reply = await chat.say("Забронируйте столик на завтра в 19:30 на 4 человека")
    assert reply == "Забронировать столик на чт, 26 ноября в 19:30, 4 гостя, на имя Pavel?"
    assert "забронирован" in await chat.say("да")
    reservation = await Reservation.get(restaurant_id=restaurant.id)
    assert reservation.guest_id == pavel.id and reservation.source == "whatsapp"
    assert await GuestIdentity.filter(guest=pavel, channel="whatsapp").exists()


async def test_confirmation_can_change_details_or_be_declined(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    await chat.send("table for 2 tomorrow at 7pm")
    await chat.send("Anna")
    assert "at 19:00" in await chat.say("+447700900123")
    assert await chat.say("make it 8pm") == "Book a table for 2 on Thu 26 Nov at 20:00 for Anna?"
    replies = await chat.send("no")
    assert replies[0].text.startswith("OK, I haven't booked anything") and len(choices(replies)) == 2
    assert not await Reservation.filter(restaurant_id=restaurant.id).exists()


async def test_list_and_cancel_own_reservations(engine_factory, restaurant):
    first = await book(restaurant, TOMORROW, "19:00", 2, "Anna", "+447700900123")
    second = await book(restaurant, FRIDAY, "20:00", 4, "Anna", "+447700900123")
    other = await book(restaurant, FRIDAY, "20:00", 2, "Boris", "+447700900999")
    await GuestIdentity.create(restaurant=restaurant, guest_id=first.guest_id, channel="telegram", external_id="42")
    chat = Chat(engine_factory(), restaurant.id, channel="telegram", chat_id="42")

    replies = await chat.send("show my reservations")
    assert replies[0].text.splitlines() == [
        "Your upcoming reservations:",
        f"#{first.id}: Thu 26 Nov at 19:00, 2 guests",
        f"#{second.id}: Fri 27 Nov at 20:00, 4 guests",
    ]
    assert choices(replies)[:2] == [
        (f"Cancel #{first.id}", f"cancel {first.id}"),
        (f"Cancel #{second.id}", f"cancel {second.id}"),
    ]
    replies = await chat.send(f"cancel {other.id}")  # not theirs: offered their own instead
    assert replies[0].text == "Which reservation should I cancel?"
    assert [v for _, v in choices(replies)] == [f"cancel {first.id}", f"cancel {second.id}"]
    assert await chat.say(f"cancel {second.id}") == f"Cancel reservation #{second.id}: Fri 27 Nov at 20:00, 4 guests?"
    assert await chat.say("yes") == f"Your reservation #{second.id} (Fri 27 Nov at 20:00, 4 guests) is canceled."

    statuses = dict(await Reservation.filter(restaurant_id=restaurant.id).values_list("id", "status"))
    assert statuses == {first.id: "created", second.id: "canceled", other.id: "created"}
    replies = await chat.send("cancel my booking")  # one left: straight to the confirmation
    assert replies[0].text.startswith(f"Cancel reservation #{first.id}")
    assert await chat.say("no") == "OK, your reservation stays as it is."
    assert (await Reservation.get(id=first.id)).status == ReservationStatus.CREATED


async def test_a_booking_that_can_no_longer_change_is_said_in_the_guests_language(engine_factory, restaurant):
    """Staff seated the party while the guest was confirming a cancellation: an English guest is told the
    engine's own sentence, a Russian guest the catalog's, not the English one."""
    service = BookingService(EventBus(), lambda: NOW)
    asked = (
        ("en-9", "+447700900291", "cancel my booking", "yes"),
        ("ru-9", "+447700900292", "отмените мою бронь", "да"),
    )
    for chat_id, phone, ask, yes in asked:
        booked = await book(restaurant, TOMORROW, "19:00", 2, f"Guest {chat_id}", phone)
        await GuestIdentity.create(
            restaurant=restaurant, guest_id=booked.guest_id, channel="telegram", external_id=chat_id
        )
        chat = Chat(engine_factory(), restaurant.id, channel="telegram", chat_id=chat_id)
        assert str(booked.id) in await chat.say(ask)
        await service.set_status(restaurant.id, booked.id, ReservationStatus.SEATED, actor=Actor.SYSTEM)
        told = await chat.say(yes)
        if chat_id.startswith("en"):
            assert told.startswith("A seated reservation cannot become canceled")
        else:
            assert told == "Эту бронь уже нельзя изменить."
        assert (await Reservation.get(id=booked.id)).status == ReservationStatus.SEATED


async def test_russian_list_without_reservations(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id, chat_id="ru-2")
    replies = await chat.send("покажи мои брони")
    assert replies[0].text == "Я не нашёл ваших броней в этом чате."
    assert choices(replies) == [("Забронировать столик", "Забронировать столик")]


async def test_alternatives_when_full(engine_factory, db):
    small = await make_restaurant("Tiny", tables=((1, 2),))
    await book(small, TOMORROW, "19:30", 2, "Early bird", "+447700900777")
    chat = Chat(engine_factory(), small.id)
    replies = await chat.send("Table for 2 tomorrow at 19:30")
    assert replies[0].text == "Sorry, there's no table for 2 on Thu 26 Nov at 19:30. Here is what is free:"
    offered = [value for _, value in choices(replies)]
    assert offered[-1] == "/waitlist join 2026-11-26 19:30 2" and choices(replies)[-1][0] == "Join the waitlist"
    offered = offered[:-1]  # the free times
    assert offered and "19:30" not in offered
    assert all(int(v[:2]) * 60 + int(v[3:5]) <= 17 * 60 + 30 or v >= "21:30" for v in offered if len(v) == 5)
    assert "What name" in await chat.say(offered[-1])
    state = (await Conversation.get(restaurant_id=small.id)).state["guided"]
    assert (state["date"], state["time"], state["guests"]) == ("2026-11-26", offered[-1], 2)


async def test_refused_request_says_why_and_asks_again(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    replies = await chat.send("Table for 2 tomorrow at 9am")
    assert replies[0].text.startswith("That time is outside our opening hours (12:00-23:00).")
    assert [v for _, v in choices(replies)] == ["12:00", "12:30", "13:00", "13:30", "14:00"]
    replies = await chat.send("a table for 50 people tomorrow at 8pm")
    assert "at most 6 guests" in replies[0].text and "call us on +442079460000" in replies[0].text
    assert replies[0].text.endswith("How many guests?")
    assert "What name" in await chat.say("6")
    replies = await chat.send("actually on 2027-06-01")  # beyond the booking window: asks for another day
    assert "60 days ahead" in replies[0].text and "For which day" in replies[0].text
    assert "nothing is free" not in replies[0].text  # one clear answer, not two
    state = (await Conversation.get(restaurant_id=restaurant.id)).state["guided"]
    assert state["step"] == "date" and state.get("date") is None  # cleared (what is not set is not stored)


async def test_refusals_are_explained_in_russian(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id, chat_id="ru-3")
    replies = await chat.send("Столик на двоих завтра в 9 утра")
    assert replies[0].text == "Это время вне часов работы (12:00-23:00). Вот что свободно:"
    assert [v for _, v in choices(replies)][:2] == ["12:00", "12:30"]
    replies = await chat.send("нас будет 50 человек, завтра в 20:00")
    assert replies[0].text == (
        "Онлайн мы можем посадить не больше 6 гостей. Для большой компании позвоните нам: +442079460000. "
        "Сколько будет гостей?"
    )
