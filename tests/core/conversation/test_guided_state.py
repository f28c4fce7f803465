"""The guided flow's typed state: what it stores, and that states stored by earlier releases still load."""

from __future__ import annotations

from datetime import date, time

from core.conversation.guided_state import Change, GuidedState
from core.models import Conversation
from tests.core.conversation.conftest import Chat

# What the previous release wrote (a dict with string keys, ``null`` for a value it cleared), mid-booking,
# with a key this release does not know.
OLD_MID_BOOKING = {
    "step": "name",
    "date": "2026-11-27",
    "time": "19:30",
    "guests": 4,
    "checked": "2026-11-27 19:30 4",
    "phone": None,
    "requests": ["window seat please"],
    "tags": [],
    "change": {},
    "asked_twice": True,
}
OLD_CHANGING = {"step": "confirm_change", "reservation_id": 12, "change": {"time": "21:00", "guests": 3}}


def test_a_state_of_the_previous_release_loads():
    state = GuidedState.from_json(OLD_MID_BOOKING)
    assert (state.step, state.date, state.time, state.guests) == ("name", date(2026, 11, 27), time(19, 30), 4)
    assert state.checked == (date(2026, 11, 27), time(19, 30), 4)
    assert (state.name, state.phone, state.requests, state.tags) == (None, None, ["window seat please"], [])
    assert state.reservation_id is None and state.change == Change()
    changing = GuidedState.from_json(OLD_CHANGING)
    assert (changing.step, changing.reservation_id) == ("confirm_change", 12)
    assert changing.change == Change(time=time(21, 0), guests=3)
    assert changing.change.to_json() == {"time": "21:00", "guests": 3}  # as the modify tool takes it


def test_missing_and_unreadable_values_read_as_not_given():
    assert GuidedState.from_json(None) == GuidedState() == GuidedState.from_json({})
    assert GuidedState.from_json("not a state") == GuidedState()
    odd = GuidedState.from_json(
        {"step": 3, "date": "27/11", "time": "late", "guests": "many", "checked": "2026-11-27", "requests": "x"}
    )
    assert odd == GuidedState()


def test_only_what_is_set_is_stored_and_read_back_the_same():
    assert GuidedState().to_json() == {}
    stored = GuidedState.from_json(OLD_MID_BOOKING).to_json()
    assert stored == {
        "step": "name",
        "date": "2026-11-27",
        "time": "19:30",
        "guests": 4,
        "requests": ["window seat please"],
        "checked": "2026-11-27 19:30 4",
    }
    assert GuidedState.from_json(stored).to_json() == stored
    assert GuidedState.from_json(OLD_CHANGING).to_json() == OLD_CHANGING


async def test_a_conversation_stored_by_the_previous_release_goes_on(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id)
    await chat.send("Hi")
    conversation = await Conversation.get(restaurant_id=restaurant.id)
    conversation.state = {**conversation.state, "guided": OLD_MID_BOOKING}
    await conversation.save()
    assert "phone number" in await chat.say("Anna")
    reply = await chat.say("+44 7700 900123")
    assert "Book a table for 4 on Fri 27 Nov at 19:30 for Anna?" in reply
    assert "window seat please" in reply
    state = (await Conversation.get(restaurant_id=restaurant.id)).state["guided"]
    assert state["step"] == "confirm_book" and "asked_twice" not in state
