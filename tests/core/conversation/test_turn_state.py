"""The typed turn state besides the guided flow (misses, the handoff notice, the answers waited for): states
stored by the previous release still load, what is written is what it wrote, and each touches its own key only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from core.conversation import followup, handoff
from core.conversation.turn_state import Expectation, HandoffNotice, Misses
from core.conversation.understanding import Understanding
from core.models import Conversation, ConversationStatus
from tests.core.conversation.conftest import Chat

NOW = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
GUIDED = {"step": "time", "date": "2026-11-27"}
# What the previous release wrote, all four keys at once (plus one it did not know).
OLD_STATE = {
    "guided": GUIDED,
    "misses": 2,
    "handoff_acknowledged": True,
    "expect": {"answers": {"yes": "/w accept 7", "no": "/w decline 7"}, "until": "2026-11-27T18:30:00+00:00"},
    "someday": [1],
}


def conversation(state: object) -> Conversation:
    found = Conversation(state={})
    found.state = state  # None too: the code reads ``conversation.state or {}``
    return found


def said(yes_no: bool | None = None, intent: str | None = None) -> Understanding:
    return Understanding(text="", language="en", intent=intent, yes_no=yes_no)


def test_states_of_the_previous_release_load():
    old = conversation(OLD_STATE)
    assert Misses.load(old) == Misses(2)
    assert HandoffNotice.load(old) == HandoffNotice(told=True)
    assert Expectation.load(old) == Expectation(
        {"yes": "/w accept 7", "no": "/w decline 7"}, datetime(2026, 11, 27, 18, 30, tzinfo=UTC)
    )
    # the previous release read a count as int(value or 0), and any true value as told
    assert Misses.load(conversation({"misses": "3"})) == Misses(3)
    assert Misses.load(conversation({"misses": 1.0})) == Misses(1)
    assert HandoffNotice.load(conversation({"handoff_acknowledged": 1})) == HandoffNotice(told=True)


def test_missing_and_unreadable_values_read_as_nothing():
    for state in (None, {}, {"misses": None, "handoff_acknowledged": None, "expect": None}):
        empty = conversation(state)
        assert (Misses.load(empty), HandoffNotice.load(empty), Expectation.load(empty)) == (
            Misses(0),
            HandoffNotice(told=False),
            None,
        )
    garbled = conversation({"misses": "many", "handoff_acknowledged": False, "expect": "soon"})
    assert (Misses.load(garbled), HandoffNotice.load(garbled), Expectation.load(garbled)) == (
        Misses(0),
        HandoffNotice(told=False),
        None,
    )
    assert Misses.load(conversation({"misses": [1, 2]})) == Misses(0)
    # an answer waited for with an unreadable end has ended; odd answers are not commands
    odd = Expectation.load(conversation({"expect": {"answers": ["yes"], "until": "tonight"}}))
    assert odd == Expectation({}, None) and odd.over(NOW)
    assert Expectation.load(conversation({"expect": {}})) == Expectation({}, None)
    partial = Expectation.load(conversation({"expect": {"answers": {"yes": "/a 1", "no": None, "cancel": ""}}}))
    assert partial == Expectation({"yes": "/a 1"}, None)


def test_what_is_written_is_the_previous_releases_shape_and_touches_one_key():
    c = conversation(dict(OLD_STATE))
    Misses(0).save(c)
    assert c.state == {**OLD_STATE, "misses": 0}
    Misses.clear(c)
    HandoffNotice(told=False).save(c)
    assert c.state == {k: v for k, v in OLD_STATE.items() if k not in ("misses", "handoff_acknowledged")}
    HandoffNotice(told=True).save(c)
    Misses(1).save(c)
    assert c.state["handoff_acknowledged"] is True and c.state["misses"] == 1
    until = datetime(2026, 11, 27, 20, 30, tzinfo=timezone(timedelta(hours=1)))  # stored in UTC
    Expectation({"yes": "/a 1"}, until).save(c)
    assert c.state["expect"] == {"answers": {"yes": "/a 1"}, "until": "2026-11-27T19:30:00+00:00"}
    assert Expectation.load(c) == Expectation({"yes": "/a 1"}, until)
    Expectation.clear(c)
    assert "expect" not in c.state and c.state["guided"] == GUIDED and c.state["someday"] == [1]
    # the rows written are new dicts: a model instance never shares its state with another
    before = c.state
    Misses(2).save(c)
    assert before["misses"] == 1


def test_a_wait_of_the_previous_release_is_answered_once_and_an_ended_one_is_forgotten():
    c = conversation({k: v for k, v in OLD_STATE.items() if k != "guided"})
    assert followup.take(c, said(intent="greeting"), NOW) is None and "expect" in c.state
    assert followup.take(c, said(yes_no=True), NOW) == "/w accept 7"
    assert "expect" not in c.state and c.state["misses"] == 2
    c = conversation(dict(OLD_STATE))
    assert followup.take(c, said(yes_no=True), NOW) is None and "expect" in c.state  # a guided step is under way
    c = conversation({"expect": OLD_STATE["expect"], "misses": 1})
    assert followup.take(c, said(yes_no=False), NOW + timedelta(hours=1)) is None
    assert c.state == {"misses": 1}
    c = conversation({"expect": {"answers": {"yes": "/a 1"}, "until": "not a time"}})
    assert followup.take(c, said(yes_no=True), NOW) is None and c.state == {}
    c = conversation({})
    followup.expect(c, {"yes": "/a 1", "no": "not a command", "maybe": "/b 1"}, NOW + timedelta(hours=1))
    assert c.state == {"expect": {"answers": {"yes": "/a 1"}, "until": "2026-11-27T18:30:00+00:00"}}


def test_a_handoff_of_the_previous_release_is_acknowledged_once_and_released_clean():
    c = conversation({**OLD_STATE, "handoff_acknowledged": False})
    c.status = ConversationStatus.HANDOFF
    assert handoff.acknowledge(c) and c.state["handoff_acknowledged"] is True
    assert not handoff.acknowledge(c)
    assert handoff.release(c)
    assert c.state == {"expect": OLD_STATE["expect"], "someday": [1]}
    c = conversation(dict(OLD_STATE))
    assert handoff.start(c, NOW) and "handoff_acknowledged" not in c.state and c.state["misses"] == 2


async def test_misses_stored_by_the_previous_release_count_on(engine_factory, restaurant):
    chat = Chat(engine_factory(), restaurant.id, chat_id="old-misses")
    assert (await chat.say("qwerty")).startswith("Sorry, I didn't quite get that")
    stored = await Conversation.get(restaurant_id=restaurant.id, external_chat_id="old-misses")
    assert stored.state["misses"] == 1
    stored.state = {**stored.state, "misses": "2"}  # as text, the way a hand-edited row may hold it
    await stored.save()
    assert "member of our team" in await chat.say("blorp")
    stored = await Conversation.get(restaurant_id=restaurant.id, external_chat_id="old-misses")
    assert stored.status == ConversationStatus.HANDOFF and stored.state["misses"] == 0
    assert "will answer you here" in await chat.say("asdf")
    stored = await Conversation.get(restaurant_id=restaurant.id, external_chat_id="old-misses")
    assert stored.state["handoff_acknowledged"] is True
