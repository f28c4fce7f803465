"""The waitlist: parties waiting for a table, and the offers that refill a freed slot through the chat.

A party waits for a local ``date`` and a window of start times (``time_from``..``time_to``), with a wait
quoted by the host. Staff add parties (a walk-in at the door, a phone call); the chat adds a guest whose
slot is full. Every entry belongs to a guest record (found by phone, else created), and remembers the
chat it came from, if any.

The offers that refill a freed slot, and the guest's answer to one, are
:mod:`core.booking.waitlist_offers`; :class:`Waitlist` adds what staff and the chat do with the list.

Every change publishes ``waitlist.changed`` (``{"entryId", "status", "action", ...}``) on the bus, so the
dashboard updates live through ``/api/events``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.booking import availability, reads
from core.booking.availability import load_setting
from core.booking.guests import find_or_create_guest, region_of
from core.booking.hours import to_local
from core.booking.tags import clean_tags
from core.booking.waitlist_offers import (
    COMMAND,
    OFFER,
    WaitlistOffers,
    WaitlistTexts,
    chat_of,
    offer_choices,
    tell_party,
)
from core.booking.walkin import WalkIn, seat_walk_in
from core.errors import NotFound, ValidationError
from core.events import Actor
from core.models import OPEN_WAITLIST, Guest, OutboxMessage, ReservationStatus, WaitlistEntry, WaitlistStatus

W = WaitlistStatus
#: The most entries one listing returns; a listing that would hold more is refused (400) so its cost stays
#: bounded however long the restaurant has kept its waitlist (closed entries are never deleted).
MAX_LISTED = 500
#: Outbox kind of staff's "your table is ready".
READY = "waitlist_ready"
#: Statuses staff may set by hand (``offered`` and ``booked`` come from offers and answers).
STAFF_STATUSES = (W.WAITING, W.SEATED, W.LEFT, W.EXPIRED)


@dataclass
class WaitlistInput:
    """A party joining the list: who (a guest id, or a name and/or phone, or the chat's guest with
    ``channel``/``chat_id``), how many, when (local date and start window) and the wait quoted."""

    guests: int
    date: dt.date
    time_from: dt.time
    time_to: dt.time
    guest_id: int | None = None
    name: str | None = None
    phone: str | None = None
    channel: str | None = None
    chat_id: str | None = None
    language: str | None = None
    quoted_minutes: int | None = None
    comments: str | None = None
    tags: list[str] = field(default_factory=list)
    source: str | None = None


class Waitlist(WaitlistOffers):
    """The waitlist of every restaurant, acting through the booking ``service`` (its bus and clock): parties
    added, listed, changed, seated and removed by staff or the chat, and (from
    :class:`~core.booking.waitlist_offers.WaitlistOffers`) the offers of freed slots and their answers."""

    # --- staff and chat ------------------------------------------------------------------------

    async def add(self, restaurant_id: int, given: WaitlistInput, *, actor: Actor = Actor.STAFF) -> WaitlistEntry:
        """Put a party on the list (``waiting``) and publish ``waitlist.changed`` (action ``created``).
        ``ValidationError`` for a bad party, window, phone or tag; ``NotFound`` for another restaurant's guest."""
        setting = await load_setting(restaurant_id)
        today = to_local(self.now(), setting.rules.tz)[0]
        if given.date < today:
            raise ValidationError("The date wanted has passed.", details={"field": "date"})
        if given.time_to < given.time_from:
            raise ValidationError("The window ends before it starts.", details={"field": "timeTo"})
        availability.ensure_seatable(setting, given.guests)
        guest = await self._guest(restaurant_id, given, setting.restaurant.phone)
        entry = await WaitlistEntry.create(
            restaurant_id=restaurant_id,
            guest_id=guest.id,
            guests=given.guests,
            date=given.date,
            time_from=given.time_from,
            time_to=given.time_to,
            quoted_minutes=given.quoted_minutes,
            channel=given.channel,
            chat_id=given.chat_id,
            language=given.language or guest.language or "en",
            source=given.source,
            comments=(given.comments or "").strip() or None,
            tags=clean_tags(given.tags),
        )
        await self._publish(entry, "created", actor)
        return await self.get(restaurant_id, entry.id)

    async def _guest(self, restaurant_id: int, given: WaitlistInput, restaurant_phone: str | None) -> Guest:
        if given.guest_id is not None:
            found = await reads.guest(restaurant_id, guest_id=given.guest_id)
            if found is None:
                raise NotFound(f"Guest #{given.guest_id} was not found.", details={"guestId": given.guest_id})
            return found
        name = (given.name or "").strip() or None
        if given.phone:
            return await find_or_create_guest(
                restaurant_id, name=name or "Guest", phone=given.phone, default_region=region_of(restaurant_phone)
            )
        if name is None:
            raise ValidationError("A waiting party needs a name, a phone or a guest.", details={"field": "name"})
        return await Guest.create(restaurant_id=restaurant_id, name=name, language=given.language or "en")

    async def entries(
        self, restaurant_id: int, *, date: dt.date | None = None, statuses: Iterable[WaitlistStatus] | None = None
    ) -> list[WaitlistEntry]:
        """The restaurant's entries in the order they joined, for ``date`` and ``statuses`` when given
        (default: the open ones, waiting or offered)."""
        query = WaitlistEntry.filter(restaurant_id=restaurant_id, status__in=list(statuses or OPEN_WAITLIST))
        if date is not None:
            query = query.filter(date=date)
        found = list(await query.order_by("created_at", "id").limit(MAX_LISTED + 1).select_related("guest"))
        if len(found) > MAX_LISTED:
            raise ValidationError(
                f"More than {MAX_LISTED} waitlist entries match; ask for one date (?date=) or fewer statuses.",
                code="too_many_rows",
            )
        return found

    async def update(
        self, restaurant_id: int, entry_id: int, changes: dict[str, Any], *, table_id: int | None = None
    ) -> WaitlistEntry:
        """Staff's change: ``guests``, ``date``, ``timeFrom``/``timeTo`` (as ``time_from``/``time_to``),
        ``quoted_minutes``, ``comments``, ``tags``, and ``status`` (waiting, seated, left, expired). Seating a
        party seats it now as a walk-in of its guest (at ``table_id`` or the best free table); leaving an
        offer cancels its hold."""
        entry = await self.get(restaurant_id, entry_id)
        status = changes.pop("status", None)
        values: dict[str, Any] = {}
        for name in ("guests", "date", "time_from", "time_to", "quoted_minutes", "comments"):
            if name in changes:
                values[name] = changes[name]
        if "tags" in changes:
            values["tags"] = clean_tags(changes["tags"])
        if values.get("time_to", entry.time_to) < values.get("time_from", entry.time_from):
            raise ValidationError("The window ends before it starts.", details={"field": "timeTo"})
        if values:
            await WaitlistEntry.filter(restaurant_id=restaurant_id, id=entry.id).update(**values)
        if status is not None and W(status) != entry.status:
            await self._staff_status(entry, W(status), table_id)
        entry = await self.get(restaurant_id, entry.id)
        if values and status is None:
            await self._publish(entry, "updated", Actor.STAFF)
        return entry

    async def _staff_status(self, entry: WaitlistEntry, target: WaitlistStatus, table_id: int | None) -> None:
        if target not in STAFF_STATUSES:
            raise ValidationError(
                f"Staff may set a waiting party to {', '.join(STAFF_STATUSES)}.", details={"field": "status"}
            )
        rid = entry.restaurant_id
        if target == W.SEATED:
            reservation_id = await self._seat(entry, table_id)
            await WaitlistEntry.filter(restaurant_id=rid, id=entry.id).update(
                status=W.SEATED, reservation_id=reservation_id
            )
        else:
            if entry.status == W.OFFERED:
                await self._release(entry, Actor.STAFF)
            await WaitlistEntry.filter(restaurant_id=rid, id=entry.id).update(status=target)
        await self._publish(await self.get(rid, entry.id), str(target), Actor.STAFF)

    async def _seat(self, entry: WaitlistEntry, table_id: int | None) -> int:
        """Seat the party now: its held or booked reservation when it has one, else as a walk-in."""
        rid = entry.restaurant_id
        if entry.reservation_id is not None and entry.status in (W.OFFERED, W.BOOKED) and table_id is None:
            hold = await self.service.get(rid, entry.reservation_id)
            if hold.status in (ReservationStatus.CREATED, ReservationStatus.CONFIRMED):
                # The party is at the host stand: seating its hold now is what the host asked, however far
                # from the held time (no confirm_seating question).
                await self.service.set_status(
                    rid, hold.id, ReservationStatus.SEATED, actor=Actor.STAFF, confirm_seating=True
                )
                return hold.id
        elif entry.status == W.OFFERED:
            await self._release(entry, Actor.STAFF)
        walk_in = WalkIn(
            guests=entry.guests,
            guest_id=entry.guest_id,
            table_id=table_id,
            comments=entry.comments,
            tags=list(entry.tags or []),
        )
        return (await seat_walk_in(self.service, rid, walk_in)).id

    async def remove(self, restaurant_id: int, entry_id: int) -> None:
        """Take a party off the list for good (its hold, if offered, is canceled)."""
        entry = await self.get(restaurant_id, entry_id)
        if entry.status == W.OFFERED:
            await self._release(entry, Actor.STAFF)
        await WaitlistEntry.filter(restaurant_id=restaurant_id, id=entry.id).delete()
        await self._publish(entry, "deleted", Actor.STAFF)

    async def table_ready(self, restaurant_id: int, entry_id: int, texts: WaitlistTexts) -> OutboxMessage | None:
        """Tell the party "your table is ready" on their chat through the outbox (``texts.ready(language,
        restaurant, entry)`` words it); None when they have no chat (the host calls them). Sent once per
        call (a new key each time staff press it)."""
        entry = await self.get(restaurant_id, entry_id)
        target = await chat_of(entry)
        if target is None:
            return None
        restaurant = await reads.restaurant(restaurant_id)
        reply = texts.ready(target[2], restaurant.name if restaurant else "", entry)
        message = await tell_party(
            entry, target, READY, f"{READY}:{entry.id}:{int(self.now().timestamp() * 1000)}", reply, due=self.now()
        )
        await self._publish(entry, "ready_sent", Actor.STAFF)
        return message


__all__ = ["COMMAND", "OFFER", "Waitlist", "WaitlistInput", "WaitlistTexts", "chat_of", "offer_choices"]
