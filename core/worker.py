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
last two, ``trylast``. Settings: ``poll_seconds`` (5), ``batch_size`` (100), ``lease_seconds``
(20, renewed every quarter of it while the claimer works, so a dead worker's rows are free within
it), ``send_timeout_seconds`` (15),
``max_attempts`` (5), ``backoff_seconds`` (5, doubling), ``max_backoff_seconds`` (600),
``lifecycle_limit`` (200 moves of each kind per poll), ``max_failed_polls`` (12) and ``in_serve``
(``"auto"``: on SQLite outside tests; ``true``; ``false``).

**Healing.** Each poll starts with a ``SELECT 1``. When it fails, or when every job of the poll
failed, the database pool's connections are expired and Redis's connections dropped, so the next
poll opens fresh ones (what a PostgreSQL or Redis restart needs). A ``tobeout worker`` that could
not work for ``max_failed_polls`` polls in a row gives up (:class:`WorkerUnhealthy`; the command
exits with status 3) so that its process manager restarts it and someone notices; the loop inside
``tobeout serve`` only logs it and keeps trying. After every poll the worker writes its heartbeat
(a :class:`~core.models.WorkerHeartbeat` row, and a file's modification time when asked), which
``tobeout status`` shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field

from core import db
from core.booking import lifecycle
from core.booking.service import BookingService
from core.hookspecs import hookimpl
from core.jobs import Job
from core.models import WorkerHeartbeat
from core.outbox import AfterSent, Check, DeliveryOptions, Dispatcher, process_name
from core.plugins import call_hook
from core.runtime import Runtime

log = logging.getLogger(__name__)

PLUGIN = "core.worker"
MAX_ROUNDS = 50  # outbox batches per poll, so one poll cannot run for ever
#: A heartbeat row silent this long (a killed worker's) is removed when a new worker starts.
FORGET_SILENT_AFTER = timedelta(days=7)


class WorkerSettings(DeliveryOptions):
    """``[plugins."core.worker"]`` in plugins.toml (how it delivers: :class:`core.outbox.DeliveryOptions`)."""

    poll_seconds: float = Field(5.0, gt=0, le=3600)  # how often due work is looked for
    batch_size: int = Field(100, ge=1, le=1000)  # outbox messages claimed at a time, senders taking turns
    lease_seconds: float = Field(20.0, gt=0, le=3600)  # a claim's lease, renewed every quarter while working
    send_timeout_seconds: float = Field(15.0, gt=0, le=300)  # one send through a channel
    backoff_seconds: float = Field(5.0, gt=0)  # first wait between tries, doubling each time
    max_backoff_seconds: float = Field(600.0, gt=0)
    lifecycle_limit: int = Field(200, ge=1, le=100_000)  # no-show / completed / archived moves of each kind per poll
    max_failed_polls: int = Field(12, ge=1, le=100_000)  # polls in a row that could not work before giving up
    in_serve: bool | Literal["auto"] = "auto"  # whether `tobeout serve` runs the worker ("auto": on SQLite)


class WorkerUnhealthy(Exception):
    """The worker could not work for ``max_failed_polls`` polls in a row (its message says why, in one line)."""


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
    ``backoff_seconds``, ``max_backoff_seconds``, ``lifecycle_limit``, ``max_failed_polls``, ``in_serve``."""
    return WorkerSettings


@hookimpl(trylast=True)
def tobeout_worker_jobs(runtime: Runtime) -> list[Job]:
    """The core's jobs: the reservation lifecycle and the guest outbox."""
    return [LifecycleJob(runtime), OutboxJob(runtime)]


class Worker:
    """The poll loop of one process: ``await worker.run_once()``, or ``run_forever(stop)``."""

    def __init__(self, runtime: Runtime, *, heartbeat_file: Path | None = None) -> None:
        self.runtime = runtime
        if not runtime.plugins.is_registered(sys.modules[__name__]) and not runtime.plugins.has_plugin(PLUGIN):
            runtime.plugins.register(sys.modules[__name__], name=PLUGIN)
        options = options_of(runtime)
        self.poll = options.poll_seconds
        self.max_failed_polls = options.max_failed_polls
        self.name = process_name("worker")
        self.heartbeat_file = heartbeat_file
        self.started_at = datetime.now(UTC)
        self.polls = 0
        self.failed_polls = 0  # in a row
        self.last_error: str | None = None
        self._jobs: list[Job] | None = None

    async def jobs(self) -> list[Job]:
        """The jobs by ``order``, collected once from ``tobeout_worker_jobs``; the outbox gets the
        other jobs' ``check`` and ``after_sent`` for their kinds."""
        if self._jobs is None:
            found: list[Job] = []
            for result in await call_hook(self.runtime.plugins, "tobeout_worker_jobs", runtime=self.runtime):
                for job in result if isinstance(result, list | tuple) else [result]:
                    if isinstance(job, Job):
                        found.append(job)
                    else:
                        log.warning("ignoring a worker job without a name, an order and run(now): %r", job)
            checks: dict[str, Check] = {}
            after: dict[str, AfterSent] = {}
            for job in found:
                kind, check, sent = (getattr(job, name, None) for name in ("kind", "check", "after_sent"))
                if isinstance(kind, str) and kind and callable(check):
                    checks[kind] = check
                if isinstance(kind, str) and kind and callable(sent):
                    after[kind] = sent
            for job in found:
                dispatcher = getattr(job, "dispatcher", None)
                if isinstance(dispatcher, Dispatcher):
                    dispatcher.checks.update(checks)
                    dispatcher.after_sent.update(after)
            self._jobs = sorted(found, key=lambda j: j.order)
        return self._jobs

    async def run_once(self) -> dict[str, int]:
        """One poll: the database checked, then every job once, in order; a failing job is logged and the
        others still run. A poll that could not work (no database, or every job failed) resets the
        connections for the next one and counts towards ``max_failed_polls``."""
        done: dict[str, int] = {}
        try:
            await db.ping()
        except Exception as exc:
            await self._could_not_work(f"the database does not answer: {exc.__class__.__name__}: {exc}")
            return done
        failures: list[str] = []
        jobs = await self.jobs()
        for job in jobs:
            try:
                done[job.name] = await job.run(self.runtime.clock())
            except Exception as exc:
                log.exception("worker job %s failed", job.name)
                failures.append(f"{job.name}: {exc.__class__.__name__}: {exc}")
                done[job.name] = 0
        if jobs and len(failures) == len(jobs):
            await self._could_not_work("every job failed; " + "; ".join(failures))
        else:
            self.failed_polls, self.last_error = 0, None
            await self._beat()
        return done

    async def _could_not_work(self, reason: str) -> None:
        self.failed_polls += 1
        self.last_error = reason[:500]
        log.warning(
            "worker poll %d in a row could not work (%s); reconnecting to the database and Redis",
            self.failed_polls,
            self.last_error,
        )
        await db.reset_pool()
        await self.runtime.cache.reset()
        await self._beat()

    async def _beat(self) -> None:
        """Record this poll in the heartbeat row (and the file, after a poll that worked)."""
        self.polls += 1
        now = datetime.now(UTC)  # wall time, for operators: not the booking rules' clock
        if self.heartbeat_file is not None and self.failed_polls == 0:
            try:
                self.heartbeat_file.touch()
            except OSError as exc:
                log.warning("cannot touch the heartbeat file %s: %s", self.heartbeat_file, exc)
        state = {"polls": self.polls, "failed_polls": self.failed_polls, "last_error": self.last_error}
        try:
            if not await WorkerHeartbeat.filter(name=self.name).update(beat_at=now, **state):
                # A new worker: the rows of workers silent for a week (killed, never stopped cleanly) go, so
                # `tobeout status` and /metrics do not grow with every crash.
                await WorkerHeartbeat.filter(beat_at__lt=now - FORGET_SILENT_AFTER).delete()
                await WorkerHeartbeat.create(
                    name=self.name,
                    started_at=self.started_at,
                    beat_at=now,
                    polls=self.polls,
                    failed_polls=self.failed_polls,
                    last_error=self.last_error,
                )
        except Exception as exc:  # the database is away: the missing beat is the signal
            log.debug("could not write the heartbeat: %s", exc)

    async def forget(self) -> None:
        """Remove this worker's heartbeat row (a clean stop: ``tobeout status`` no longer lists it)."""
        try:
            await WorkerHeartbeat.filter(name=self.name).delete()
        except Exception as exc:
            log.debug("could not remove the heartbeat: %s", exc)

    async def run_forever(
        self,
        stop: asyncio.Event,
        on_poll: Callable[[dict[str, int]], Awaitable[None]] | None = None,
        *,
        give_up: bool = False,
    ) -> None:
        """Poll every ``poll_seconds`` until ``stop`` is set (the poll in progress finishes first).

        With ``give_up``, raises :class:`WorkerUnhealthy` after ``max_failed_polls`` polls in a row that
        could not work (``tobeout worker``); otherwise it only logs that and keeps trying.
        """
        while not stop.is_set():
            done = await self.run_once()
            if self.failed_polls >= self.max_failed_polls:
                message = f"the worker could not work for {self.failed_polls} polls in a row: {self.last_error}"
                if give_up:
                    raise WorkerUnhealthy(message)
                if self.failed_polls == self.max_failed_polls:
                    log.error("%s", message)
            if any(done.values()):
                log.info("worker: %s", ", ".join(f"{name} {n}" for name, n in done.items() if n))
            if on_poll is not None:
                await on_poll(done)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.poll)
