"""The LLM circuit breaker: after repeated failures or timeouts the guided path answers at once for a
cool-down, the activity log says so, and the model is tried again afterwards."""

from __future__ import annotations

import pytest

from core.conversation.breaker import CircuitBreaker
from core.models import AiActivity
from tests.core.conversation.conftest import Chat
from tests.fakes.openai_server import Delay, Error


class Ticks:
    """A settable monotonic clock for the breaker."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_the_threshold_and_lets_one_trial_through_after_the_cool_down():
    ticks = Ticks()
    breaker = CircuitBreaker(threshold=3, cool_down=30, clock=ticks)
    for _ in range(2):
        assert breaker.allow()
        breaker.failed()
    assert breaker.allow() and not breaker.is_open
    breaker.failed()
    assert breaker.is_open and not breaker.allow()
    ticks.now += 29
    assert not breaker.allow()
    ticks.now += 2
    assert breaker.allow(), "the trial call"
    assert not breaker.allow(), "only one trial at a time"
    breaker.failed()
    assert breaker.is_open and breaker.retry_in() == 30, "a failed trial opens it for another cool-down"
    ticks.now += 31
    assert breaker.allow()
    breaker.succeeded()
    assert not breaker.is_open and breaker.allow() and breaker.failures == 0


def test_a_success_resets_the_count():
    breaker = CircuitBreaker(threshold=2, clock=Ticks())
    breaker.failed()
    breaker.succeeded()
    breaker.failed()
    assert not breaker.is_open


@pytest.fixture
async def hanging_llm(engine_factory, fake_openai):  # type: ignore[no-untyped-def]
    """An engine whose model accepts connections and never answers in time."""
    fake_openai.set_responder(lambda body: Delay(5))
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_TIMEOUT": "0.3"}
    engine = engine_factory(env=env, options={"llm_budget_seconds": 0.8})
    yield engine
    await engine.close()


async def test_a_hanging_model_is_not_waited_for_once_the_breaker_opened(hanging_llm, fake_openai, restaurant):
    chat = Chat(hanging_llm, restaurant.id)
    threshold = hanging_llm.llm.breaker.threshold
    for _ in range(threshold):
        assert await chat.say("Hello")  # each of these waited for the model, then the guided path answered
    asked = len(fake_openai.chat_requests)
    assert asked >= threshold
    reply = await chat.say("Table for 2 tomorrow at 8pm")
    assert reply, "the guest still gets an answer"
    assert len(fake_openai.chat_requests) == asked, "the model was not asked: the breaker is open"
    last = await AiActivity.filter(restaurant_id=restaurant.id, type="fallback").order_by("-id").first()
    assert last is not None and last.metadata["error"].startswith("circuit open")
    assert last.metadata["attempts"] == 0
    answered = await AiActivity.filter(restaurant_id=restaurant.id, type="response_generated").order_by("-id").first()
    assert answered.metadata["path"] == "guided" and answered.metadata["fallback"] is True


async def test_the_model_is_asked_again_after_the_cool_down(engine_factory, fake_openai, restaurant):
    ticks = Ticks()
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_TIMEOUT": "0.3"}
    engine = engine_factory(env=env, options={"llm_budget_seconds": 0.5})
    engine.llm.breaker = CircuitBreaker(threshold=2, cool_down=60, clock=ticks)
    try:
        fake_openai.set_responder(lambda body: Error(503))
        chat = Chat(engine, restaurant.id)
        await chat.say("Hello")
        await chat.say("Hello again")
        asked = len(fake_openai.chat_requests)
        await chat.say("Anyone?")
        assert len(fake_openai.chat_requests) == asked
        fake_openai.set_responder(None)
        fake_openai.queue_text("Hello! How can I help?")
        ticks.now += 61
        assert await chat.say("Hi") == "Hello! How can I help?"
        assert not engine.llm.breaker.is_open
    finally:
        await engine.close()


async def test_a_refused_key_does_not_open_the_breaker(engine_factory, fake_openai, restaurant):
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_TIMEOUT": "0.3"}
    engine = engine_factory(env=env, options={"llm_budget_seconds": 0.5})
    try:
        fake_openai.set_responder(lambda body: Error(401))
        chat = Chat(engine, restaurant.id)
        for _ in range(engine.llm.breaker.threshold + 1):
            await chat.say("Hello")
        assert not engine.llm.breaker.is_open
    finally:
        await engine.close()
