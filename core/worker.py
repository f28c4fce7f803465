"""The worker: the scheduled work of the service, polled against the database.

``tobeout worker`` runs it as its own process (as many as wanted, on PostgreSQL); on the
embedded SQLite default the same loop runs inside ``tobeout serve`` (``in_serve = "auto"``),
so ``make run`` sends reminders with no other process. Each poll runs the jobs in
``order``:

- plugins' jobs from the ``tobeout_worker_jobs`` hook (the reminders plugin queues the
  reminders that fell due into the guest outbox);
- the reservation lifecycle (:mod:`core.booking.lifecycle`: no-shows, completed, archived);
- the guest outbox (:mod:`core.outbox`): due rows are claimed ``FOR UPDATE SKIP LOCKED``
  and sent, ``batch_size`` at a time, until none is due.

This module is itself a plugin (``[plugins."core.worker"]`` in ``plugins.toml``, registered
by the worker when the file does not list it) whose ``tobeout_worker_jobs`` returns the
last two, ``trylast``. Settings: ``poll_seconds`` (5), ``batch_size`` (20), ``lease_seconds``
(60, plus ``send_timeout_seconds`` per claimed message), ``send_timeout_seconds`` (15),
``max_attempts`` (5), ``backoff_seconds`` (5, doubling), ``max_backoff_seconds`` (600),
``lifecycle_limit`` (200 moves of each kind per poll) and ``in_serve`` (``"auto"``: on SQLite
outside tests; ``true``; ``false``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

from core.booking import lifecycle
from core.booking.service import BookingService
from core.hookspecs import hookimpl
from core.outbox import AfterSent, Check, DeliveryOptions, Dispatcher
from core.plugins import call_hook

log = logging.getLogger(__name__)

PLUGIN = "core.worker"
DEFAULTS: dict[str, Any] = {
    "poll_seconds": 5.0, "batch_size": 20, "lease_seconds": 60.0, "send_timeout_seconds": 15.0,
    "max_attempts": 5, "backoff_seconds": 5.0, "max_backoff_seconds": 600.0, "lifecycle_limit": 200,
    "in_serve": "auto",
}  # fmt: skip
MAX_ROUNDS = 50  # outbox batches per poll, so one poll cannot run for ever


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


def options_of(runtime: Any) -> dict[str, Any]:
    """The worker's settings: ``plugins.toml``'s ``[plugins."core.worker"]`` over the defaults."""
    return {**DEFAULTS, **runtime.settings_for(PLUGIN)}


def runs_in_serve(runtime: Any) -> bool:
    """Whether ``tobeout serve`` runs the worker loop itself (``in_serve``; ``"auto"``: on the embedded
    SQLite database, where one process does everything, except under ``TOBEOUT_ENV=test``)."""
    value = options_of(runtime)["in_serve"]
    if isinstance(value, bool):
        return value
    return bool(runtime.settings.is_sqlite and runtime.settings.env != "test")


def process_name(role: str) -> str:
    """This process's name in the outbox's claims (host, pid, role)."""
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{role}"


class LifecycleJob:
    """No-shows, completed visits and archiving (:func:`core.booking.lifecycle.sweep`), as the system."""

    name, order = "lifecycle", 50

    def __init__(self, runtime: Any) -> None:
        self.service = BookingService(runtime.bus, runtime.clock)
        self.limit = int(options_of(runtime)["lifecycle_limit"])

    async def run(self, now: datetime) -> int:
        """Make the moves due at ``now``."""
        return (await lifecycle.sweep(self.service, now, limit=self.limit)).total


class OutboxJob:
    """Sends the due rows of the guest outbox, ``batch_size`` claimed at a time."""

    name, order = "outbox", 90

    def __init__(self, runtime: Any) -> None:
        options = options_of(runtime)
        self.batch = max(1, int(options["batch_size"]))
        self.dispatcher = Dispatcher(runtime, DeliveryOptions.from_settings(options), worker=process_name("worker"))

    async def run(self, now: datetime) -> int:
        """Deliver until nothing is due (at most ``MAX_ROUNDS`` batches)."""
        sent = 0
        for _ in range(MAX_ROUNDS):
            claimed = await self.dispatcher.run_due(self.batch)
            sent += claimed
            if claimed < self.batch:
                break
        return sent


@hookimpl(trylast=True)
def tobeout_worker_jobs(runtime: Any) -> list[Any]:
    """The core's jobs: the reservation lifecycle and the guest outbox."""
    return [LifecycleJob(runtime), OutboxJob(runtime)]


class Worker:
    """The poll loop of one process: ``await worker.run_once()``, or ``run_forever(stop)``."""

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        if not runtime.plugins.is_registered(sys.modules[__name__]) and not runtime.plugins.has_plugin(PLUGIN):
            runtime.plugins.register(sys.modules[__name__], name=PLUGIN)
        self.poll = float(options_of(runtime)["poll_seconds"])
        self._jobs: list[Any] | None = None

    async def jobs(self) -> list[Any]:
        """The jobs by ``order``, collected once from ``tobeout_worker_jobs``; the outbox gets the
        other jobs' ``check`` and ``after_sent`` for their kinds."""
        if self._jobs is None:
            found: list[Any] = []
            for result in await call_hook(self.runtime.plugins, "tobeout_worker_jobs", runtime=self.runtime):
                found.extend(result if isinstance(result, list | tuple) else [result])
            checks: dict[str, Check] = {}
            after: dict[str, AfterSent] = {}
            for job in found:
                kind = getattr(job, "kind", None)
                if kind and getattr(job, "check", None):
                    checks[kind] = job.check
                if kind and getattr(job, "after_sent", None):
                    after[kind] = job.after_sent
            for job in found:
                dispatcher = getattr(job, "dispatcher", None)
                if isinstance(dispatcher, Dispatcher):
                    dispatcher.checks.update(checks)
                    dispatcher.after_sent.update(after)
            self._jobs = sorted(found, key=lambda j: getattr(j, "order", 50))
        return self._jobs

    async def run_once(self) -> dict[str, int]:
        """One poll: every job once, in order; a failing job is logged and the others still run."""
        done: dict[str, int] = {}
        for job in await self.jobs():
            try:
                done[job.name] = await job.run(self.runtime.clock())
            except Exception:
                log.exception("worker job %s failed", job.name)
                done[job.name] = 0
        return done

    async def run_forever(
        self, stop: asyncio.Event, on_poll: Callable[[dict[str, int]], Awaitable[None]] | None = None
    ) -> None:
        """Poll every ``poll_seconds`` until ``stop`` is set (the poll in progress finishes first)."""
        while not stop.is_set():
            done = await self.run_once()
            if any(done.values()):
                log.info("worker: %s", ", ".join(f"{name} {n}" for name, n in done.items() if n))
            if on_poll is not None:
                await on_poll(done)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.poll)
