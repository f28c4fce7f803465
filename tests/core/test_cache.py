"""The cache interface behaves the same in-process and on Redis, and degrades when Redis is away."""

from __future__ import annotations

import asyncio

import pytest

from core.cache import LockTimeout, MemoryCache, RedisCache


@pytest.fixture(params=["memory", "redis"])
def backend_url(request):
    return request.getfixturevalue("redis_url") if request.param == "redis" else None


@pytest.fixture
async def cache(backend_url):
    cache = RedisCache(backend_url) if backend_url else MemoryCache()
    yield cache
    await cache.close()


async def test_values_expire(cache):
    await cache.set("a", {"x": 1}, ttl=0.2)
    assert await cache.get("a") == {"x": 1}
    await asyncio.sleep(0.3)
    assert await cache.get("a") is None


async def test_counters_and_once_only_keys(cache):
    assert [await cache.incr("n", ttl=10) for _ in range(3)] == [1, 2, 3]
    assert await cache.add("once", ttl=10) is True
    assert await cache.add("once", ttl=10) is False
    await cache.delete("once")
    assert await cache.add("once", ttl=10) is True


async def test_a_counter_expires_a_ttl_after_its_first_increment(cache):
    assert await cache.incr("window", ttl=0.6, amount=2) == 2
    await asyncio.sleep(0.4)
    assert await cache.incr("window", ttl=0.6) == 3  # a later increment does not push the expiry back
    await asyncio.sleep(0.35)
    assert await cache.incr("window", ttl=0.6) == 1  # the window ended: counting starts again


async def test_counters_counted_together_count_and_expire_as_one_by_one(cache):
    assert await cache.incr_many([("a", 0.6), ("b", 10)]) == [1, 1]
    assert await cache.incr("a", ttl=0.6) == 2
    assert await cache.incr_many([("a", 0.6), ("b", 10), ("c", 10)]) == [3, 2, 1]
    assert await cache.incr_many([]) == []
    await asyncio.sleep(0.7)  # "a" expires a ttl after its first increment, the others count on
    assert await cache.incr_many([("b", 10), ("a", 0.6)]) == [3, 1]


async def test_counters_counted_together_stay_atomic(cache):
    counts = await asyncio.gather(*(cache.incr_many([("x", 60), ("y", 60)]) for _ in range(50)))
    assert sorted(c[0] for c in counts) == list(range(1, 51))
    assert sorted(c[1] for c in counts) == list(range(1, 51))


async def test_a_once_only_key_and_a_counter_set_together(cache):
    """A message marked once and counted in its conversation's minute: a second mark counts nothing."""
    assert await cache.add_and_incr("msg:1", 10, "conv", 0.6) == 1
    assert await cache.add_and_incr("msg:1", 10, "conv", 0.6) is None
    assert await cache.add("msg:1", 10) is False
    assert await cache.add_and_incr("msg:2", 10, "conv", 0.6) == 2
    assert await cache.incr("conv", 0.6) == 3  # the same counter as incr's
    await asyncio.sleep(0.7)  # the counter's minute ended; the marks stay
    assert await cache.add_and_incr("msg:2", 10, "conv", 0.6) is None
    assert await cache.add_and_incr("msg:3", 10, "conv", 0.6) == 1
    marks = await asyncio.gather(*(cache.add_and_incr(f"m:{n % 10}", 10, "crowd", 60) for n in range(50)))
    assert sorted(m for m in marks if m is not None) == list(range(1, 11))


async def test_invalidating_several_namespaces_at_once(cache):
    before = [await cache.generation(ns) for ns in ("p", "q", "r")]
    await cache.invalidate("p", "q")
    assert [await cache.generation(ns) for ns in ("p", "q", "r")] == [before[0] + 1, before[1] + 1, before[2]]


async def test_slots_are_capped_renewed_released_and_expire(cache):
    assert [await cache.take_slot("s", h, limit=2, ttl=2.0) for h in ("a", "b", "c")] == [True, True, False]
    assert await cache.take_slot("s", "a", limit=2, ttl=2.0) is True  # a holder renews its own place
    await cache.release_slot("s", "b")
    assert await cache.take_slot("s", "c", limit=2, ttl=2.0) is True
    await asyncio.sleep(1.0)
    assert await cache.take_slot("s", "a", limit=2, ttl=2.0) is True  # renewed: "c" will expire first
    await asyncio.sleep(1.2)
    assert await cache.take_slot("s", "d", limit=2, ttl=2.0) is True  # "c" was not renewed: its place is free
    assert await cache.take_slot("s", "e", limit=2, ttl=2.0) is False


async def test_cached_values_are_invalidated_by_namespace(cache):
    calls = []

    async def load():
        calls.append(1)
        return len(calls)

    assert await cache.cached("restaurant:1", "stats", load) == 1
    assert await cache.cached("restaurant:1", "stats", load) == 1
    await cache.invalidate("restaurant:1")
    assert await cache.cached("restaurant:1", "stats", load) == 2
    assert await cache.cached("restaurant:2", "stats", load) == 3


async def test_lock_serialises_holders(cache):
    order = []

    async def worker(n):
        async with cache.lock("conv:1", timeout=5, wait=5):
            order.append(("in", n))
            await asyncio.sleep(0.05)
            order.append(("out", n))

    await asyncio.gather(*(worker(n) for n in range(3)))
    for i in range(0, 6, 2):
        assert order[i][0] == "in" and order[i + 1] == ("out", order[i][1])


async def test_lock_wait_gives_up(cache):
    async with cache.lock("busy", timeout=5, wait=1):
        with pytest.raises(LockTimeout):
            async with cache.lock("busy", timeout=5, wait=0.1):
                pass


async def test_two_redis_clients_share_state(redis_url):
    first, second = RedisCache(redis_url), RedisCache(redis_url)
    try:
        await first.set("shared", [1, 2], ttl=10)
        assert await second.get("shared") == [1, 2]
        await second.invalidate("ns")
        assert await first.generation("ns") == 1
    finally:
        await first.close()
        await second.close()


async def test_redis_reads_a_cached_value_in_one_script_under_the_generic_keys(redis_url):
    """RedisCache.cached (generation and value in one Lua round trip) and the generic Cache.cached (two GETs)
    read and write the same keys, so processes of either kind share what they cached."""
    from core.cache import Cache

    cache = RedisCache(redis_url)
    try:

        async def value(v):
            return v

        assert await Cache.cached(cache, "ns", "k", lambda: value({"from": "generic"})) == {"from": "generic"}
        assert await cache.cached("ns", "k", lambda: value("not called")) == {"from": "generic"}
        await cache.invalidate("ns")
        assert await cache.cached("ns", "k", lambda: value([1, "script"])) == [1, "script"]
        assert await Cache.cached(cache, "ns", "k", lambda: value("not called")) == [1, "script"]
        assert await cache.get("c:ns:1:k") == [1, "script"]
    finally:
        await cache.close()


async def test_redis_cache_degrades_to_memory_and_reports_it():
    cache = RedisCache("redis://127.0.0.1:1/0", retry_after=60)
    try:
        await cache.set("k", 1, ttl=10)
        assert cache.degraded
        assert await cache.get("k") == 1
        assert await cache.incr("n", ttl=10) == 1
        async with cache.lock("x", wait=1):
            pass
        assert await cache.ping() is False
    finally:
        await cache.close()


async def test_the_in_process_lock_lets_waiting_turns_in_in_arrival_order():
    """What docs/architecture.md promises within one process: one conversation's turns run one at a time,
    in the order they arrived (across processes Redis promises only one at a time)."""
    cache = MemoryCache()
    order: list[int] = []

    async def turn(n: int) -> None:
        async with cache.lock("conv:1:chat:2", timeout=5, wait=5):
            order.append(n)

    async with cache.lock("conv:1:chat:2", timeout=5, wait=5):
        waiting = []
        for n in range(6):
            waiting.append(asyncio.create_task(turn(n)))
            for _ in range(3):  # let this turn queue up before the next one arrives
                await asyncio.sleep(0)
        assert order == []
    await asyncio.gather(*waiting)
    assert order == [0, 1, 2, 3, 4, 5]


async def test_many_commands_at_once_wait_for_a_connection_rather_than_take_redis_for_down(redis_url):
    """More commands in flight than redis-py's default pool of 100: each gets its answer, from Redis."""
    cache = RedisCache(redis_url)
    try:
        counts = await asyncio.gather(*(cache.incr("crowd", ttl=60) for _ in range(300)))
        assert sorted(counts) == list(range(1, 301))
        assert not cache.degraded
    finally:
        await cache.close()
