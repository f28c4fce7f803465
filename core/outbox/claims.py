"""Claiming due outbox rows for a lease: senders taking turns in a batch, rows another process holds skipped
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional ``UPDATE`` everywhere), leases renewed while a
process works on them."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core.db import fetch_dicts
from core.models import OutboxMessage, OutboxStatus
from core.storage import storage

ST = OutboxStatus


def process_name(role: str) -> str:
    """A name for this process's claims in the outbox (host, pid, role)."""
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{role}"


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
