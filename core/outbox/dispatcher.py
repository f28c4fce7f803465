"""The outbox's dispatcher: claims due rows and delivers them, each sender's in order and the senders
concurrently, renewing the claim's lease while it works; or delivers at once a row its process just queued."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from core.integrations import reading_once
from core.models import OutboxMessage, OutboxStatus
from core.outbox.claims import claim_due, claim_one, renew_lease
from core.outbox.sending import RowSender

log = logging.getLogger(__name__)

ST = OutboxStatus


class Dispatcher(RowSender):
    """Sends claimed rows through the channel adapters; one per process and purpose (notifier, worker).

    ``checks`` and ``after_sent`` are per ``kind``: the reminders say whether a reminder is
    still worth sending and record that it went out.
    """

    async def run_due(self, limit: int) -> int:
        """Claim and deliver up to ``limit`` due rows; returns how many were claimed.

        Rows of different senders (a channel of a restaurant: its bot, its number, its mail
        server) go out concurrently; one sender's rows go one at a time, in order, no faster than
        the adapter's ``rate_per_second`` (its provider's limit, when it declares one; spaced within
        this process, and counted with every other process in :func:`core.pacing.take_turn`). So at
        most one message per sender is in flight, and that is all a killed process can repeat."""
        rows = await claim_due(self.now(), limit=limit, lease=self.options.lease_seconds, worker=self.worker)
        if not rows:
            return 0
        senders: dict[tuple[str, int], list[OutboxMessage]] = {}
        for row in rows:
            senders.setdefault((row.channel, row.restaurant_id), []).append(row)
        async with self.holding(str(rows[0].claimed_by)):
            await asyncio.gather(*(self._run_sender(queue) for queue in senders.values()))
        return len(rows)

    async def _run_sender(self, rows: list[OutboxMessage]) -> None:
        with reading_once():  # the channel's settings are read once for the sender's rows, not per message
            for row in rows:
                try:
                    await self.attempt(row)
                except Exception:  # one row's trouble (the database away) must not stop the sender's others
                    log.exception("sending outbox row %s failed", row.id)

    @contextlib.asynccontextmanager
    async def holding(self, token: str) -> AsyncIterator[None]:
        """Renew the lease of the rows claimed under ``token`` every quarter lease while the block runs."""
        lease = self.options.lease_seconds

        async def renew() -> None:
            while True:
                await asyncio.sleep(lease / 4)
                try:
                    await renew_lease(token, self.now(), lease)
                except Exception as exc:  # the database is away: the lease may run out, another process resends
                    log.warning("could not renew the outbox lease %s: %s", token, exc)

        task = asyncio.get_running_loop().create_task(renew(), name="tobeout-outbox-lease")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def deliver_now(self, message: OutboxMessage) -> None:
        """Deliver a row this process just queued, retrying in-process with backoff while the error is
        retryable. The row stays claimed while waiting, so no other process takes it then; if this
        process stops, the lease runs out and a worker carries on."""
        row = await claim_one(message.id, self.now(), lease=self.options.lease_seconds, worker=self.worker)
        if row is None:
            return
        async with self.holding(str(row.claimed_by)):
            while row is not None:
                delay = await self.attempt(row)
                if delay is None:
                    return
                await asyncio.sleep(delay)
                row = await OutboxMessage.filter(id=row.id, claimed_by=row.claimed_by, status=ST.CLAIMED).first()


async def release_retries(dispatcher: Dispatcher) -> None:
    """Hand rows this process kept claimed for an in-process retry back to any process (at shutdown)."""
    await OutboxMessage.filter(claimed_by__startswith=f"{dispatcher.worker[:40]}:", status=ST.CLAIMED).update(
        status=ST.PENDING, claimed_by=None, claimed_until=None
    )
