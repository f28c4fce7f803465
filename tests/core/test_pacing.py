"""A sender's turns are shared by every process using the cache: at most ``rate`` in a second of the clock, the
rest wait for the next second (a clock of the test's own: nothing here depends on how fast the machine is)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from core.cache import MemoryCache, RedisCache
from core.pacing import take_turn


class Clock:
    """Unix time that only moves when a waiter sleeps."""

    def __init__(self) -> None:
        self.now = 1_000_000.25
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 2))
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture(params=["memory", "redis"])
def backend_url(request):
    return request.getfixturevalue("redis_url") if request.param == "redis" else None


@pytest.fixture
async def caches(backend_url):
    """Two processes' caches: on Redis two clients of one server (they count together), else one in-process cache."""
    if backend_url:
        pair = [RedisCache(backend_url), RedisCache(backend_url)]
    else:
        one = MemoryCache()
        pair = [one, one]
    yield pair
    for cache in {id(c): c for c in pair}.values():
        await cache.close()


async def test_two_processes_share_a_senders_turns_and_the_rest_wait_for_the_next_second(caches):
    clock = Clock()
    sender = f"telegram:{uuid.uuid4().hex[:8]}"
    turns = [
        await take_turn(caches[i % 2], sender, 3, clock=clock, sleep=clock.sleep)  # two processes taking turns
        for i in range(7)
    ]
    assert turns == [1_000_000] * 3 + [1_000_001] * 3 + [1_000_002]  # three a second, whichever process asked
    assert clock.slept == [0.75, 1.0]  # each wait ends at the start of the next second
    other = await take_turn(caches[1], f"{sender}-other", 3, clock=clock, sleep=clock.sleep)
    assert other == 1_000_002 and clock.slept == [0.75, 1.0]  # another sender has its own turns


async def test_a_rate_under_one_a_second_still_gets_a_turn_each_second(caches):
    clock = Clock()
    sender = f"sms:{uuid.uuid4().hex[:8]}"
    turns = [await take_turn(caches[0], sender, 0.5, clock=clock, sleep=clock.sleep) for _ in range(2)]
    assert turns == [1_000_000, 1_000_001]
