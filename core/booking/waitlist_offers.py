"""The waitlist's offers: a freed slot held for the next waiting party and offered in their chat, and the
guest's answer to it.

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
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from tortoise.expressions import Q

from core.booking import availability, reads
from core.booking.availability import load_setting
from core.booking.commands import BookingRequest
from core.booking.service import BookingService
from core.booking.walkin import ANONYMOUS
from core.conversation.types import Choice, Reply
from core.errors import DomainError, NotFound
from core.events import Actor, DomainEvent
from core.jsontypes import JSON, JSONObject
from core.models import (
    ACTIVE_STATUSES,
    Conversation,
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

#: The event published on every change of the waitlist.
WAITLIST_CHANGED = "waitlist.changed"
#: The source of a hold reservation (and of the booking it becomes on "yes").
HOLD_SOURCE = "waitlist"
#: Outbox kind of the offer of a freed table.
OFFER = "waitlist_offer"
#: The conversation command the offer's answers run: ``/waitlist accept|decline <entry id>``.
COMMAND = "waitlist"
#: A claim older than this without its hold is a worker that stopped mid-offer.
CLAIM_LEASE = dt.timedelta(seconds=30)


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


class WaitlistOffers:
    """Offering freed slots to the waiting parties and taking their answers, through the booking ``service``
    (its bus and clock); :class:`~core.booking.waitlist.Waitlist` adds what staff and the chat do with the list."""

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

    async def get(self, restaurant_id: int, entry_id: int) -> WaitlistEntry:
        """The entry with its guest; ``NotFound`` when it is not this restaurant's."""
        entry = await WaitlistEntry.filter(restaurant_id=restaurant_id, id=entry_id).select_related("guest").first()
        if entry is None:
            raise NotFound(f"Waitlist entry #{entry_id} was not found.", details={"entryId": entry_id})
        return entry

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
        window = [t for t in times if entry.time_from <= t <= entry.time_to]
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
        await tell_party(
            entry,
            target,
            OFFER,
            f"{OFFER}:{entry.id}:{entry.offer_round}",
            reply,
            due=self.now(),
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


async def tell_party(
    entry: WaitlistEntry,
    target: tuple[str, str, str],
    kind: str,
    dedup_key: str,
    reply: Reply,
    *,
    due: dt.datetime,
    reservation_id: int | None = None,
    payload: JSONObject | None = None,
) -> OutboxMessage | None:
    """Queue ``reply`` for the party on ``target``, their chat as :func:`chat_of` found it (channel, chat id,
    language), as an outbox message of ``kind``; None when ``dedup_key`` was queued before."""
    channel, chat_id, language = target
    return await enqueue(
        restaurant_id=entry.restaurant_id,
        kind=kind,
        dedup_key=dedup_key,
        channel=channel,
        chat_id=chat_id,
        replies=[reply],
        due=due,
        language=language,
        guest_id=entry.guest_id,
        reservation_id=reservation_id,
        payload=payload,
    )
