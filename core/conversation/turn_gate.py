"""How many conversation turns one process works on at once, the others waiting in arrival order.

A turn is mostly CPU work between short database and Redis round trips. With hundreds of turns interleaved
on one event loop (a rush: every guest of a busy evening writing at once), every ``await`` of a turn waits
behind the work of all the others, so a message that makes more round trips (the booking) waits several
times longer than a short one, and the slowest answers grow far beyond the average (measured in
``python -m bench rush``: p99 three times the median). The gate lets a few turns work at once and queues
the rest first come, first served (``asyncio.Semaphore`` wakes its waiters in order): each message then
waits about as long as any other, the work ahead of it in the queue.

A turn gives its place up while it waits on the outside world, a model's answer (:class:`GateReleasingModel`),
so a slow model holds back nobody else's turn. It is taken inside the conversation's lock: a turn holding a
place never waits for another conversation's lock, so the places cannot all be taken by turns that wait for
a turn which has given its place up.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from core import metrics
from core.conversation.llm import Completion
from core.conversation.restaurant_llm import ChatModel


class TurnGate:
    """At most ``size`` turns of this process at work at once (``turns_at_once`` in the engine's settings)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a turn gate needs at least one place")
        self._places = asyncio.Semaphore(size)
        self._waiting = 0

    @property
    def waiting(self) -> int:
        """Turns of this process waiting for a place now."""
        return self._waiting

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Hold a place for the block, waiting in arrival order when all are taken."""
        await self._take()
        try:
            yield
        finally:
            self._places.release()

    @asynccontextmanager
    async def released(self) -> AsyncIterator[None]:
        """Give the place held up for the block (a wait on the outside world), then queue for one again."""
        self._places.release()
        try:
            yield
        finally:
            await self._take()

    async def _take(self) -> None:
        if not self._places.locked():
            await self._places.acquire()
            return
        self._waiting += 1
        metrics.TURNS_WAITING.inc()
        try:
            await self._places.acquire()
        finally:
            self._waiting -= 1
            metrics.TURNS_WAITING.dec()


class GateReleasingModel:
    """A :class:`ChatModel` whose calls give the turn's place in the gate up while the model answers."""

    def __init__(self, model: ChatModel, gate: TurnGate) -> None:
        self.model = model
        self.gate = gate

    async def complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> Completion:
        """The wrapped model's answer, asked without holding a place."""
        async with self.gate.released():
            return await self.model.complete(messages, tools)
