"""Work started in the background and kept until it ends, so that shutdown can wait for it.

``asyncio`` keeps only weak references to tasks: a task nobody holds may be collected
before it finishes. :class:`BackgroundTasks` holds each task until it is done, and at
shutdown gives the work in flight a grace period before cancelling what is left.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TypeVar

T = TypeVar("T")


class BackgroundTasks:
    """A set of running tasks: :meth:`spawn`, :meth:`drain`, :meth:`close`."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[object]] = set()

    def spawn(self, coro: Coroutine[object, None, T], name: str) -> asyncio.Task[T]:
        """Run ``coro`` in the background, kept until it ends."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self, timeout: float) -> None:
        """Wait (at most ``timeout`` seconds) until the work started so far, and what it started, is done."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._tasks and loop.time() < deadline:
            await asyncio.wait(set(self._tasks), timeout=deadline - loop.time())

    async def close(self, grace: float) -> None:
        """Give the pending work ``grace`` seconds, then cancel the rest and wait for it to stop."""
        await self.drain(grace)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
