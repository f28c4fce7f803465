"""Queueing guest messages in the outbox and reading them back: a row per message, its replies as JSON,
the rows a pull channel's guests fetch, and the ``ai_activities`` row of every delivery outcome."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core.conversation.types import Choice, Reply
from core.jsontypes import JSON, JSONObject, text_at
from core.logs import REQUEST_ID
from core.models import AiActivity, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

ST = OutboxStatus


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


async def record(restaurant_id: int, type_: str, text: str, response: str, metadata: JSONObject) -> None:
    """One ``ai_activities`` row about a delivery (a failure to record is logged, never raised)."""
    try:
        await AiActivity.create(
            restaurant_id=restaurant_id, type=type_, message=text, response=response, metadata=metadata
        )
    except Exception:
        log.exception("could not record a %s activity", type_)
