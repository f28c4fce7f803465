"""The turn gate: a few turns at work at once per process, the rest served first come, first served."""

from __future__ import annotations

import asyncio
import time

import pytest
from prometheus_client import REGISTRY

from core.conversation.turn_gate import GateReleasingModel, TurnGate
from tests.core.conversation.conftest import Chat
from tests.fakes.openai_server import Delay, Text


async def test_turns_are_let_in_in_arrival_order_and_never_more_than_its_size():
    gate, inside, most, order = TurnGate(2), 0, 0, []

    async def turn(n: int) -> None:
        nonlocal inside, most
        async with gate.held():
            order.append(n)
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    tasks = []
    for n in range(12):
        tasks.append(asyncio.create_task(turn(n)))
        await asyncio.sleep(0)  # arrival order is creation order
    await asyncio.gather(*tasks)
    assert order == list(range(12))
    assert most == 2
    assert gate.waiting == 0


async def test_a_turn_waiting_on_the_outside_world_gives_its_place_up_and_queues_again():
    gate, order = TurnGate(1), []
    outside = asyncio.Event()

    async def slow() -> None:
        async with gate.held():
            order.append("slow starts")
            async with gate.released():
                await outside.wait()
            order.append("slow ends")

    async def quick(n: int) -> None:
        async with gate.held():
            order.append(f"quick {n}")
            if n == 1:
                outside.set()  # the outside world answers while quick 2 is still queued
            await asyncio.sleep(0)

    first = asyncio.create_task(slow())
    await asyncio.sleep(0.01)
    await asyncio.gather(quick(1), quick(2), first)
    # the slow turn queued behind quick 2, which was waiting before the answer came
    assert order == ["slow starts", "quick 1", "quick 2", "slow ends"]


def _waiting_gauge() -> float:
    return REGISTRY.get_sample_value("tobeout_conversation_turns_waiting") or 0.0


async def test_a_cancelled_waiter_does_not_take_a_place_and_the_gauge_counts_the_waiting():
    gate = TurnGate(1)
    before = _waiting_gauge()
    async with gate.held():
        waiter = asyncio.create_task(gate.held().__aenter__())
        await asyncio.sleep(0)
        assert gate.waiting == 1
        assert _waiting_gauge() == before + 1  # what an operator scrapes: a message waiting for a place
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert gate.waiting == 0
        assert _waiting_gauge() == before
    async with asyncio.timeout(1):  # the one place is free again
        async with gate.held():
            pass


def test_a_gate_needs_a_place():
    with pytest.raises(ValueError):
        TurnGate(0)


async def test_the_model_is_asked_without_a_place_held():
    gate = TurnGate(1)
    seen = []

    class Model:
        async def complete(self, messages, tools=None):
            seen.append(gate._places.locked())
            return "answer"

    async with gate.held():
        assert await GateReleasingModel(Model(), gate).complete([{"role": "user", "content": "hi"}]) == "answer"
        assert gate._places.locked()  # held again after the answer
    assert seen == [False]


async def test_with_one_place_a_slow_model_holds_back_no_other_guest(restaurant, engine_factory, fake_openai):
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_TIMEOUT": "2"}
    engine = engine_factory(env=env, options={"llm_budget_seconds": 3, "turns_at_once": 1})
    fake_openai.set_responder(
        lambda body: Delay(0.6, Text("Slow answer.")) if "slow" in str(body["messages"][-1]) else Text("Quick answer.")
    )
    slow_chat = Chat(engine, restaurant.id, chat_id="slow-guest")
    quick_chat = Chat(engine, restaurant.id, chat_id="quick-guest")
    answered: dict[str, float] = {}

    async def talk(chat: Chat, text: str) -> str:
        reply = await chat.say(text)
        answered[chat.chat_id] = time.perf_counter()
        return reply

    slow = asyncio.create_task(talk(slow_chat, "a slow question"))
    await asyncio.sleep(0.15)  # the slow turn holds the one place, then waits for the model
    quick = await talk(quick_chat, "a quick question")
    assert quick == "Quick answer."
    assert await slow == "Slow answer."
    assert answered["quick-guest"] < answered["slow-guest"]
    await engine.close()
