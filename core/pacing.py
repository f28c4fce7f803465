"""Keeping a sender within its provider's rate across every process: one message per turn, at most ``rate`` turns
in each second of the wall clock.

A sender is a channel of one restaurant (its bot, its number, its mail server); its adapter declares
``rate_per_second`` (Telegram: 30 messages a second per bot). One process already spaces its own sends of a
sender ``1 / rate`` apart, but several workers (and the servers sending confirmations) may hold rows of the
same sender at once, since a claim lets every sender take turns. So before a message is sent, its process
takes a turn: a counter per sender and second in the shared cache (:class:`core.cache.Cache`: Redis when
configured, so every process counts together) is incremented, and a process past ``rate`` in this second
waits for the next one and tries again. Without Redis the count is the process's own, which is all one
process needs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from core.cache import Cache


async def take_turn(
    cache: Cache,
    sender: str,
    rate: float,
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> int:
    """Wait until ``sender`` may send one more message (at most ``rate`` a second, at least one, counted in the
    shared ``cache``); returns the second (of ``clock``, Unix time) the turn was taken in."""
    allowed = max(1, int(rate))
    while True:
        now = clock()
        second = int(now)
        if await cache.incr(f"pace:{sender}:{second}", ttl=5) <= allowed:
            return second
        await sleep(second + 1 - now)
