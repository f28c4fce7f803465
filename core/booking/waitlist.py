"""The waitlist: parties waiting for a table, and the offers that refill a freed slot through the chat.

A party waits for a local ``date`` and a window of start times (``time_from``..``time_to``), with a wait
quoted by the host. Staff add parties (a walk-in at the door, a phone call); the chat adds a guest whose
slot is full. Every entry belongs to a guest record (found by phone, else created), and remembers the
chat it came from, if any.

**Offers.** :func:`offer_freed` (the waitlist plugin's worker job, run at every poll and at once when a
reservation is canceled, marked no-show or moved) looks at the waiting parties in the order they joined;
for each, the first free start in its window (:func:`core.booking.availability.day_view`) is held for it
by a real reservation written through the booking engine (source :data:`HOLD_SOURCE`, status
``created``), so availability, the timeline and the exclusion constraints all see the hold. The party
is offered it in their chat through the durable outbox (kind :data:`OFFER`), with yes/no answers; the
hold lasts the restaurant's ``waitlist_hold_minutes`` (10). "Yes" (:func:`accept`) confirms the
reservation (``booked``); "no" (:func:`decline`, ``left``) or silence (:func:`expire_offers`,
``expired``) cancels the hold, which frees the slot for the next waiting party.

**Exactly once across workers.** An offer starts by claiming the entry with a conditional update
(``waiting`` -> ``offered``, a new ``offer_round``), which one process wins; the hold is written by the
engine (two holds on one table cannot both commit); the message has the outbox key
``waitlist_offer:<entry>:<round>``, unique in the database. Parties keep their turn across processes: while
one process is offering to a party (claimed, hold not written yet), the others offer nothing to the parties
after it in that restaurant (else they could give its table to the next party first). A worker killed after the
claim leaves an entry ``offered`` without its hold or message: :func:`recover` (run with every pass) links the hold the
engine did write, or puts the entry back in line, and queues the message once.

Every change publishes ``waitlist.changed`` (``{"entryId", "status", "action", ...}``) on the bus, so the
dashboard updates live through ``/api/events``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tortoise.expressions import Q

from core.booking import availability, reads
from core.booking.availability import load_setting
from core.booking.commands import BookingRequest
from core.booking.guests import find_or_create_guest, region_of
from core.booking.hours import parse_local_time, to_local
from core.booking.service import BookingService
from core.booking.tags import clean_tags
from core.booking.walkin import ANONYMOUS, WalkIn, seat_walk_in
from core.conversation.types import Choice, Reply
from core.errors import DomainError, NotFound, ValidationError
from core.events import Actor, DomainEvent
from core.jsontypes import JSON, JSONObject
from core.models import (
    ACTIVE_STATUSES,
    OPEN_WAITLIST,
    Conversation,
    Guest,
    GuestIdentity,
    OutboxMessage,
    Reservation,
    ReservationStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from core.outbox import enqueue

log = logging.getLogger(__name__)

W = WaitlistStatus
#: The most entries one listing returns; a listing that would hold more is refused (400) so its cost stays
#: bounded however long the restaurant has kept its waitlist (closed entries are never deleted).
MAX_LISTED = 500

#: The event published on every change of the waitlist.
WAITLIST_CHANGED = "waitlist.changed"
#: The source of a hold reservation (and of the booking it becomes on "yes").
HOLD_SOURCE = "waitlist"
#: Outbox kinds: the offer of a freed table, and staff's "your table is ready".
OFFER, READY = "waitlist_offer", "waitlist_ready"
#: The conversation command the offer's answers run: ``/waitlist accept|decline <entry id>``.
COMMAND = "waitlist"
#: A claim older than this without its hold is a worker that stopped mid-offer.
CLAIM_LEASE = dt.timedelta(seconds=30)
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


class WaitlistTexts(Protocol):
    """The words of the waitlist's messages (:mod:`core.booking.waitlist_texts`, or a plugin's own)."""

    def offer(
        self, language: str | None, restaurant: str, entry: WaitlistEntry, reservation: Reservation, minutes: int
    ) -> Reply:
        """The offer of a freed table held for ``minutes``."""
        ...

    def ready(self, language: str | None, restaurant: str, entry: WaitlistEntry) -> Reply:
        """ "Your table is ready"."""
        ...


def entry_view(entry: WaitlistEntry, guest: Guest | None = None) -> JSONObject:
    """The JSON shape of an entry (camelCase): its fields, ``guest {id, name, phone}`` and its offer."""
    who = guest if guest is not None else getattr(entry, "_guest", None)
    return {
        "id": entry.id,
        "restaurantId": entry.restaurant_id,
        "guestId": entry.guest_id,
        "guest": {"id": who.id, "name": who.name, "phone": who.phone} if isinstance(who, Guest) else None,
        "guests": entry.guests,
        "date": entry.date.isoformat(),
        "timeFrom": f"{entry.time_from:%H:%M}",
        "timeTo": f"{entry.time_to:%H:%M}",
        "quotedMinutes": entry.quoted_minutes,
        "status": str(entry.status),
        "channel": entry.channel,
        "chatId": entry.chat_id,
        "language": entry.language,
        "source": entry.source,
        "comments": entry.comments,
        "tags": list(entry.tags or []),
        "reservationId": entry.reservation_id,
        "offerRound": entry.offer_round,
        "offeredAt": entry.offered_at.isoformat() if entry.offered_at else None,
        "offerExpiresAt": entry.offer_expires_at.isoformat() if entry.offer_expires_at else None,
        "createdAt": entry.created_at.isoformat() if entry.created_at else None,
    }


class Waitlist:
    """The waitlist of every restaurant, acting through the booking ``service`` (its bus and clock)."""

    def __init__(self, service: BookingService) -> None:
        self.service = service
        self.bus = service.bus

    def now(self) -> dt.datetime:
        """The service's clock."""
        return self.service.clock()

    async def _publish(self, entry: WaitlistEntry, action: str, actor: Actor, **extra: JSON) -> None:
        data: JSONObject = {"entryId": entry.id, "status": str(entry.status), "action": action, "guests": entry.guests}
        data.update(date=entry.date.isoformat(), reservationId=entry.reservation_id, **extra)
        await self.bus.publish(DomainEvent(WAITLIST_CHANGED, entry.restaurant_id, data, actor=actor))

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

    async def get(self, restaurant_id: int, entry_id: int) -> WaitlistEntry:
        """The entry with its guest; ``NotFound`` when it is not this restaurant's."""
        entry = await WaitlistEntry.filter(restaurant_id=restaurant_id, id=entry_id).select_related("guest").first()
        if entry is None:
            raise NotFound(f"Waitlist entry #{entry_id} was not found.", details={"entryId": entry_id})
        return entry

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
        message = await enqueue(
            restaurant_id=restaurant_id,
            kind=READY,
            dedup_key=f"{READY}:{entry.id}:{int(self.now().timestamp() * 1000)}",
            channel=target[0],
            chat_id=target[1],
            replies=[reply],
            due=self.now(),
            language=target[2],
            guest_id=entry.guest_id,
        )
        await self._publish(entry, "ready_sent", Actor.STAFF)
        return message

    # --- offers --------------------------------------------------------------------------------

    async def offer_freed(self, texts: WaitlistTexts, *, restaurant_id: int | None = None, limit: int = 50) -> int:
        """Offer free slots to the waiting parties, first come first served (module docstring); returns how
        many offers were made. ``texts.offer(language, restaurant, entry, reservation, minutes)`` words one."""
        now = self.now()
        # The waiting parties and, to keep their turn, those another process is offering a table right now
        # (claimed, hold not written yet): the parties after one of those wait until it has its hold, else
        # a second worker could give the freed table to the next party before the first one's hold is in.
        in_line = Q(status=W.WAITING) | Q(status=W.OFFERED, reservation_id=None, offered_at__gte=now - CLAIM_LEASE)
        query = WaitlistEntry.filter(in_line, date__gte=(now - dt.timedelta(days=1)).date())
        if restaurant_id is not None:
            query = query.filter(restaurant_id=restaurant_id)
        made, held_up = 0, set[int]()
        for entry in await query.order_by("created_at", "id").limit(limit):
            if entry.restaurant_id in held_up:
                continue
            try:
                offered = await self._offer(entry, texts, now) if entry.status == W.WAITING else None
            except DomainError as exc:
                log.info("waitlist: entry %s not offered: %s", entry.id, exc.message)
                continue
            if offered is None:  # another process is offering to this party: the ones after it keep their turn
                held_up.add(entry.restaurant_id)
                continue
            made += offered
        return made

    async def _offer(self, entry: WaitlistEntry, texts: WaitlistTexts, now: dt.datetime) -> int | None:
        """Offer ``entry`` the first free start in its window: 1 when offered, 0 when nothing is free, None when
        another process claimed the entry first (it is offering to it now)."""
        rid = entry.restaurant_id
        times = await availability.day_view(rid, entry.date, entry.guests, now=now)
        window = [t for t in times if entry.time_from <= parse_local_time(t) <= entry.time_to]
        if not window:
            return 0
        setting = await load_setting(rid)
        hold = dt.timedelta(minutes=max(1, setting.restaurant.waitlist_hold_minutes))
        round_ = entry.offer_round + 1
        claimed = await WaitlistEntry.filter(id=entry.id, status=W.WAITING, offer_round=entry.offer_round).update(
            status=W.OFFERED, offer_round=round_, offered_at=now, offer_expires_at=now + hold, reservation_id=None
        )
        if not claimed:  # another worker took it
            return None
        request = BookingRequest(
            date=entry.date,
            time=window[0],
            guests=entry.guests,
            source=HOLD_SOURCE,
            guest_id=entry.guest_id,
            comments=entry.comments,
            tags=list(entry.tags or []),
        )
        try:
            reservation = await self.service.create(rid, request, actor=Actor.SYSTEM)
        except DomainError:
            await WaitlistEntry.filter(id=entry.id, status=W.OFFERED, offer_round=round_).update(
                status=W.WAITING, offered_at=None, offer_expires_at=None
            )
            raise
        await WaitlistEntry.filter(id=entry.id, offer_round=round_).update(reservation_id=reservation.id)
        entry = await self.get(rid, entry.id)
        await self._queue_offer(entry, reservation, texts, setting.restaurant.name, int(hold.total_seconds() // 60))
        await self._publish(entry, "offered", Actor.SYSTEM, time=f"{reservation.time:%H:%M}")
        return 1

    async def _queue_offer(
        self, entry: WaitlistEntry, reservation: Reservation, texts: WaitlistTexts, restaurant: str, minutes: int
    ) -> None:
        target = await chat_of(entry)
        if target is None:  # staff call them: the hold shows on the dashboard
            return
        reply = texts.offer(target[2], restaurant, entry, reservation, minutes)
        assert entry.offer_expires_at is not None
        until = int(entry.offer_expires_at.timestamp())
        await enqueue(
            restaurant_id=entry.restaurant_id,
            kind=OFFER,
            dedup_key=f"{OFFER}:{entry.id}:{entry.offer_round}",
            channel=target[0],
            chat_id=target[1],
            replies=[reply],
            due=self.now(),
            language=target[2],
            guest_id=entry.guest_id,
            reservation_id=reservation.id,
            payload={
                "entryId": entry.id,
                "round": entry.offer_round,
                "answers": {"yes": answer_command("accept", entry.id), "no": answer_command("decline", entry.id)},
                "answersUntil": until,
            },
        )

    async def recover(self, texts: WaitlistTexts) -> int:
        """Finish the offers a stopped worker left half made (module docstring); returns how many."""
        now = self.now()
        stale = await WaitlistEntry.filter(
            status=W.OFFERED, reservation_id=None, offered_at__lt=now - CLAIM_LEASE
        ).order_by("id")
        fixed = 0
        for entry in stale:
            hold = (
                await Reservation.filter(
                    restaurant_id=entry.restaurant_id,
                    guest_id=entry.guest_id,
                    source=HOLD_SOURCE,
                    status__in=list(ACTIVE_STATUSES),
                    created_at__gte=entry.offered_at,
                )
                .order_by("id")
                .first()
            )
            if hold is None:
                fixed += await WaitlistEntry.filter(
                    id=entry.id, status=W.OFFERED, offer_round=entry.offer_round, reservation_id=None
                ).update(status=W.WAITING, offered_at=None, offer_expires_at=None)
                continue
            linked = await WaitlistEntry.filter(
                id=entry.id, status=W.OFFERED, offer_round=entry.offer_round, reservation_id=None
            ).update(reservation_id=hold.id)
            if linked:
                restaurant = await reads.restaurant(entry.restaurant_id)
                setting_minutes = restaurant.waitlist_hold_minutes if restaurant else 10
                entry = await self.get(entry.restaurant_id, entry.id)
                await self._queue_offer(entry, hold, texts, restaurant.name if restaurant else "", setting_minutes)
                await self._publish(entry, "offered", Actor.SYSTEM, time=f"{hold.time:%H:%M}")
                fixed += 1
        return fixed

    async def expire_offers(self) -> int:
        """Offers whose hold ran out become ``expired`` and their holds are canceled (freeing the slot for the
        next party); waiting parties whose window has passed expire too. Returns how many offers expired."""
        now = self.now()
        due = await WaitlistEntry.filter(status=W.OFFERED, offer_expires_at__lte=now).order_by("id")
        expired = 0
        for entry in due:
            if await WaitlistEntry.filter(id=entry.id, status=W.OFFERED, offer_round=entry.offer_round).update(
                status=W.EXPIRED
            ):
                expired += 1
                await self._release(entry, Actor.SYSTEM)
                await self._publish(await self.get(entry.restaurant_id, entry.id), "expired", Actor.SYSTEM)
        gone = await WaitlistEntry.filter(status=W.WAITING, date__lt=(now - dt.timedelta(days=1)).date()).update(
            status=W.EXPIRED
        )
        return expired + gone

    async def _release(self, entry: WaitlistEntry, actor: Actor) -> None:
        """Cancel the entry's hold (the slot goes to the next party)."""
        if entry.reservation_id is None:
            return
        try:
            await self.service.cancel(entry.restaurant_id, entry.reservation_id, actor=actor)
        except DomainError as exc:  # staff moved or seated it meanwhile
            log.info("waitlist: hold %s of entry %s not canceled: %s", entry.reservation_id, entry.id, exc.message)

    # --- the guest's answer --------------------------------------------------------------------

    async def accept(self, restaurant_id: int, entry_id: int, guest_id: int) -> tuple[WaitlistEntry, bool]:
        """The guest's "yes": within the hold, the held reservation is confirmed as theirs (``booked``).
        Returns the entry and whether it was booked (False: the offer had expired or was answered)."""
        now = self.now()
        entry = await WaitlistEntry.filter(restaurant_id=restaurant_id, id=entry_id, guest_id=guest_id).first()
        if entry is None:
            raise NotFound("That offer was not found.", details={"entryId": entry_id})
        if entry.status == W.BOOKED:
            return entry, True
        won = await WaitlistEntry.filter(
            id=entry.id, status=W.OFFERED, offer_round=entry.offer_round, offer_expires_at__gt=now
        ).update(status=W.BOOKED)
        if not won or entry.reservation_id is None:
            return entry, False
        await self.service.set_status(
            restaurant_id, entry.reservation_id, ReservationStatus.CONFIRMED, guest_id=guest_id, actor=Actor.GUEST
        )
        entry = await self.get(restaurant_id, entry.id)
        await self._publish(entry, "booked", Actor.GUEST)
        return entry, True

    async def decline(self, restaurant_id: int, entry_id: int, guest_id: int) -> tuple[WaitlistEntry, bool]:
        """The guest's "no": the offer is passed on (the hold canceled) and the party leaves the list.
        Returns the entry and whether an open offer was declined."""
        entry = await WaitlistEntry.filter(restaurant_id=restaurant_id, id=entry_id, guest_id=guest_id).first()
        if entry is None:
            raise NotFound("That offer was not found.", details={"entryId": entry_id})
        declined = await WaitlistEntry.filter(id=entry.id, status=W.OFFERED, offer_round=entry.offer_round).update(
            status=W.LEFT
        )
        if declined:
            await self._release(entry, Actor.SYSTEM)
            entry = await self.get(restaurant_id, entry.id)
            await self._publish(entry, "declined", Actor.GUEST)
        return entry, bool(declined)


def answer_command(action: str, entry_id: int) -> str:
    """The conversation command of an answer to an offer: ``/waitlist accept 12``."""
    return f"/{COMMAND} {action} {entry_id}"


def offer_choices(yes: str, no: str, entry_id: int) -> tuple[Choice, ...]:
    """The quick replies of an offer, labelled ``yes`` and ``no`` in the guest's words."""
    return (Choice(yes, answer_command("accept", entry_id)), Choice(no, answer_command("decline", entry_id)))


async def chat_of(entry: WaitlistEntry) -> tuple[str, str, str] | None:
    """Where to tell the party: ``(channel, chat id, language)`` of the chat the entry came from, else the
    guest's latest conversation, else their latest channel identity; None when they have no chat."""
    if entry.channel and entry.chat_id:
        return entry.channel, entry.chat_id, entry.language or "en"
    conversation = (
        await Conversation.filter(restaurant_id=entry.restaurant_id, guest_id=entry.guest_id)
        .order_by("-last_activity", "-id")
        .first()
    )
    if conversation is not None:
        return conversation.channel, conversation.external_chat_id, conversation.language or entry.language
    identity = (
        await GuestIdentity.filter(restaurant_id=entry.restaurant_id, guest_id=entry.guest_id)
        .exclude(channel=ANONYMOUS[0])
        .order_by("-id")
        .first()
    )
    if identity is not None:
        return identity.channel, identity.external_id, entry.language or "en"
    return None


__all__ = ["Waitlist", "WaitlistInput", "chat_of", "entry_view", "offer_choices"]
