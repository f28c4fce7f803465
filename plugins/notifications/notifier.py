"""Confirming every booking to its guest, and telling them when staff change it.

For each new booking (but walk-ins and those the guest made in a chat) and each change someone
other than the guest made (see :func:`kind_of`), the notifier finds where to reach the guest
(:mod:`core.reach`: the chat they last talked to the restaurant on, else SMS to the phone they
gave, else e-mail), writes the message in the guest's
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
from collections.abc import Collection, Coroutine
from typing import TYPE_CHECKING, Any

from core.background import BackgroundTasks
from core.booking.manage_link import manage_url
from core.booking.payloads import RESERVATION_EVENTS, ReservationPayload
from core.booking.sources import is_walk_in
from core.conversation.types import Reply
from core.events import (
    RESERVATION_CANCELED,
    RESERVATION_CREATED,
    RESERVATION_STATUS_CHANGED,
    RESERVATION_UPDATED,
    Actor,
    DomainEvent,
)
from core.models import Reservation, ReservationStatus, Restaurant
from core.outbox import Dispatcher, enqueue, process_name, release_retries
from core.reach import targets
from plugins.notifications import texts
from plugins.notifications.settings import PLUGIN, NotificationSettings

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)

NOTIFICATION = "notification"
MOVES = ("date", "time", "guests")


def kind_of(event: DomainEvent, chats: Collection[str] = ()) -> str | None:
    """What to tell the guest about ``event`` (created, moved, confirmed, canceled), or None.

    Every new booking is confirmed, whatever its source (staff, the API, the widget's form),
    except a walk-in (:func:`core.booking.sources.is_walk_in`, or seated at once) and a booking the guest made in a chat
    (the guest's actor and a ``source`` among ``chats``, the channels' names, or no ``chats`` given):
    the chat already answered. Changes are told when the guest did not make them: who acted is the
    event's ``actor``; the worker's moves (no-show, completed, archived) are not worth a message
    either, nor a change of table, duration or comments only.
    """
    if event.type not in RESERVATION_EVENTS:
        return None
    booking = ReservationPayload.of(event)
    if booking.guest_id is None or is_walk_in(booking.source):
        return None
    if event.type == RESERVATION_CREATED:
        if booking.status == ReservationStatus.SEATED or booking.actor == Actor.SYSTEM:
            return None
        if booking.actor == Actor.GUEST and (not chats or booking.source in chats):
            return None
        return texts.CREATED
    if booking.actor != Actor.STAFF:
        return None
    if event.type == RESERVATION_CANCELED:
        return texts.CANCELED
    if event.type == RESERVATION_STATUS_CHANGED and booking.status == ReservationStatus.CONFIRMED:
        return texts.CONFIRMED
    if event.type == RESERVATION_UPDATED and any(key in booking.changes for key in MOVES):
        return texts.MOVED
    return None


async def guest_target(dispatcher: Dispatcher, restaurant_id: int, guest_id: int) -> tuple[str, str, str] | None:
    """The channel name, chat id (or phone, or address) and language to reach the guest
    (:func:`core.reach.targets`: their chat, else SMS or e-mail as the channels allow); None when none does."""
    found = (await targets(await dispatcher.adapters(), [(restaurant_id, guest_id)])).get((restaurant_id, guest_id))
    return (found.channel, found.chat_id, found.language) if found is not None else None


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
        kind = kind_of(event, frozenset(self.runtime.channels))
        if kind is None:
            return
        guest_id = ReservationPayload.of(event).guest_id
        if guest_id is None:  # kind_of answers None for a booking without a guest
            return
        key = (event.restaurant_id, guest_id)
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
        rid, booking = event.restaurant_id, ReservationPayload.of(event)
        guest_id = booking.guest_id
        if guest_id is None:
            return
        target = await guest_target(self.dispatcher, rid, guest_id)
        if target is None:
            return  # the guest never wrote to the restaurant on a channel: staff call them instead
        channel, chat_id, language = target
        restaurant = await Restaurant.filter(id=rid).only("id", "name").first()
        name = restaurant.name if restaurant is not None else ""
        reservation = await Reservation.filter(restaurant_id=rid, id=booking.reservation_id).first()
        link = None
        if reservation is not None and kind != texts.CANCELED:
            settings = self.runtime.settings
            link = manage_url(settings.public_base_url, settings.secret_key, reservation)
        text = texts.message(
            language,
            kind,
            restaurant=name,
            reservation_id=booking.reservation_id,
            day=booking.date,
            at=booking.time,
            guests=booking.guests,
            link=link,
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
            reservation_id=booking.reservation_id,
            payload={
                "event": event.type,
                "eventId": event.id,
                "notice": kind,
                "subject": texts.subject(language, kind, restaurant=name, reservation_id=booking.reservation_id),
                "link": link,
                "calendar": kind != texts.CANCELED,
            },
        )
        if row is not None:
            await self.dispatcher.deliver_now(row)
