"""The waitlist's worker job: expire offers that ran out, finish half-made ones, offer freed slots.

It runs at every poll of ``tobeout worker`` and, so that a freed table is offered within seconds, also at
once when the bus says a reservation was canceled, marked no-show or moved (the bus carries events
between processes on Redis: every worker hears them, and the entry claim makes one of them the offerer);
the offer is then sent straight away through the outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from core.booking import waitlist_texts as texts
from core.booking.payloads import ReservationPayload
from core.booking.service import BookingService
from core.booking.waitlist import OFFER, Waitlist
from core.events import RESERVATION_CANCELED, RESERVATION_STATUS_CHANGED, RESERVATION_UPDATED, DomainEvent
from core.models import OutboxMessage, ReservationStatus, WaitlistEntry, WaitlistStatus
from core.outbox import Dispatcher, process_name
from core.plugins import PluginSettings
from core.worker import options_of

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)

PLUGIN = "plugins.waitlist"


class WaitlistSettings(PluginSettings):
    """``[plugins."plugins.waitlist"]`` in plugins.toml."""

    listen: bool = True  # offer a freed table as soon as the bus reports it, not only at the next poll


#: Changes of a reservation that may free a table.
MOVES = ("date", "time", "tableId", "tableIds", "guests", "duration")


def frees_a_slot(event: DomainEvent) -> bool:
    """True for a reservation event that may have freed a table: a cancellation, a no-show, a move."""
    if event.type == RESERVATION_CANCELED:
        return True
    if event.type == RESERVATION_STATUS_CHANGED:
        return ReservationPayload.of(event).status in (ReservationStatus.NO_SHOW, ReservationStatus.COMPLETED)
    if event.type == RESERVATION_UPDATED:
        return any(key in ReservationPayload.of(event).changes for key in MOVES)
    return False


class WaitlistJob:
    """The worker job of the waitlist plugin (``tobeout_worker_jobs``)."""

    name, order, kind = "waitlist", 20, OFFER

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.waitlist = Waitlist(BookingService(runtime.bus, runtime.clock))
        # The worker's delivery settings (lease, timeouts) and a name after the process (host, pid), like the
        # worker's own dispatcher: its claims say who holds them, and a killed one's lease is the configured one.
        self.dispatcher = Dispatcher(runtime, options_of(runtime), worker=process_name("waitlist"))
        self._listener: asyncio.Task[None] | None = None
        self.listening = runtime.options(PLUGIN, WaitlistSettings).listen

    async def run(self, now: datetime) -> int:
        """Expire, recover, offer; returns the offers made or expired."""
        self.listen()
        done = await self.waitlist.expire_offers()
        done += await self.waitlist.recover(texts)
        done += await self.waitlist.offer_freed(texts)
        return done

    def listen(self) -> None:
        """Start (once) listening to the bus for freed slots (unless the ``listen`` setting is off)."""
        if not self.listening:
            return
        if self._listener is None or self._listener.done():
            self._listener = asyncio.get_running_loop().create_task(self._follow(), name="tobeout-waitlist")

    async def _follow(self) -> None:
        async with self.runtime.bus.subscribe(None) as queue:
            while True:
                event = await queue.get()
                if not frees_a_slot(event):
                    continue
                try:
                    if await self.waitlist.offer_freed(texts, restaurant_id=event.restaurant_id):
                        await self.dispatcher.run_due(20)
                except Exception:
                    log.exception("waitlist: offering the slot freed by %s failed", event.type)

    async def close(self) -> None:
        """Stop listening."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener

    async def check(self, message: OutboxMessage, now: datetime) -> str | None:
        """None while the offer is still open (same round, not answered, not run out); else why not."""
        payload = message.payload or {}
        entry = await WaitlistEntry.filter(restaurant_id=message.restaurant_id, id=payload.get("entryId")).first()
        if entry is None:
            return "the waiting party is no longer on the list"
        if entry.status != WaitlistStatus.OFFERED or entry.offer_round != payload.get("round"):
            return f"the offer was {entry.status}"
        if entry.offer_expires_at is not None and entry.offer_expires_at <= now:
            return "the hold ran out"
        return None
