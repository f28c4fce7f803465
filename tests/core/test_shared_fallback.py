"""While Redis is away, locks, once-only keys and counters stay shared between processes (PostgreSQL),
and fail closed when PostgreSQL does not answer either. Two caches stand for two processes."""

from __future__ import annotations

import asyncio

import pytest

from core.cache import LockTimeout, RedisCache

DOWN = "redis://127.0.0.1:1/0"  # nothing listens there: Redis is away


@pytest.fixture
async def two_processes(postgres_url):  # type: ignore[no-untyped-def]
    first = RedisCache(DOWN, retry_after=60, database_url=postgres_url)
    second = RedisCache(DOWN, retry_after=60, database_url=postgres_url)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


async def test_a_lock_held_by_one_process_is_held_for_the_other(two_processes):
    first, second = two_processes
    assert first.shared_fallback == "postgresql"
    async with first.lock("conversation:7", wait=1):
        assert first.degraded
        with pytest.raises(LockTimeout):
            async with second.lock("conversation:7", wait=0.3):
                pass
        async with second.lock("conversation:8", wait=1):  # another key is free
            pass
    async with second.lock("conversation:7", wait=1):  # released with the block
        pass


async def test_lock_holders_take_turns_across_processes(two_processes):
    first, second = two_processes
    inside, overlaps = 0, 0

    async def hold(cache: RedisCache) -> None:
        nonlocal inside, overlaps
        async with cache.lock("turns", wait=10):
            inside += 1
            overlaps += inside > 1
            await asyncio.sleep(0.02)
            inside -= 1

    await asyncio.gather(*(hold(c) for c in (first, second) * 5))
    assert overlaps == 0


async def test_a_once_only_key_is_once_across_processes(two_processes, postgres_url):
    first, second = two_processes
    results = await asyncio.gather(*(c.add("telegram:update:1:42", ttl=60) for c in (first, second) * 5))
    assert sorted(results) == [False] * 9 + [True]
    assert await first.add("telegram:update:1:43", ttl=60) is True


async def test_counters_are_shared_and_atomic(two_processes):
    first, second = two_processes
    values = await asyncio.gather(*(c.incr("login-fail:email:x", ttl=60) for c in (first, second) * 20))
    assert sorted(values) == list(range(1, 41))
    assert await second.incr("login-fail:email:x", ttl=60, amount=-1) == 39


async def test_messages_marked_and_counted_together_stay_once_and_shared(two_processes):
    """An inbound message's once-only key and its conversation's counter, while Redis is away: each message
    id counted once across processes, several counters at once too."""
    first, second = two_processes
    marked = await asyncio.gather(
        *(c.add_and_incr(f"msg:{n % 4}", 60, "rl:conv", 60) for n, c in enumerate((first, second) * 6))
    )
    assert sorted(v for v in marked if v is not None) == [1, 2, 3, 4]
    assert await first.incr_many([("rl:conv", 60), ("other", 60)]) == [5, 1]


async def test_an_expired_once_only_key_can_be_set_again(two_processes):
    first, second = two_processes
    assert await first.add("k", ttl=0.05)
    await asyncio.sleep(0.1)
    assert await second.add("k", ttl=60)


async def test_with_postgresql_away_too_they_fail_closed():
    cache = RedisCache(DOWN, retry_after=60, database_url="postgres://postgres@127.0.0.1:2/nowhere")
    try:
        with pytest.raises(OSError):
            await cache.add("k", ttl=60)
        with pytest.raises(OSError):
            async with cache.lock("k", wait=0.5):
                pass
    finally:
        await cache.close()


async def test_holders_of_every_lock_connection_can_still_count_and_mark(two_processes, monkeypatch):
    """A turn counts and marks things while it holds its conversation's lock: with as many turns as the
    locks have connections, each must still get its counter (they hung when one pool served both)."""
    from core import shared_pg

    monkeypatch.setattr(shared_pg, "LOCK_POOL_SIZE", 4)  # few connections of the shared server, same proof
    monkeypatch.setattr(shared_pg, "KEYS_POOL_SIZE", 2)
    size = shared_pg.LOCK_POOL_SIZE
    first, _ = two_processes
    held = asyncio.Event()
    inside = 0

    async def turn(n: int) -> int:
        nonlocal inside
        async with first.lock(f"conversation:full-{n}", wait=5):
            inside += 1
            if inside == size:
                held.set()
            await held.wait()  # every lock connection is taken now
            assert await first.add(f"message:full-{n}", ttl=60)
            return await first.incr("turns:full", ttl=60)

    counts = await asyncio.wait_for(asyncio.gather(*(turn(n) for n in range(size))), 60)
    assert sorted(counts) == list(range(1, size + 1))
