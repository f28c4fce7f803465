"""Telling guests on their channel when staff (or the restaurant) change their reservation.

For each reservation event that someone other than the guest caused (see :func:`kind_of`),
the notifier finds the channel the guest last talked to the restaurant on (their most
recent conversation, else any channel identity), writes the message in the guest's
language and stores it in the durable guest outbox (:mod:`core.outbox`, key
``event:<event id>``, so an event is told once) *before* sending it through that channel's
adapter (``tobeout_channels``, by the channel name stored with the guest's identity). All
of it runs in the background: the event handler only starts a task, so the staff action is
never slowed down or undone.

A failed send is retried with exponential backoff (``backoff_seconds`` doubling up to
``max_backoff_seconds``, at most ``max_attempts`` tries) while the adapter says the error
is retryable; if this process stops meanwhile, the row's lease runs out and a worker
(``tobeout worker``, or the one inside ``tobeout serve`` on the embedded database) carries
on. Every attempt is recorded in ``ai_activities``: ``notification`` when it was
delivered, ``notification_failed`` for each failure (``metadata.final`` on the last).
Notifications of one guest are sent in the order of the events.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import date, time
from typing import TYPE_CHECKING, Any

from core.background import BackgroundTasks
from core.conversation.types import Reply
from core.db import fetch_dicts
from core.events import (
    RESERVATION_CANCELED,
    RESERVATION_CREATED,
    RESERVATION_STATUS_CHANGED,
    RESERVATION_UPDATED,
    Actor,
    DomainEvent,
)
from core.models import Restaurant
from core.outbox import Dispatcher, enqueue, process_name, release_retries
from plugins.notifications import texts
from plugins.notifications.plugin import PLUGIN, NotificationSettings

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)

NOTIFICATION = "notification"
MOVES = ("date", "time", "guests")


def kind_of(event: DomainEvent) -> str | None:
    """What to tell the guest about ``event`` (created, moved, confirmed, canceled), or None.

    Only what the guest did not do themselves is told: the guest already got an answer in
    the chat for what they did there. Who acted is the event's ``actor``; the worker's
    moves (no-show, completed, archived) are not worth a message either. A change of
    table, duration or comments only is not worth a message.
    """
    data = event.data or {}
    actor = data.get("actor") or event.actor
    if actor != Actor.STAFF or not data.get("guestId"):
        return None
    if event.type == RESERVATION_CREATED:
        return texts.CREATED
    if event.type == RESERVATION_CANCELED:
        return texts.CANCELED
    if event.type == RESERVATION_STATUS_CHANGED and data.get("status") == "confirmed":
        return texts.CONFIRMED
    if event.type == RESERVATION_UPDATED and any(key in (data.get("changes") or {}) for key in MOVES):
        return texts.MOVED
    return None


# The guest's latest conversation on one of the channels, else their latest identity there (with their language).
_TARGET = """
SELECT channel, chat_id, language FROM (
  SELECT c.channel, c.external_chat_id AS chat_id, c.language, 0 AS pref, c.last_activity AS at, c.id
  FROM "conversations" c WHERE c.restaurant_id = $1 AND c.guest_id = $2 AND c.channel IN ({channels})
  UNION ALL
  SELECT i.channel, i.external_id, coalesce((SELECT nullif(g.language, '') FROM "guests" g
                                             WHERE g.restaurant_id = $1 AND g.id = $2), 'en'), 1, NULL, i.id
  FROM "guest_identities" i WHERE i.restaurant_id = $1 AND i.guest_id = $2 AND i.channel IN ({channels})
) t ORDER BY pref, at DESC, id DESC LIMIT 1
"""


async def guest_target(dispatcher: Dispatcher, restaurant_id: int, guest_id: int) -> tuple[str, str, str] | None:
    """The channel name, chat id and language to reach the guest: their latest conversation on a channel
    this process has an adapter for, else their latest channel identity; None when there is none. One query."""
    adapters = await dispatcher.adapters()
    if not adapters:
        return None
    names = sorted(adapters)
    channels = ", ".join(f"${n}" for n in range(3, 3 + len(names)))
    rows = await fetch_dicts(_TARGET.format(channels=channels), [restaurant_id, guest_id, *names])
    if not rows:
        return None
    return rows[0]["channel"], rows[0]["chat_id"], rows[0]["language"]


class Notifier:
    """One per process (``runtime.stash[NOTIFIER]``); ``drain()`` awaits the work in flight."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        options = runtime.options(PLUGIN, NotificationSettings)
        self.dispatcher = Dispatcher(runtime, options, worker=process_name("notify"))
        self._tasks = BackgroundTasks()
        self._last: dict[tuple[int, int], asyncio.Task[Any]] = {}  # per guest, to keep their messages in order

    # ------------------------------------------------------------------ background work

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        return self._tasks.spawn(coro, name)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until the notifications started so far are sent or given up."""
        await self._tasks.drain(timeout)

    async def close(self, grace: float = 10.0) -> None:
        """Give pending notifications ``grace`` seconds, then cancel the rest (a worker finishes them)."""
        await self._tasks.close(grace)
        try:
            await release_retries(self.dispatcher)
        except Exception:
            log.exception("could not hand the notifications waiting for a retry back to the workers")

    async def adapters(self) -> dict[str, Any]:
        """The channel adapters by name, collected once from ``tobeout_channels``."""
        return await self.dispatcher.adapters()

    # ------------------------------------------------------------------ events

    def on_event(self, event: DomainEvent) -> None:
        """Start notifying the guest about ``event`` when they did not cause it; returns at once."""
        kind = kind_of(event)
        if kind is None:
            return
        key = (event.restaurant_id, int(event.data["guestId"]))
        previous = self._last.get(key)
        task = self._spawn(self._notify(event, kind, previous), name=f"notify-{event.type}-{event.id}")
        self._last[key] = task
        task.add_done_callback(lambda t: self._last.pop(key, None) if self._last.get(key) is t else None)

    async def _notify(self, event: DomainEvent, kind: str, previous: asyncio.Task[Any] | None) -> None:
        if previous is not None:  # the guest's earlier notification first (its failure does not matter here)
            await asyncio.wait({previous})
        try:
            await self._deliver(event, kind)
        except Exception:
            log.exception("notification of %s %s failed", event.type, event.id)

    async def _deliver(self, event: DomainEvent, kind: str) -> None:
        rid, data = event.restaurant_id, event.data
        guest_id = int(data["guestId"])
        target = await guest_target(self.dispatcher, rid, guest_id)
        if target is None:
            return  # the guest never wrote to the restaurant on a channel: staff call them instead
        channel, chat_id, language = target
        restaurant = await Restaurant.filter(id=rid).only("id", "name").first()
        name = restaurant.name if restaurant is not None else ""
        text = texts.message(
            language,
            kind,
            restaurant=name,
            reservation_id=int(data["reservationId"]),
            day=date.fromisoformat(str(data["date"])),
            at=time.fromisoformat(str(data["time"])),
            guests=int(data["guests"]),
        )
        row = await enqueue(
            restaurant_id=rid,
            kind=NOTIFICATION,
            dedup_key=f"event:{event.id}",
            channel=channel,
            chat_id=chat_id,
            replies=[Reply(text)],
            due=self.dispatcher.now(),
            language=language,
            guest_id=guest_id,
            reservation_id=int(data["reservationId"]),
            payload={"event": event.type, "eventId": event.id, "notice": kind},
        )
        if row is not None:
            await self.dispatcher.deliver_now(row)
