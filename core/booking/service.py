"""The booking service: the only writer of reservations.

Create, modify, cancel and status changes go through :class:`BookingService`;
each publishes a domain event after its transaction committed (see
:mod:`core.booking.notify`). How a booking is placed without double booking is
described in :mod:`core.booking.placement`.

The status state machine is in :mod:`core.booking.states` (``TRANSITIONS``);
setting the current status again is a no-op without an event.
Leaving the active statuses (created, confirmed, seated) frees the tables at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from core.booking import reads
from core.booking.availability import (
    Ask,
    Setting,
    load_bookings,
    load_setting,
    options_at,
    paced_out,
    resolve,
    window,
)
from core.booking.commands import BookingRequest, GuestInput, ReservationChanges, changed_ask
from core.booking.guests import find_or_create_guest, region_of, returning_guest
from core.booking.notify import diff, publish_reservation
from core.booking.placement import (
    PacedOut,
    allocate,
    chosen_table,
    holds,
    insert_booking,
    option_key,
    place,
    timeslot_id,
    unavailable,
    write_lock,
)
from core.booking.states import ensure_active, ensure_transition, parse_status
from core.booking.tags import clean_tags
from core.booking.views import serialize_reservation, table_ids
from core.errors import NotFound, ValidationError
from core.events import (
    RESERVATION_CANCELED,
    RESERVATION_CREATED,
    RESERVATION_STATUS_CHANGED,
    RESERVATION_UPDATED,
    Actor,
    EventBus,
)
from core.models import ACTIVE_STATUSES, Guest, Reservation, ReservationStatus, ReservationTable, Table
from core.runtime import utcnow

__all__ = ["BookingRequest", "BookingService", "GuestInput", "ReservationChanges"]

S = ReservationStatus


def _tables(setting: Setting, ids: list[int]) -> list[Table]:
    return [t for t in (setting.table(i) for i in ids) if t is not None]


class BookingService:
    """Creates, changes and cancels reservations; publishes an event for every change on ``bus``.
    ``clock`` gives the current instant (tests pass a fixed one)."""

    def __init__(self, bus: EventBus, clock: Callable[[], datetime] = utcnow) -> None:
        self.bus = bus
        self.clock = clock

    # --- reads ----------------------------------------------------------------------------

    async def get(self, restaurant_id: int, reservation_id: int, *, guest_id: int | None = None) -> Reservation:
        """The reservation with guest, table and allocations fetched. ``NotFound`` when it is not this
        restaurant's or, with ``guest_id``, not that guest's (the chat guardrail)."""
        query = Reservation.filter(restaurant_id=restaurant_id, id=reservation_id)
        if guest_id is not None:
            query = query.filter(guest_id=guest_id)
        found = await query.select_related("guest", "table").prefetch_related("allocations").first()
        if found is None:
            raise _not_found(reservation_id)
        return found

    async def list_for_guest(
        self, restaurant_id: int, guest_id: int, *, upcoming_only: bool = True
    ) -> list[Reservation]:
        """The guest's reservations by start. ``upcoming_only``: active ones (created, confirmed, seated)
        that have not ended yet."""
        query = Reservation.filter(restaurant_id=restaurant_id, guest_id=guest_id)
        if upcoming_only:
            query = query.filter(status__in=list(ACTIVE_STATUSES), ends_at__gt=self.clock())
        query = query.order_by("starts_at", "id").select_related("guest", "table").prefetch_related("allocations")
        return list(await query)

    # --- create -----------------------------------------------------------------------------

    async def create(
        self, restaurant_id: int, request: BookingRequest, *, guest: Guest | None = None, actor: Actor = Actor.STAFF
    ) -> Reservation:
        """Book ``request`` on the best free table(s) and publish ``reservation.created`` as ``actor``
        (``Actor.GUEST`` when the guest books in a chat).

        Raises ``BookingRefused`` (past, outside hours or window, party too large),
        ``ValidationError`` (bad input), ``NotFound`` (unknown guest or table) or
        ``SlotUnavailable`` with ``details["alternatives"]`` when nothing is free.
        """
        now = self.clock()
        status = parse_status(request.status)
        if status not in ACTIVE_STATUSES:
            raise ValidationError(
                "A new reservation must be created, confirmed or seated.", details={"field": "status"}
            )
        comments = (request.comments or "").strip() or None
        tags = clean_tags(request.tags)

        async def place_for(who: Guest) -> Reservation:
            async def write(tables: list[Table]) -> Reservation | None:  # with guest, table and allocations
                return await insert_booking(
                    restaurant_id,
                    who,
                    tables,
                    ask,
                    status=status,
                    comments=comments,
                    source=request.source,
                    created_at=now,
                    history=(RESERVATION_CREATED, actor),
                    tags=tags,
                )

            relaxed = frozenset({option_key([chosen])}) if chosen else frozenset()
            return await self._place(
                setting,
                ask,
                candidates,
                now,
                write=write,
                relaxed=relaxed,
                replan=chosen is None,
                table=chosen,
                write_checks=True,
            )

        # The reads and, for a guest already known, the placement's transaction share one pooled connection.
        async with reads.pinned():
            setting = await load_setting(restaurant_id)
            known = await self._known_guest(setting, request, guest)
            walk_in = status == S.SEATED
            ask = resolve(
                setting, request.date, request.time, request.guests, request.duration, None if walk_in else now
            )
            chosen = chosen_table(setting, request.table_id, ask.guests)
            bookings = await load_bookings(setting, *window(setting, [ask.start], ask.duration))
            if chosen is not None:
                free = not paced_out(setting, bookings, ask.start, ask.guests) and chosen.id not in bookings.busy(
                    ask.start, ask.until
                )
                candidates = [[chosen]] if free else []
            else:
                candidates = options_at(setting, bookings, ask.start, ask.until, ask.guests)
            if not candidates:
                raise await unavailable(setting, ask, now, table=chosen)
            if known is None and request.guest is not None and request.guest.phone:
                known = await returning_guest(restaurant_id, request.guest, region_of(setting.restaurant.phone))
            reservation = await place_for(known) if known is not None else None
        if reservation is None:  # a new guest is created through the ORM, off the pinned connection
            who = await self._new_guest(setting, request.guest)
            async with reads.pinned():
                reservation = await place_for(who)
        await publish_reservation(self.bus, RESERVATION_CREATED, reservation, actor=actor, recorded=True)
        return reservation

    # --- modify -----------------------------------------------------------------------------

    async def modify(
        self,
        restaurant_id: int,
        reservation_id: int,
        changes: ReservationChanges,
        *,
        guest_id: int | None = None,
        actor: Actor | None = None,
    ) -> Reservation:
        """Change date, time, party size, table, duration or comments of an active reservation and publish
        ``reservation.updated`` (with ``changes``). Availability is re-checked ignoring the reservation
        itself; it keeps its tables when they still hold the party and are free, else gets the best
        free option. The booking window and hours apply only when the date or time changes. When the
        party size changes and the duration was the default for the old size, the duration follows
        the turn times. ``InvalidTransition`` for a reservation that is no longer active; errors as
        :meth:`create` otherwise. Nothing to change returns it unchanged, without an event.

        With ``changes.status`` the status moves too, in the same transaction: a refused move or a
        refused status change leaves the reservation exactly as it was (then ``reservation.updated``
        and the status event are published). The reservation returned was read inside the
        transaction, so once it committed nothing more can fail."""
        target = None if changes.status is None else parse_status(changes.status)
        if target is not None and changes.only_status():
            return await self._transition(restaurant_id, reservation_id, target, guest_id=guest_id, actor=actor)
        now = self.clock()
        current = await self.get(restaurant_id, reservation_id, guest_id=guest_id)
        ensure_active(current)
        old_status = S(current.status)
        if target is not None and target != old_status:
            ensure_transition(old_status, target)
        before = serialize_reservation(current)
        setting = await load_setting(restaurant_id)
        ask = changed_ask(setting, current, changes, now)
        comments = current.comments if changes.comments is None else (changes.comments.strip() or None)
        tags = list(current.tags or []) if changes.tags is None else clean_tags(changes.tags)
        held = table_ids(current)
        moves = ask is not None or (changes.table_id is not None and changes.table_id not in held[:1])
        if not moves and comments == current.comments and tags == list(current.tags or []):
            if target is not None and target != old_status:
                return await self._transition(restaurant_id, reservation_id, target, guest_id=guest_id, actor=actor)
            return current
        if ask is None:  # only the table and/or comments change: keep time, party and duration
            ask = resolve(setting, current.date, current.time, current.guests, current.duration, None)
        status_moves = target is not None and target != old_status

        async def lock() -> None:
            row = (
                await Reservation.filter(restaurant_id=restaurant_id, id=current.id)
                .select_for_update(no_key=True)
                .first()
            )
            if row is None:
                raise _not_found(current.id)
            ensure_active(row)
            if status_moves:
                assert target is not None
                ensure_transition(S(row.status), target)

        async def finish() -> Reservation:  # inside the transaction, after the write
            if status_moves:
                await Reservation.filter(restaurant_id=restaurant_id, id=current.id).update(
                    status=target, updated_at=now
                )
                if target not in ACTIVE_STATUSES:
                    await ReservationTable.filter(restaurant_id=restaurant_id, reservation_id=current.id).update(
                        active=False
                    )
            return await self.get(restaurant_id, current.id)

        if not moves:
            async with write_lock(), in_transaction():
                await lock()
                await Reservation.filter(restaurant_id=restaurant_id, id=current.id).update(
                    comments=comments, tags=tags, updated_at=now
                )
                reservation = await finish()
        else:
            current.tags = tags  # written with the move
            reservation = await self._move(setting, current, ask, changes.table_id, held, comments, lock, now, finish)
        await publish_reservation(
            self.bus,
            RESERVATION_UPDATED,
            reservation,
            changes=diff(before, serialize_reservation(reservation)),
            actor=actor or _actor(guest_id),
            at=now,
        )
        if status_moves:
            assert target is not None
            kind = RESERVATION_CANCELED if target == S.CANCELED else RESERVATION_STATUS_CHANGED
            await publish_reservation(
                self.bus,
                kind,
                reservation,
                changes={"status": {"from": str(old_status), "to": str(target)}},
                actor=actor or _actor(guest_id),
                at=now,
            )
        return reservation

    async def _move(
        self,
        setting: Setting,
        current: Reservation,
        ask: Ask,
        table_id: int | None,
        held: list[int],
        comments: str | None,
        lock: Callable[..., Any],
        now: datetime,
        finish: Callable[[], Awaitable[Reservation]],
    ) -> Reservation:
        chosen = chosen_table(setting, table_id, ask.guests)
        bookings = await load_bookings(
            setting, *window(setting, [ask.start], ask.duration), exclude_reservation_id=current.id
        )
        busy = bookings.busy(ask.start, ask.until)
        paced = paced_out(setting, bookings, ask.start, ask.guests)
        keep = _tables(setting, held)
        relaxed: frozenset[tuple[int, ...]] = frozenset()
        if chosen is not None:
            candidates = [] if paced or chosen.id in busy else [[chosen]]
            relaxed = frozenset({option_key([chosen])})
        else:
            candidates = options_at(setting, bookings, ask.start, ask.until, ask.guests)
            if not paced and holds(keep, ask.guests) and not busy & set(held):
                candidates = [keep] + [o for o in candidates if option_key(o) != option_key(keep)]
                relaxed = frozenset({option_key(keep)})
        if not candidates:
            raise await unavailable(setting, ask, now, exclude_id=current.id, table=chosen)

        async def write(tables: list[Table]) -> Reservation:
            rid = setting.restaurant.id
            values = {
                "table_id": tables[0].id,
                "timeslot_id": await timeslot_id(rid, tables[0].id, ask),
                "date": ask.date,
                "time": ask.time,
                "duration": ask.duration,
                "guests": ask.guests,
                "starts_at": ask.start,
                "ends_at": ask.end,
                "comments": comments,
                "tags": current.tags,
            }
            for name, value in values.items():
                setattr(current, name, value)
            await current.save(update_fields=[*values, "updated_at"])  # save(): LocalTimeField needs the instance
            await ReservationTable.filter(restaurant_id=rid, reservation_id=current.id).delete()
            await allocate(current, tables, ask)
            return await finish()

        return await self._place(
            setting,
            ask,
            candidates,
            now,
            write=write,
            before=lock,
            exclude_id=current.id,
            relaxed=relaxed,
            replan=chosen is None,
            table=chosen,
        )

    # --- status -----------------------------------------------------------------------------

    async def cancel(
        self, restaurant_id: int, reservation_id: int, *, guest_id: int | None = None, actor: Actor | None = None
    ) -> Reservation:
        """Cancel a created or confirmed reservation (frees its tables) and publish ``reservation.canceled``.
        Canceling a canceled reservation is a no-op; other statuses raise ``InvalidTransition``.
        ``guest_id`` restricts it to that guest's reservations (``NotFound`` otherwise)."""
        return await self._transition(restaurant_id, reservation_id, S.CANCELED, guest_id=guest_id, actor=actor)

    async def set_status(
        self,
        restaurant_id: int,
        reservation_id: int,
        status: ReservationStatus | str,
        *,
        guest_id: int | None = None,
        actor: Actor | None = None,
    ) -> Reservation:
        """Move the reservation along the state machine (module docstring) and publish
        ``reservation.status_changed`` (``reservation.canceled`` for a cancellation), with
        ``changes = {"status": {"from", "to"}}``. ``InvalidTransition`` for a move not allowed,
        ``ValidationError`` for an unknown status. ``guest_id`` restricts it to that guest's
        reservations (a guest confirming from a reminder); ``actor`` defaults to the guest
        with ``guest_id``, else staff (the worker passes ``Actor.SYSTEM``)."""
        return await self._transition(
            restaurant_id, reservation_id, parse_status(status), guest_id=guest_id, actor=actor
        )

    async def _transition(
        self,
        restaurant_id: int,
        reservation_id: int,
        target: ReservationStatus,
        *,
        guest_id: int | None = None,
        actor: Actor | None = None,
    ) -> Reservation:
        async with write_lock(), in_transaction():
            query = Reservation.filter(restaurant_id=restaurant_id, id=reservation_id)
            if guest_id is not None:
                query = query.filter(guest_id=guest_id)
            row = await query.select_for_update(no_key=True).first()
            if row is None:
                raise _not_found(reservation_id)
            old = S(row.status)
            if old == target:
                changed = False
            else:
                ensure_transition(old, target)
                changed = True
                # An archived reservation remembers how it ended, so the guest's visit and no-show counts keep it.
                archived = {"archived_from": str(old)} if target == S.ARCHIVED else {}
                await Reservation.filter(restaurant_id=restaurant_id, id=row.id).update(
                    status=target, updated_at=self.clock(), **archived
                )
                if target not in ACTIVE_STATUSES:
                    await ReservationTable.filter(restaurant_id=restaurant_id, reservation_id=row.id).update(
                        active=False
                    )
            reservation = await self.get(restaurant_id, reservation_id)  # read before commit: nothing fails after
        if changed:
            kind = RESERVATION_CANCELED if target == S.CANCELED else RESERVATION_STATUS_CHANGED
            await publish_reservation(
                self.bus,
                kind,
                reservation,
                changes={"status": {"from": str(old), "to": str(target)}},
                actor=actor or _actor(guest_id),
                at=self.clock(),
            )
        return reservation

    async def record_reminder(self, restaurant_id: int, reservation_id: int, minutes: int) -> None:
        """Note that a reminder ``minutes`` before the start was sent: the seed's ``confirmation_2h``
        for one at least two hours ahead, ``confirmation_1h`` for a later one. No event: the
        reservation itself did not change."""
        flag = "confirmation_2h" if minutes >= 120 else "confirmation_1h"
        await Reservation.filter(restaurant_id=restaurant_id, id=reservation_id).update(**{flag: True})

    # --- helpers ----------------------------------------------------------------------------

    async def _place(
        self,
        setting: Setting,
        ask: Ask,
        candidates: list[list[Table]],
        now: datetime,
        *,
        table: Table | None,
        exclude_id: int | None = None,
        **kwargs: Any,
    ) -> Reservation:
        try:
            placed = await place(setting, ask, candidates, exclude_id=exclude_id, **kwargs)
        except PacedOut:
            placed = None
        if placed is None:
            raise await unavailable(setting, ask, now, exclude_id=exclude_id, table=table)
        return placed

    async def _known_guest(self, setting: Setting, request: BookingRequest, guest: Guest | None) -> Guest | None:
        """The guest given by object or id (checked to be this restaurant's); None when ``request.guest``
        describes one to find or create later (``ValidationError`` when nothing identifies a guest)."""
        rid = setting.restaurant.id
        if guest is not None:
            if guest.restaurant_id != rid:
                raise NotFound("That guest was not found.", details={"guestId": guest.id})
            return guest
        if request.guest_id is not None:
            found = await reads.guest(rid, guest_id=request.guest_id)
            if found is None:
                raise NotFound(f"Guest #{request.guest_id} was not found.", details={"guestId": request.guest_id})
            return found
        if request.guest is None or not (request.guest.name or "").strip():
            raise ValidationError("A booking needs a guest: a guest id, or a name.", details={"field": "guest"})
        return None

    async def _new_guest(self, setting: Setting, given: GuestInput | None) -> Guest:
        """Find the guest by phone or e-mail, or create them (a name alone always makes a new guest record)."""
        assert given is not None
        rid = setting.restaurant.id
        if not given.phone and not given.email:  # nothing to recognise them by
            values: dict[str, Any] = {k: v for k, v in {"email": given.email, "language": given.language}.items() if v}
            return await Guest.create(restaurant_id=rid, name=given.name.strip(), **values)
        return await find_or_create_guest(
            rid,
            name=given.name,
            phone=given.phone,
            email=given.email,
            language=given.language,
            default_region=region_of(setting.restaurant.phone),
        )


def _not_found(reservation_id: int) -> NotFound:
    return NotFound(f"Reservation #{reservation_id} was not found.", details={"reservationId": reservation_id})


def _actor(guest_id: int | None) -> Actor:
    return Actor.GUEST if guest_id is not None else Actor.STAFF
