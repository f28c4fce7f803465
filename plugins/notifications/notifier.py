"""Telling guests on their channel when staff create, move or cancel their reservation.

For each reservation event that staff caused (see :func:`kind_of`), the notifier finds the
channel the guest last talked to the restaurant on (their most recent conversation, else
any channel identity), writes the message in the guest's language and sends it through
that channel's adapter (``tobeout_channels``). All of it runs in the background: the
event handler only starts a task, so the staff action is never slowed down or undone.

A failed send is retried with exponential backoff (``backoff_seconds`` doubling up to
``max_backoff_seconds``, at most ``max_attempts`` tries) while the adapter says the error
is retryable. Every attempt is recorded in ``ai_activities``: ``notification`` when it was
delivered, ``notification_failed`` for each failure (``metadata.final`` on the last).
Notifications of one guest are sent in the order of the events.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Coroutine
from datetime import date, time
from typing import Any

from core.background import BackgroundTasks
from core.conversation.types import Reply
from core.errors import ChannelError
from core.events import RESERVATION_CANCELED, RESERVATION_CREATED, RESERVATION_UPDATED, DomainEvent
from core.models import AiActivity, Conversation, Guest, GuestIdentity, Restaurant
from core.plugins import call_hook
from plugins.notifications import texts

log = logging.getLogger(__name__)

PLUGIN = "plugins.notifications"
NOTIFICATION = "notification"
NOTIFICATION_FAILED = "notification_failed"
#: Sources of reservations that guests make themselves in a chat (the engine's tools set them).
CHAT_SOURCES = frozenset({"telegram", "whatsapp", "webchat"})
MOVES = ("date", "time", "guests")


def kind_of(event: DomainEvent, chat_channels: frozenset[str] = CHAT_SOURCES) -> str | None:
    """What to tell the guest about ``event`` (created, moved, canceled), or None.

    Only changes made by staff are told: the guest already got an answer in the chat for
    what they did there. The booking events say who acted in ``data["actor"]`` when they
    can (``"guest"`` is never notified); without it a reservation whose ``source`` is a
    chat channel was made by the guest in that chat. A change of table, duration or
    comments only is not worth a message.
    """
    data = event.data or {}
    if data.get("actor") == "guest" or not data.get("guestId"):
        return None
    if event.type == RESERVATION_CREATED:
        return None if data.get("actor") is None and data.get("source") in chat_channels else texts.CREATED
    if event.type == RESERVATION_CANCELED:
        return texts.CANCELED
    if event.type == RESERVATION_UPDATED and any(key in (data.get("changes") or {}) for key in MOVES):
        return texts.MOVED
    return None


class Notifier:
    """One per process (``runtime.stash[NOTIFIER]``); ``drain()`` awaits the work in flight."""

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        options = runtime.settings_for(PLUGIN)
        self.max_attempts = max(1, int(options.get("max_attempts", 5)))
        self.backoff = float(options.get("backoff_seconds", 2.0))
        self.max_backoff = float(options.get("max_backoff_seconds", 300.0))
        self._adapters: dict[str, Any] | None = None
        self._tasks = BackgroundTasks()
        self._last: dict[tuple[int, int], asyncio.Task[Any]] = {}  # per guest, to keep their messages in order

    # ------------------------------------------------------------------ background work

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        return self._tasks.spawn(coro, name)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until the notifications started so far are sent or given up."""
        await self._tasks.drain(timeout)

    async def close(self, grace: float = 10.0) -> None:
        """Give pending notifications ``grace`` seconds, then cancel the rest (at shutdown)."""
        await self._tasks.close(grace)

    async def adapters(self) -> dict[str, Any]:
        """The channel adapters by name, collected once from ``tobeout_channels``."""
        if self._adapters is None:
            found: dict[str, Any] = {}
            for result in await call_hook(self.runtime.plugins, "tobeout_channels", runtime=self.runtime):
                for adapter in result if isinstance(result, list | tuple) else [result]:
                    found.setdefault(adapter.name, adapter)
            self._adapters = found
        return self._adapters

    # ------------------------------------------------------------------ events

    def on_event(self, event: DomainEvent) -> None:
        """Start notifying the guest about ``event`` when staff caused it; returns at once."""
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
        target = await self._target(rid, int(data["guestId"]))
        if target is None:
            return  # the guest never wrote to the restaurant on a channel: staff call them instead
        adapter, chat_id, language = target
        restaurant = await Restaurant.filter(id=rid).only("id", "name").first()
        name = restaurant.name if restaurant is not None else ""
        text = texts.message(
            language, kind, restaurant=name, reservation_id=int(data["reservationId"]),
            day=date.fromisoformat(str(data["date"])), at=time.fromisoformat(str(data["time"])),
            guests=int(data["guests"]),
        )  # fmt: skip
        meta = {"event": event.type, "eventId": event.id, "kind": kind, "reservationId": data["reservationId"],
                "guestId": data["guestId"], "channel": adapter.name, "chatId": chat_id}  # fmt: skip
        for attempt in range(1, self.max_attempts + 1):
            try:
                await adapter.send(rid, chat_id, [Reply(text)])
            except Exception as exc:
                error = exc if isinstance(exc, ChannelError) else ChannelError(f"{exc.__class__.__name__}: {exc}")
                retryable = error.retryable or not isinstance(exc, ChannelError)
                final = not retryable or attempt == self.max_attempts
                await self._record(rid, NOTIFICATION_FAILED, text, error.message,
                                   {**meta, "attempt": attempt, "retryable": retryable, "final": final})  # fmt: skip
                if final:
                    log.warning("gave up notifying guest %s of %s: %s", data["guestId"], event.type, error.message)
                    return
                await asyncio.sleep(self._delay(attempt, error))
            else:
                await self._record(rid, NOTIFICATION, text, "sent", {**meta, "attempt": attempt})
                return

    def _delay(self, attempt: int, error: ChannelError) -> float:
        delay = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        asked = error.details.get("retryAfter")
        if isinstance(asked, int | float):
            delay = max(delay, min(float(asked), self.max_backoff))
        return delay * random.uniform(1.0, 1.25)

    async def _target(self, restaurant_id: int, guest_id: int) -> tuple[Any, str, str] | None:
        """The adapter, chat id and language to reach the guest: their latest conversation on a channel we have."""
        adapters = await self.adapters()
        if not adapters:
            return None
        conversation = (
            await Conversation.filter(restaurant_id=restaurant_id, guest_id=guest_id, channel__in=list(adapters))
            .order_by("-last_activity")
            .first()
        )
        if conversation is not None:
            return adapters[conversation.channel], conversation.external_chat_id, conversation.language
        identity = (
            await GuestIdentity.filter(restaurant_id=restaurant_id, guest_id=guest_id, channel__in=list(adapters))
            .order_by("-id")
            .first()
        )
        if identity is None:
            return None
        guest = await Guest.filter(restaurant_id=restaurant_id, id=guest_id).only("id", "language").first()
        return adapters[identity.channel], identity.external_id, (guest.language if guest is not None else None) or "en"

    @staticmethod
    async def _record(restaurant_id: int, type_: str, text: str, response: str, metadata: dict[str, Any]) -> None:
        try:
            await AiActivity.create(
                restaurant_id=restaurant_id, type=type_, message=text, response=response, metadata=metadata
            )
        except Exception:
            log.exception("could not record a %s activity", type_)
