"""What a worker job is (``tobeout_worker_jobs``): a leaf module, so the hooks and plugins name it without
importing the worker."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class Job(Protocol):
    """One piece of scheduled work: ``await job.run(now)`` returns how much it did (for the logs).

    A job that queues messages of its own ``kind`` may give the outbox a ``check`` (None to send,
    else the reason it is no longer worth sending) and an ``after_sent`` (record that it went out).
    """

    name: str
    order: int

    async def run(self, now: datetime) -> int:
        """Do the work due at ``now``."""
        ...
