"""The durable guest outbox: queued once, claimed by one process at a time, a stopped sender's row taken over."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.conversation.types import Reply
from core.models import OutboxMessage, OutboxStatus, Restaurant
from core.outbox import claim_due, enqueue, pending_for_chat
from tests.clock import NOW

ST = OutboxStatus


async def _queue(restaurant_id: int, n: int, *, due=NOW) -> list[OutboxMessage]:
    rows = []
    for i in range(n):
        row = await enqueue(
            restaurant_id=restaurant_id,
            kind="notification",
            dedup_key=f"k{i}",
            channel="webchat",
            chat_id=f"session-{i % 3}",
            replies=[Reply(f"hello {i}")],
            due=due,
        )
        rows.append(row)
    return rows


async def test_a_key_is_queued_once(db):
    restaurant = await Restaurant.create(name="Outbox")
    [first] = await _queue(restaurant.id, 1)
    assert first is not None
    again = await enqueue(
        restaurant_id=restaurant.id,
        kind="notification",
        dedup_key="k0",
        channel="webchat",
        chat_id="x",
        replies=[Reply("again")],
        due=NOW,
    )
    assert again is None and await OutboxMessage.all().count() == 1


async def test_concurrent_claims_never_share_a_row(pg_db):
    restaurant = await Restaurant.create(name="Outbox")
    await _queue(restaurant.id, 30)
    batches = await asyncio.gather(*(claim_due(NOW, limit=7, lease=60, worker=f"w{i}") for i in range(6)))
    ids = [row.id for batch in batches for row in batch]
    assert len(ids) == len(set(ids)) == 30  # every row claimed, none twice
    assert await claim_due(NOW, limit=50, lease=60, worker="late") == []  # all are held for their lease


async def test_a_claim_lets_senders_take_turns_each_oldest_first(db):
    first, second = await Restaurant.create(name="Queued first"), await Restaurant.create(name="Queued second")
    for restaurant in (first, second):  # all of the first restaurant's rows are older than the second's
        for i in range(30):
            await enqueue(
                restaurant_id=restaurant.id,
                kind="notification",
                dedup_key=f"{restaurant.id}:{i}",
                channel="webchat",
                chat_id=f"chat-{i}",
                replies=[Reply(f"hello {i}")],
                due=NOW - timedelta(minutes=60 - i - (30 if restaurant is first else 0)),
            )
    claimed = await claim_due(NOW, limit=10, lease=60, worker="w")
    by_sender = {rid: [r.chat_id for r in claimed if r.restaurant_id == rid] for rid in (first.id, second.id)}
    assert by_sender == {rid: [f"chat-{i}" for i in range(5)] for rid in (first.id, second.id)}
    again = await claim_due(NOW, limit=60, lease=60, worker="w2")  # the rest, nothing twice
    assert len(again) == 50 and not {r.id for r in again} & {r.id for r in claimed}


async def test_a_row_left_sending_by_a_stopped_process_is_taken_over_after_its_lease(db):
    restaurant = await Restaurant.create(name="Outbox")
    rows = await _queue(restaurant.id, 2)
    [claimed, _] = await claim_due(NOW, limit=2, lease=30, worker="dead")
    await OutboxMessage.filter(id=claimed.id).update(status=ST.SENDING)  # the process died while sending
    assert [r.id for r in await claim_due(NOW + timedelta(seconds=29), limit=5, lease=30, worker="b")] == []
    taken = await claim_due(NOW + timedelta(seconds=31), limit=5, lease=30, worker="b")
    assert sorted(r.id for r in taken) == sorted(r.id for r in rows)
    flagged = {r.id: bool(r.payload.get("resent")) for r in taken}
    assert flagged == {claimed.id: True, rows[1].id: False}  # only the one in flight may reach the guest twice


async def test_a_future_row_waits_and_a_pull_channel_hands_its_sent_rows_over_once(db):
    restaurant = await Restaurant.create(name="Outbox")
    await _queue(restaurant.id, 1, due=NOW + timedelta(minutes=5))
    assert await claim_due(NOW, limit=5, lease=30, worker="w") == []
    await OutboxMessage.all().update(status=ST.SENT, sent_at=NOW)
    [row] = await pending_for_chat(restaurant.id, "webchat", "session-0", NOW)
    assert row.replies == [{"text": "hello 0"}]
    assert await pending_for_chat(restaurant.id, "webchat", "session-0", NOW) == []
    assert (await OutboxMessage.get(id=row.id)).status == ST.DELIVERED
