"""Sending one claimed outbox row: checked, paced (a turn of its sender, counted across processes, then
spaced in this process), marked ``sending``, handed to its channel, then marked ``sent`` (with what its
kind records) or, on a channel error, retried with backoff, blocked, or failed and tried on the next
channel that reaches the guest."""

from __future__ import annotations

import asyncio
import logging
import random
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import Field
from tortoise.exceptions import DBConnectionError, OperationalError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.conversation import followup
from core.db import reset_pool
from core.errors import ChannelError
from core.jsontypes import JSON, JSONObject
from core.logs import REQUEST_ID
from core.models import OutboxMessage, OutboxStatus
from core.outbox.queue import enqueue, record, replies_of
from core.outbox.shape import replies_for
from core.pacing import take_turn
from core.plugin_settings import PluginSettings
from core.reach import targets

if TYPE_CHECKING:
    from core.runtime import ChannelAdapter, Runtime

log = logging.getLogger(__name__)

ST = OutboxStatus
#: Tries to mark a sent row ``sent`` when the database connection fails (about 4 s in all).
MARK_TRIES = 5

#: ``check(message, now)`` -> None to send, or the reason not to any more (the row is then skipped).
Check = Callable[[OutboxMessage, datetime], Awaitable[str | None]]
#: ``after_sent(message)``: what a kind records once its message went out (a reminder's flag).
AfterSent = Callable[[OutboxMessage], Awaitable[None]]


class DeliveryOptions(PluginSettings):
    """How a process delivers: tries, backoff (doubling, with jitter), lease and send timeout, in seconds.

    The settings of a plugin that delivers (the worker, the notifications) extend this model,
    overriding the defaults they want, so the one checked ``plugins.toml`` table is what the
    :class:`~core.outbox.dispatcher.Dispatcher` reads.
    """

    max_attempts: int = Field(5, ge=1, le=50)  # tries per message while the channel's error is retryable
    backoff_seconds: float = Field(2.0, gt=0)  # first wait between tries, doubling each time
    max_backoff_seconds: float = Field(300.0, gt=0)
    lease_seconds: float = Field(20.0, gt=0, le=3600)  # a claim's lease, renewed every quarter while working
    send_timeout_seconds: float = Field(15.0, gt=0, le=300)  # one send through a channel


#: A process spaces one sender's sends this many times ``1 / rate_per_second`` apart: a little under the
#: provider's rate, so the jitter between here and the provider (the SDK, the network) cannot make two
#: messages arrive closer than it allows.
SPACING = 1.1


def rate_of(adapter: object) -> float | None:
    """The messages a second the adapter's provider allows one sender (``rate_per_second``), None when unsaid."""
    rate = getattr(adapter, "rate_per_second", None)
    return float(rate) if isinstance(rate, int | float) and rate > 0 else None


class RowSender(ABC):
    """Sends claimed rows, one at a time, through the channel adapters; :class:`~core.outbox.dispatcher.Dispatcher`
    claims them and runs the batches."""

    def __init__(
        self,
        runtime: Runtime,
        options: DeliveryOptions,
        *,
        worker: str = "process",
        checks: dict[str, Check] | None = None,
        after_sent: dict[str, AfterSent] | None = None,
    ) -> None:
        self.runtime = runtime
        self.options = options
        self.worker = worker
        self.checks = dict(checks or {})
        self.after_sent = dict(after_sent or {})
        self._next_send: dict[str, float] = {}  # per sender: when this process may next call its channel

    def now(self) -> datetime:
        """The runtime's clock."""
        clock: Callable[[], datetime] = self.runtime.clock
        return clock()

    async def adapters(self) -> dict[str, ChannelAdapter]:
        """The channel adapters by their ``name`` (``runtime.channels``, from ``tobeout_channels``)."""
        channels: dict[str, ChannelAdapter] = self.runtime.channels
        return channels

    async def _spaced(self, sender: str, rate: float) -> None:
        """Wait for this process's next slot to send to ``sender``, ``SPACING / rate`` seconds after the last
        one: measured between the sends themselves, just before the channel is called, so the time each
        message spends in the database first (its check, its ``sending`` mark) cannot bunch two together."""
        now = asyncio.get_running_loop().time()
        at = max(now, self._next_send.get(sender, 0.0))
        self._next_send[sender] = at + SPACING / rate  # taken before waiting: concurrent sends queue up behind
        if at > now:
            await asyncio.sleep(at - now)

    @abstractmethod
    async def deliver_now(self, message: OutboxMessage) -> None:
        """Deliver a row this process just queued (a message going by another channel, see :meth:`_fall_back`)."""

    async def attempt(self, row: OutboxMessage) -> float | None:
        """Send one claimed row once; returns the delay before the next try when it should be retried
        (the row is then kept claimed until then), else None (sent, delivered to a pull channel,
        blocked, skipped or failed for good)."""
        request_id = (row.payload or {}).get("requestId")
        REQUEST_ID.set(str(request_id) if request_id else f"outbox-{row.id}")
        now = self.now()
        meta = self._meta(row)
        text = "\n".join(reply.text for reply in replies_of(row))
        check = self.checks.get(row.kind)
        reason = await check(row, now) if check is not None else None
        adapter = (await self.adapters()).get(row.channel)
        if reason is None and adapter is None:
            reason = f"the {row.channel} channel is not installed"
        if reason is not None or adapter is None:
            reason = reason or "no channel"
            await self._finish(row, ST.SKIPPED, last_error=reason)
            await record(row.restaurant_id, f"{row.kind}_skipped", text, reason, meta)
            return None
        rate = None if getattr(adapter, "pull", False) else rate_of(adapter)
        sender = f"{row.channel}:{row.restaurant_id}"
        if rate:  # every process sending for this sender counts together
            await take_turn(self.runtime.cache, sender, rate)
        started = await OutboxMessage.filter(id=row.id, claimed_by=row.claimed_by, status=ST.CLAIMED).update(
            status=ST.SENDING, attempts=F("attempts") + 1
        )
        if not started:  # the lease ran out and another process took the row
            return None
        attempt = row.attempts + 1
        meta["attempt"] = attempt
        if getattr(adapter, "pull", False):  # the guest's device fetches it: waiting for them is its delivery
            await self._sent(row, now, text, "waiting for the guest to open the chat", meta)
            return None
        try:
            async with asyncio.timeout(self.options.send_timeout_seconds):
                replies = await replies_for(self.runtime, row, adapter)
                if rate:
                    await self._spaced(sender, rate)
                await adapter.send(row.restaurant_id, row.chat_id, replies)
        except Exception as exc:
            return await self._failed(row, exc, attempt, text, meta)
        await self._sent(row, self.now(), text, "sent", meta)
        return None

    async def _sent(self, row: OutboxMessage, now: datetime, text: str, response: str, meta: JSONObject) -> None:
        """Mark the row sent and let its kind record it (a reminder's flag) in one commit, so a process
        stopped here leaves either both or neither (then the row is sent again).

        The message has gone out, so a lost database connection here (a restarted server, a killed backend)
        is retried on fresh connections for a few seconds: left ``sending``, the row would be sent again
        when its lease ran out, a repeat that a living process can avoid."""
        after = self.after_sent.get(row.kind)
        for attempt in range(1, MARK_TRIES + 1):
            try:
                async with in_transaction():
                    await self._finish(row, ST.SENT, sent_at=now)
                    if after is not None:
                        await after(row)
                break
            except (OperationalError, DBConnectionError, ConnectionError, OSError) as exc:
                if attempt == MARK_TRIES:
                    raise
                log.warning("could not mark outbox row %s sent (%s); trying again on a fresh connection", row.id, exc)
                await reset_pool()
                await asyncio.sleep(0.25 * 2 ** (attempt - 1))
        await record(row.restaurant_id, row.kind, text, response, meta)
        await followup.record_sent(
            self.runtime,
            restaurant_id=row.restaurant_id,
            channel=row.channel,
            chat_id=row.chat_id,
            text=text,
            payload=row.payload or {},
            guest_id=row.guest_id,
            language=row.language,
        )

    async def _failed(
        self, row: OutboxMessage, exc: Exception, attempt: int, text: str, meta: JSONObject
    ) -> float | None:
        if isinstance(exc, TimeoutError):
            exc = ChannelError("The channel did not answer in time.", retryable=True, code="timeout")
        error = exc if isinstance(exc, ChannelError) else ChannelError(f"{exc.__class__.__name__}: {exc}")
        retryable = error.retryable or not isinstance(exc, ChannelError)
        if error.details.get("window"):
            await self._finish(row, ST.BLOCKED, last_error=error.message)
            await record(
                row.restaurant_id,
                f"{row.kind}_blocked",
                text,
                error.message,
                {**meta, "code": error.code, "retryable": False},
            )
            log.info("%s %s blocked by the channel's rules: %s", row.kind, row.id, error.message)
            await self._fall_back(row)
            return None
        final = not retryable or attempt >= self.options.max_attempts
        await record(
            row.restaurant_id,
            f"{row.kind}_failed",
            text,
            error.message,
            {**meta, "code": error.code, "retryable": retryable, "final": final},
        )
        if final:
            await self._finish(row, ST.FAILED, last_error=error.message)
            log.warning("gave up sending %s %s: %s", row.kind, row.id, error.message)
            await self._fall_back(row)
            return None
        delay = self._delay(attempt, error)
        now = self.now()
        await OutboxMessage.filter(id=row.id, claimed_by=row.claimed_by).update(
            status=ST.CLAIMED,
            last_error=error.message,
            next_attempt_at=now + timedelta(seconds=delay),
            claimed_until=now + timedelta(seconds=delay + self.options.lease_seconds),
        )
        return delay

    async def _fall_back(self, row: OutboxMessage) -> None:
        """The guest could not be reached on the row's channel (blocked by its rules, or given up):
        queue the same message on the next channel that reaches them (:mod:`core.reach`, the channels
        tried so far left out) and send it now. Once per channel: its key is the row's plus the channel."""
        if row.guest_id is None:
            return
        payload = row.payload or {}
        before = payload.get("tried")
        tried: list[JSON] = [*(before if isinstance(before, list) else []), row.channel]
        adapters = {name: a for name, a in (await self.adapters()).items() if name not in tried}
        target = (await targets(adapters, [(row.restaurant_id, row.guest_id)])).get((row.restaurant_id, row.guest_id))
        if target is None:
            return
        base = row.dedup_key.split("|via:", 1)[0]
        again = await enqueue(
            restaurant_id=row.restaurant_id,
            kind=row.kind,
            dedup_key=f"{base}|via:{target.channel}"[:255],
            channel=target.channel,
            chat_id=target.chat_id,
            replies=replies_of(row),
            due=self.now(),
            language=target.language,
            guest_id=row.guest_id,
            reservation_id=row.reservation_id,
            payload={**{k: v for k, v in payload.items() if k != "resent"}, "tried": tried},
        )
        if again is not None:
            log.info("%s %s goes by %s instead of %s", row.kind, row.id, target.channel, row.channel)
            await self.deliver_now(again)

    def _delay(self, attempt: int, error: ChannelError) -> float:
        delay = min(self.options.backoff_seconds * 2 ** (attempt - 1), self.options.max_backoff_seconds)
        asked = error.details.get("retryAfter")
        if isinstance(asked, int | float):
            delay = max(delay, min(float(asked), self.options.max_backoff_seconds))
        return float(delay) * random.uniform(1.0, 1.25)

    @staticmethod
    async def _finish(row: OutboxMessage, status: OutboxStatus, **values: Any) -> None:
        await OutboxMessage.filter(id=row.id, claimed_by=row.claimed_by).update(
            status=status, claimed_until=None, **values
        )

    @staticmethod
    def _meta(row: OutboxMessage) -> JSONObject:
        payload = row.payload or {}
        meta: JSONObject = {
            "outboxId": row.id,
            "kind": row.kind,
            "channel": row.channel,
            "chatId": row.chat_id,
            "guestId": row.guest_id,
            "reservationId": row.reservation_id,
        }
        meta.update({k: payload[k] for k in ("event", "eventId", "notice", "minutes") if k in payload})
        if payload.get("resent"):
            meta["resent"] = True  # a process stopped while sending it: the guest may get it twice
        return meta
