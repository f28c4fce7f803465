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
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import Field

from core.booking import lifecycle
from core.booking.service import BookingService
from core.hookspecs import hookimpl
from core.outbox import AfterSent, Check, DeliveryOptions, Dispatcher, process_name
from core.plugins import call_hook
from core.runtime import Runtime

log = logging.getLogger(__name__)

PLUGIN = "core.worker"
MAX_ROUNDS = 50  # outbox batches per poll, so one poll cannot run for ever


class WorkerSettings(DeliveryOptions):
    """``[plugins."core.worker"]`` in plugins.toml (how it delivers: :class:`core.outbox.DeliveryOptions`)."""

    poll_seconds: float = Field(5.0, gt=0, le=3600)  # how often due work is looked for
    batch_size: int = Field(20, ge=1, le=1000)  # outbox messages claimed at a time
    send_timeout_seconds: float = Field(15.0, gt=0, le=300)  # one send through a channel
    backoff_seconds: float = Field(5.0, gt=0)  # first wait between tries, doubling each time
    max_backoff_seconds: float = Field(600.0, gt=0)
    lifecycle_limit: int = Field(200, ge=1, le=100_000)  # no-show / completed / archived moves of each kind per poll
    in_serve: bool | Literal["auto"] = "auto"  # whether `tobeout serve` runs the worker ("auto": on SQLite)


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


def options_of(runtime: Runtime) -> WorkerSettings:
    """The worker's checked settings (``plugins.toml``'s ``[plugins."core.worker"]``, else the defaults)."""
    return runtime.options(PLUGIN, WorkerSettings)


def runs_in_serve(runtime: Runtime) -> bool:
    """Whether ``tobeout serve`` runs the worker loop itself (``in_serve``; ``"auto"``: on the embedded
    SQLite database, where one process does everything, except under ``TOBEOUT_ENV=test``)."""
    value = options_of(runtime).in_serve
    if isinstance(value, bool):
        return value
    return bool(runtime.settings.is_sqlite and runtime.settings.env != "test")


class LifecycleJob:
    """No-shows, completed visits and archiving (:func:`core.booking.lifecycle.sweep`), as the system."""

    name, order = "lifecycle", 50

    def __init__(self, runtime: Runtime) -> None:
        self.service = BookingService(runtime.bus, runtime.clock)
        self.limit = options_of(runtime).lifecycle_limit

    async def run(self, now: datetime) -> int:
        """Make the moves due at ``now``."""
        return (await lifecycle.sweep(self.service, now, limit=self.limit)).total


class OutboxJob:
    """Sends the due rows of the guest outbox, ``batch_size`` claimed at a time."""

    name, order = "outbox", 90

    def __init__(self, runtime: Runtime) -> None:
        options = options_of(runtime)
        self.batch = options.batch_size
        self.dispatcher = Dispatcher(runtime, options, worker=process_name("worker"))

    async def run(self, now: datetime) -> int:
        """Deliver until nothing is due (at most ``MAX_ROUNDS`` batches)."""
        sent = 0
        for _ in range(MAX_ROUNDS):
            claimed = await self.dispatcher.run_due(self.batch)
            sent += claimed
            if claimed < self.batch:
                break
        return sent


@hookimpl
def tobeout_plugin_settings() -> type[WorkerSettings]:
    """``poll_seconds``, ``batch_size``, ``lease_seconds``, ``send_timeout_seconds``, ``max_attempts``,
    ``backoff_seconds``, ``max_backoff_seconds``, ``lifecycle_limit``, ``in_serve``."""
    return WorkerSettings


@hookimpl(trylast=True)
def tobeout_worker_jobs(runtime: Runtime) -> list[Any]:
    """The core's jobs: the reservation lifecycle and the guest outbox."""
    return [LifecycleJob(runtime), OutboxJob(runtime)]


class Worker:
    """The poll loop of one process: ``await worker.run_once()``, or ``run_forever(stop)``."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        if not runtime.plugins.is_registered(sys.modules[__name__]) and not runtime.plugins.has_plugin(PLUGIN):
            runtime.plugins.register(sys.modules[__name__], name=PLUGIN)
        self.poll = options_of(runtime).poll_seconds
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
