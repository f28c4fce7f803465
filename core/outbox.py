"""The durable guest outbox: queue a message for a guest, claim due ones, deliver them, record what happened.

Every message the service starts to a guest (a staff change's notification, a reminder) is
a row of :class:`~core.models.OutboxMessage` *before* anything is sent. Delivery:

1. **claim**: a process takes due rows for a short lease (``claimed_until``, ``lease_seconds``:
   20 s) with a claim token of its own, and renews the lease every quarter of it while it works
   on them (:meth:`Dispatcher.holding`), so rows of a process that died are free again within one
   lease, however long its batch would have taken. Senders take turns in a claim (each one's
   oldest row first, then each one's second...), so a batch holds rows of every sender with
   something due and they go out concurrently. On PostgreSQL the rows are read
   ``FOR UPDATE SKIP LOCKED``, so several workers and servers never wait on, or take, each other's
   rows; the claiming ``UPDATE`` is also conditional on the row still being claimable, which keeps
   SQLite (no row locks) exact.
2. **sending**: just before the channel is called the row becomes ``sending`` (one commit).
3. **sent**: right after the channel accepted it the row becomes ``sent`` (one commit).

A process killed between 2 and 3 leaves one row ``sending``; when its lease runs out another
process claims it again and sends it again. So a crash can **repeat** the message that was
in flight, never lose it: one repeated reminder or notice is a small annoyance and its
quick replies are safe to answer twice (confirming twice is still confirmed), while a lost
one is a guest who was never told their table was canceled. Rows a killed process had
claimed but not yet started are simply sent once by the next claimer. A process sends one
sender's rows (a channel of one restaurant) one at a time and different senders' concurrently,
so a killed process repeats at most one message per sender it was sending for. Every message
takes a turn of its sender first (:mod:`core.pacing`), counted in the shared cache, so all the
processes sending for one bot together stay within the adapter's ``rate_per_second``.

Which channel a guest is written on is chosen when a message is queued (:mod:`core.reach`):
their chat, else a channel that may write first to a phone or e-mail address they gave, by
what the channels declare they can do. The row is then shaped for its channel when sent: quick
replies only where the channel has buttons, the booking's ``.ics`` only where it carries a calendar file.

Channels come from the ``tobeout_channels`` hook, by the row's ``channel`` (data, never a
name written here). An adapter with ``pull = True`` (the web chat) is not called: its
guests fetch their ``sent`` rows themselves (:func:`pending_for_chat`), which marks them
``delivered``. A :class:`~core.errors.ChannelError` decides what comes next: ``retryable``
(with ``details["retryAfter"]``) waits and tries again up to ``max_attempts``;
``details["window"]`` (a channel's rule forbids the message now, e.g. WhatsApp's 24-hour
window) blocks it without retrying; anything else fails it at once.

Every outcome is a row in ``ai_activities``: ``<kind>`` when sent (``notification``,
``reminder``), ``<kind>_failed`` per failed attempt (``metadata.final`` on the last),
``<kind>_blocked``, ``<kind>_skipped``. A sent message is also written into its chat's conversation
(transcript and the history the LLM reads), with the answers its payload waits for
(:mod:`core.conversation.followup`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import Field
from tortoise.exceptions import DBConnectionError, IntegrityError, OperationalError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from core.booking.calendar import ics_filename, reservation_ics
from core.conversation import followup
from core.conversation.types import Attachment, Choice, Reply
from core.db import fetch_dicts, reset_pool
from core.errors import ChannelError
from core.integrations import reading_once
from core.jsontypes import JSON, JSONObject, text_at
from core.logs import REQUEST_ID
from core.models import OPEN_STATUSES, AiActivity, OutboxMessage, OutboxStatus, Reservation, Restaurant
from core.pacing import take_turn
from core.plugin_settings import PluginSettings
from core.reach import BUTTONS, CALENDAR, capabilities, targets
from core.storage import storage

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
    :class:`Dispatcher` reads.
    """

    max_attempts: int = Field(5, ge=1, le=50)  # tries per message while the channel's error is retryable
    backoff_seconds: float = Field(2.0, gt=0)  # first wait between tries, doubling each time
    max_backoff_seconds: float = Field(300.0, gt=0)
    lease_seconds: float = Field(20.0, gt=0, le=3600)  # a claim's lease, renewed every quarter while working
    send_timeout_seconds: float = Field(15.0, gt=0, le=300)  # one send through a channel


def process_name(role: str) -> str:
    """A name for this process's claims in the outbox (host, pid, role)."""
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{role}"


def replies_json(replies: Sequence[Reply]) -> list[JSON]:
    """Replies as stored in a row (the web chat's JSON shape)."""
    return [reply.to_dict() for reply in replies]


def replies_of(message: OutboxMessage) -> list[Reply]:
    """A row's replies as :class:`Reply` objects, with its ``payload`` handed to the channel."""
    out = []
    for item in message.replies or []:
        if not isinstance(item, dict):
            continue
        offered = item.get("choices")
        choices = tuple(
            Choice(str(c.get("label")), str(c.get("value")))
            for c in (offered if isinstance(offered, list) else [])
            if isinstance(c, dict)
        )
        out.append(Reply(text_at(item, "text") or "", choices))
    return out


async def enqueue(
    *,
    restaurant_id: int,
    kind: str,
    dedup_key: str,
    channel: str,
    chat_id: str,
    replies: Sequence[Reply],
    due: datetime,
    language: str = "en",
    guest_id: int | None = None,
    reservation_id: int | None = None,
    payload: JSONObject | None = None,
) -> OutboxMessage | None:
    """Store one message to send from ``due`` on; None when ``dedup_key`` was queued before (by any process)."""
    try:
        return await OutboxMessage.create(
            restaurant_id=restaurant_id,
            kind=kind,
            dedup_key=dedup_key,
            channel=channel,
            chat_id=chat_id,
            replies=replies_json(replies),
            language=language,
            guest_id=guest_id,
            reservation_id=reservation_id,
            payload=_with_request_id(payload),
            next_attempt_at=due,
        )
    except IntegrityError:
        return None


def _with_request_id(payload: JSONObject | None) -> JSONObject:
    """``payload`` with the id of the request that queued it (its sending logs carry the same id)."""
    request_id = REQUEST_ID.get()
    return {**(payload or {}), "requestId": request_id} if request_id else dict(payload or {})


async def enqueue_many(rows: Sequence[OutboxMessage]) -> None:
    """Store unsaved rows in one INSERT; rows whose ``dedup_key`` exists already are left out."""
    if rows:
        await OutboxMessage.bulk_create(list(rows), ignore_conflicts=True)


def _claimable(now: datetime) -> Q:
    return Q(status=ST.PENDING, next_attempt_at__lte=now) | Q(
        status__in=[ST.CLAIMED, ST.SENDING], claimed_until__lt=now
    )


def new_token(worker: str) -> str:
    """A claim token: the process's name plus a random part, unique per claim."""
    return f"{worker[:40]}:{uuid.uuid4().hex[:16]}"


#: The due rows in the order they are claimed: each sender's (a channel of a restaurant) oldest first, but
#: taking turns between senders (every sender's first row, then every sender's second...), so a batch is
#: spread over all the senders with something due, which then send concurrently, rather than filled by the
#: one whose rows were queued first. Turns are dealt among the oldest ``$6`` due rows (the index on status
#: and due time finds them), so a claim costs the same however long the backlog. ``{lock}`` is the dialect's
#: row locking: on PostgreSQL a row another process is claiming is skipped and the next in turn taken, and
#: the outer condition is checked again on a row that changed since the statement began.
_DUE_IN_TURNS = """
SELECT o.id, o.status FROM guest_outbox o
JOIN (
    SELECT id, next_attempt_at,
           row_number() OVER (PARTITION BY channel, restaurant_id ORDER BY next_attempt_at, id) AS turn
    FROM (
        SELECT id, channel, restaurant_id, next_attempt_at FROM guest_outbox
        WHERE (status = $1 AND next_attempt_at <= $3) OR (status IN ($2, $4) AND claimed_until < $3)
        ORDER BY next_attempt_at, id
        LIMIT $6
    ) oldest
) ranked ON ranked.id = o.id
WHERE (o.status = $1 AND o.next_attempt_at <= $3) OR (o.status IN ($2, $4) AND o.claimed_until < $3)
ORDER BY ranked.turn, ranked.next_attempt_at, ranked.id
LIMIT $5
{lock}
"""
#: How many of the oldest due rows a claim deals its turns from.
TURN_WINDOW = 10_000


async def _due_in_turns(now: datetime, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` claimable rows' ids and statuses, senders taking turns (:data:`_DUE_IN_TURNS`); on
    PostgreSQL locked ``FOR NO KEY UPDATE SKIP LOCKED`` (call inside a transaction)."""
    sql = _DUE_IN_TURNS.format(lock=storage().sql.lock_skipping("o"))
    args = [ST.PENDING.value, ST.CLAIMED.value, now, ST.SENDING.value, limit, max(limit, TURN_WINDOW)]
    return await fetch_dicts(sql, args)


async def claim_due(now: datetime, *, limit: int, lease: float, worker: str) -> list[OutboxMessage]:
    """Claim up to ``limit`` due rows for ``lease`` seconds; returns them, claimed, oldest first.

    Senders take turns in a claim (:data:`_DUE_IN_TURNS`): with 1,000 rows due for ten restaurants'
    bots, a claim of 100 holds ten of each, not 100 of the first bot. Rows another process holds are
    skipped, not waited for. A row found ``sending`` with its lease run out was being sent by a process
    that stopped: it comes back with ``payload["resent"] = True`` in memory (it may reach the guest twice).
    """
    token = new_token(worker)
    async with in_transaction():
        rows = await _due_in_turns(now, limit)
        if not rows:
            return []
        uncertain = {row["id"] for row in rows if row["status"] == ST.SENDING.value}
        await OutboxMessage.filter(_claimable(now), id__in=[row["id"] for row in rows]).update(
            status=ST.CLAIMED, claimed_by=token, claimed_until=now + timedelta(seconds=lease)
        )
    claimed = list(await OutboxMessage.filter(claimed_by=token, status=ST.CLAIMED).order_by("next_attempt_at", "id"))
    for row in claimed:
        if row.id in uncertain:
            row.payload = {**(row.payload or {}), "resent": True}
    return claimed


async def claim_one(message_id: int, now: datetime, *, lease: float, worker: str) -> OutboxMessage | None:
    """Claim one row by id if it is claimable now (the process that queued it sends it at once)."""
    token = new_token(worker)
    taken = await OutboxMessage.filter(_claimable(now), id=message_id).update(
        status=ST.CLAIMED, claimed_by=token, claimed_until=now + timedelta(seconds=lease)
    )
    return await OutboxMessage.filter(id=message_id, claimed_by=token).first() if taken else None


async def renew_lease(token: str, now: datetime, lease: float) -> int:
    """Extend the rows claimed under ``token`` (claimed or being sent) to ``now + lease``; how many.

    A longer hold (a retry waiting for its backoff) is never shortened.
    """
    until = now + timedelta(seconds=lease)
    return await OutboxMessage.filter(
        claimed_by=token, status__in=[ST.CLAIMED, ST.SENDING], claimed_until__lt=until
    ).update(claimed_until=until)


async def pending_for_chat(
    restaurant_id: int, channel: str, chat_id: str, now: datetime, *, after: int | None = None
) -> list[OutboxMessage]:
    """The ``sent`` rows of one chat of a pull channel (oldest first), marked ``delivered`` as they are read.

    With ``after`` (the last row id the device has shown) rows it was already handed but may not
    have received (a lost response) come again: every row after that id, delivered or not.
    """
    query = OutboxMessage.filter(restaurant_id=restaurant_id, channel=channel, chat_id=chat_id)
    if after is None:
        query = query.filter(status=ST.SENT)
    else:
        query = query.filter(Q(status=ST.SENT) | Q(status=ST.DELIVERED, id__gt=after))
    rows = list(await query.order_by("id").limit(50))
    if rows:
        await OutboxMessage.filter(id__in=[r.id for r in rows], status=ST.SENT).update(
            status=ST.DELIVERED, delivered_at=now
        )
    return rows


async def calendar_files(
    runtime: Runtime, restaurant_id: int, reservation_id: int, language: str, payload: JSONObject
) -> tuple[Attachment, ...]:
    """The booking's ``.ics`` as it is now (``()`` when it no longer exists)."""
    reservation = await Reservation.filter(restaurant_id=restaurant_id, id=reservation_id).first()
    restaurant = await Restaurant.filter(id=restaurant_id).first()
    if reservation is None or restaurant is None:
        return ()
    settings = runtime.settings
    data = reservation_ics(
        reservation,
        restaurant,
        now=runtime.clock(),
        base_url=settings.public_base_url,
        language=language,
        manage_url=text_at(payload, "link"),
    )
    return (Attachment(ics_filename(reservation), "text/calendar; method=PUBLISH", data),)


async def record(restaurant_id: int, type_: str, text: str, response: str, metadata: JSONObject) -> None:
    """One ``ai_activities`` row about a delivery (a failure to record is logged, never raised)."""
    try:
        await AiActivity.create(
            restaurant_id=restaurant_id, type=type_, message=text, response=response, metadata=metadata
        )
    except Exception:
        log.exception("could not record a %s activity", type_)


#: A process spaces one sender's sends this many times ``1 / rate_per_second`` apart: a little under the
#: provider's rate, so the jitter between here and the provider (the SDK, the network) cannot make two
#: messages arrive closer than it allows.
SPACING = 1.1


def rate_of(adapter: object) -> float | None:
    """The messages a second the adapter's provider allows one sender (``rate_per_second``), None when unsaid."""
    rate = getattr(adapter, "rate_per_second", None)
    return float(rate) if isinstance(rate, int | float) and rate > 0 else None


class Dispatcher:
    """Sends claimed rows through the channel adapters; one per process and purpose (notifier, worker).

    ``checks`` and ``after_sent`` are per ``kind``: the reminders say whether a reminder is
    still worth sending and record that it went out.
    """

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

    async def _spaced(self, sender: str, rate: float) -> None:
        """Wait for this process's next slot to send to ``sender``, ``SPACING / rate`` seconds after the last
        one: measured between the sends themselves, just before the channel is called, so the time each
        message spends in the database first (its check, its ``sending`` mark) cannot bunch two together."""
        now = asyncio.get_running_loop().time()
        at = max(now, self._next_send.get(sender, 0.0))
        self._next_send[sender] = at + SPACING / rate  # taken before waiting: concurrent sends queue up behind
        if at > now:
            await asyncio.sleep(at - now)

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
                replies = await self._replies(row, adapter)
                if rate:
                    await self._spaced(sender, rate)
                await adapter.send(row.restaurant_id, row.chat_id, replies)
        except Exception as exc:
            return await self._failed(row, exc, attempt, text, meta)
        await self._sent(row, self.now(), text, "sent", meta)
        return None

    async def _replies(self, row: OutboxMessage, adapter: object) -> list[Reply]:
        """The row's replies as this channel can carry them: choices only where it has buttons; the
        booking's ``.ics`` attached where it carries a calendar file (``payload["calendar"]``)."""
        replies = replies_of(row)
        payload = row.payload or {}
        can = capabilities(adapter)
        if not replies:
            return replies
        first = replies[0]
        template = payload.get("template")
        files: tuple[Attachment, ...] = ()
        if payload.get("calendar") and CALENDAR in can and row.reservation_id is not None:
            files = await calendar_files(self.runtime, row.restaurant_id, row.reservation_id, row.language, payload)
        replies[0] = Reply(
            first.text,
            first.choices,
            template=dict(template) if isinstance(template, dict) and template else None,  # for a channel that
            # may write first only with one
            subject=text_at(payload, "subject"),
            link=text_at(payload, "link"),
            attachments=files,
        )
        if BUTTONS not in can:
            replies = [replace(reply, choices=()) for reply in replies]
        return replies

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


async def release_retries(dispatcher: Dispatcher) -> None:
    """Hand rows this process kept claimed for an in-process retry back to any process (at shutdown)."""
    await OutboxMessage.filter(claimed_by__startswith=f"{dispatcher.worker[:40]}:", status=ST.CLAIMED).update(
        status=ST.PENDING, claimed_by=None, claimed_until=None
    )


__all__ = [
    "OPEN_STATUSES",
    "DeliveryOptions",
    "Dispatcher",
    "claim_due",
    "claim_one",
    "enqueue",
    "enqueue_many",
    "pending_for_chat",
    "process_name",
    "record",
    "release_retries",
    "renew_lease",
    "replies_json",
    "replies_of",
]
