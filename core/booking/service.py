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

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from core.booking import reads
from core.booking.availability import Ask, Setting, load_setting, resolve
from core.booking.chosen_tables import chosen_tables
from core.booking.commands import BookingRequest, GuestInput, ReservationChanges, changed_ask
from core.booking.guards import GUARDED, guard_staff_tap
from core.booking.guests import find_or_create_guest, region_of, returning_guest
from core.booking.notify import diff, publish_reservation
from core.booking.placement import Write, place, unavailable
from core.booking.planning import Options, plan_move, plan_new
from core.booking.states import ensure_active, ensure_transition, parse_status
from core.booking.tags import clean_tags
from core.booking.views import ReservationView, reservation_view, table_ids
from core.booking.writes import ChangeStatus, CreateBooking, MoveBooking, fetch_reservation
from core.clock import utcnow
from core.errors import NotFound, ValidationError
from core.events import (
    RESERVATION_CANCELED,
    RESERVATION_CREATED,
    RESERVATION_STATUS_CHANGED,
    RESERVATION_UPDATED,
    Actor,
    EventBus,
)
from core.jsontypes import JSONObject
from core.models import ACTIVE_STATUSES, Guest, Reservation, ReservationStatus

__all__ = ["BookingRequest", "BookingService", "GuestInput", "ReservationChanges"]

S = ReservationStatus


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
        return await fetch_reservation(restaurant_id, reservation_id, guest_id=guest_id)

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
        status = _new_status(request.status)
        tags = clean_tags(request.tags)
        # The reads and, for a guest already known, the placement's transaction share one pooled connection.
        async with reads.pinned():
            setting = await load_setting(restaurant_id)
            known = await self._known_guest(setting, request, guest)
            walk_in = status == S.SEATED
            chosen = chosen_tables(setting, request.chosen_ids())
            when = (request.date, request.time, request.guests, request.duration, None if walk_in else now)
            ask = resolve(setting, *when, seatable=chosen is None)
            options = await plan_new(setting, ask, chosen)
            if not options.candidates:
                raise await unavailable(setting, ask, now, tables=options.tables)
            if known is None and request.guest is not None and request.guest.phone:
                known = await returning_guest(restaurant_id, request.guest, region_of(setting.restaurant.phone))
            reservation = None
            if known is not None:
                booking = _new_booking(restaurant_id, request, known, ask, status, tags, now, actor)
                reservation = await _place(setting, options, booking, now)
        if reservation is None:  # a new guest is created through the ORM, off the pinned connection
            who = await self._new_guest(setting, request.guest)
            async with reads.pinned():
                booking = _new_booking(restaurant_id, request, who, ask, status, tags, now, actor)
                reservation = await _place(setting, options, booking, now)
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
            return await self._transition(
                restaurant_id,
                reservation_id,
                target,
                guest_id=guest_id,
                actor=actor,
                confirm_seating=changes.confirm_seating,
            )
        current = await self.get(restaurant_id, reservation_id, guest_id=guest_id)
        if target is not None and (actor or _actor(guest_id)) == Actor.STAFF:
            await guard_staff_tap(current, target, self.clock(), confirm_seating=changes.confirm_seating)
        changes = await _keeping_hand_placement(current, changes)
        move = await self._planned_move(current, changes, target)
        if move is None:  # nothing but perhaps the status changes
            return await self._status_only(current, target, guest_id=guest_id, actor=actor)
        before = reservation_view(current)
        moved_from = None if move.status is None else S(current.status)
        if move.relocates:
            reservation = await self._relocate(move, changes.chosen_ids(), table_ids(current))
        else:
            reservation = await move.write_comments()
        await self._publish_update(before, reservation, moved_from, actor or _actor(guest_id), move.now)
        return reservation

    async def _status_only(
        self, current: Reservation, target: ReservationStatus | None, *, guest_id: int | None, actor: Actor | None
    ) -> Reservation:
        """``current`` moved to ``target`` (as :meth:`set_status`), or unchanged without a target."""
        if target is None or target == current.status:
            return current
        return await self._transition(current.restaurant_id, current.id, target, guest_id=guest_id, actor=actor)

    async def _planned_move(
        self, current: Reservation, changes: ReservationChanges, target: ReservationStatus | None
    ) -> MoveBooking | None:
        """What ``changes`` make of the active reservation ``current`` (None when neither its place nor its
        comments change); ``InvalidTransition`` when it is no longer active or cannot take ``target``."""
        now = self.clock()
        status = _status_move(current, target)
        setting = await load_setting(current.restaurant_id)
        ask = changed_ask(setting, current, changes, now)
        comments, tags = _notes(current, changes)
        relocates = ask is not None or _table_changes(changes, table_ids(current))
        if not relocates and (comments, tags) == (current.comments, list(current.tags or [])):
            return None
        if ask is None:  # only the tables and/or comments change: keep time, party and duration
            kept = (current.date, current.time, current.guests, current.duration, None)
            ask = resolve(setting, *kept, seatable=False)
        return MoveBooking(setting, current, ask, comments, tags, status, now, relocates)

    async def _relocate(self, move: MoveBooking, chosen_ids: list[int] | None, held: list[int]) -> Reservation:
        """Place the moved reservation: the tables staff chose, else the tables it holds when they still
        do, else the best free option; ``SlotUnavailable`` when none is free."""
        setting, ask = move.setting, move.ask
        chosen = chosen_tables(setting, chosen_ids)
        options = await plan_move(setting, ask, chosen, move.current.id, held)
        if not options.candidates:
            raise await unavailable(setting, ask, move.now, exclude_id=move.current.id, tables=chosen)
        return await _place(setting, options, move, move.now)

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
        confirm_seating: bool = False,
    ) -> Reservation:
        """Move the reservation along the state machine (module docstring) and publish
        ``reservation.status_changed`` (``reservation.canceled`` for a cancellation), with
        ``changes = {"status": {"from", "to"}}``. ``InvalidTransition`` for a move not allowed,
        ``ValidationError`` for an unknown status. ``guest_id`` restricts it to that guest's
        reservations (a guest confirming from a reminder); ``actor`` defaults to the guest
        with ``guest_id``, else staff (the worker passes ``Actor.SYSTEM``). Staff's moves pass the host stand's
        guards (:mod:`core.booking.guards`): ``Conflict`` ``no_show_too_early``, or ``confirm_seating`` unless
        ``confirm_seating`` is true."""
        return await self._transition(
            restaurant_id,
            reservation_id,
            parse_status(status),
            guest_id=guest_id,
            actor=actor,
            confirm_seating=confirm_seating,
        )

    async def _transition(
        self,
        restaurant_id: int,
        reservation_id: int,
        target: ReservationStatus,
        *,
        guest_id: int | None = None,
        actor: Actor | None = None,
        confirm_seating: bool = False,
    ) -> Reservation:
        if target in GUARDED and (actor or _actor(guest_id)) == Actor.STAFF:
            current = await self.get(restaurant_id, reservation_id, guest_id=guest_id)
            await guard_staff_tap(current, target, self.clock(), confirm_seating=confirm_seating)
        done = await ChangeStatus(restaurant_id, reservation_id, target, guest_id, self.clock()).run()
        if done.changed:
            await self._publish_status(done.reservation, done.old, actor or _actor(guest_id), self.clock())
        return done.reservation

    async def _publish_update(
        self,
        before: ReservationView,
        reservation: Reservation,
        old_status: ReservationStatus | None,
        actor: Actor,
        at: datetime,
    ) -> None:
        """Publish ``reservation.updated`` with what changed since ``before`` (its view), then the
        status event when its status moved (from ``old_status``; None when it did not move); history stamped ``at``."""
        updated = diff(before, reservation_view(reservation))
        await publish_reservation(self.bus, RESERVATION_UPDATED, reservation, changes=updated, actor=actor, at=at)
        if old_status is not None:
            await self._publish_status(reservation, old_status, actor, at)

    async def _publish_status(
        self, reservation: Reservation, old: ReservationStatus, actor: Actor, at: datetime
    ) -> None:
        """Publish ``reservation.status_changed`` (``reservation.canceled`` for a cancellation) for the move
        from ``old`` to the reservation's status."""
        new = S(reservation.status)
        kind = RESERVATION_CANCELED if new == S.CANCELED else RESERVATION_STATUS_CHANGED
        changes: JSONObject = {"status": {"from": str(old), "to": str(new)}}
        await publish_reservation(self.bus, kind, reservation, changes=changes, actor=actor, at=at)

    async def record_reminder(self, restaurant_id: int, reservation_id: int, minutes: int) -> None:
        """Note that a reminder ``minutes`` before the start was sent: the seed's ``confirmation_2h``
        for one at least two hours ahead, ``confirmation_1h`` for a later one. No event: the
        reservation itself did not change."""
        flag = "confirmation_2h" if minutes >= 120 else "confirmation_1h"
        await Reservation.filter(restaurant_id=restaurant_id, id=reservation_id).update(**{flag: True})

    # --- helpers ----------------------------------------------------------------------------

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


def _new_status(value: ReservationStatus | str) -> ReservationStatus:
    """The status of a new reservation: created, confirmed or seated (``ValidationError`` otherwise)."""
    status = parse_status(value)
    if status not in ACTIVE_STATUSES:
        raise ValidationError("A new reservation must be created, confirmed or seated.", details={"field": "status"})
    return status


def _new_booking(
    restaurant_id: int,
    request: BookingRequest,
    guest: Guest,
    ask: Ask,
    status: ReservationStatus,
    tags: list[str],
    now: datetime,
    actor: Actor,
) -> CreateBooking:
    """The write of ``request`` for ``guest``, first recorded as ``reservation.created`` by ``actor``."""
    comments = (request.comments or "").strip() or None
    history = (RESERVATION_CREATED, actor)
    return CreateBooking(restaurant_id, guest, ask, status, comments, request.source, now, history, tags)


async def _keeping_hand_placement(current: Reservation, changes: ReservationChanges) -> ReservationChanges:
    """A party staff placed by hand on fewer seats than it has keeps those tables when it moves (as if chosen
    again), unless other tables are chosen: the engine alone would refuse such a party."""
    if changes.chosen_ids() is not None or not changes.changes_place():
        return changes
    setting = await load_setting(current.restaurant_id)
    held = table_ids(current)
    seats = sum(t.max_guests for t in (setting.table(i) for i in held) if t is not None)
    return replace(changes, table_ids=held) if held and seats < current.guests else changes


def _status_move(current: Reservation, target: ReservationStatus | None) -> ReservationStatus | None:
    """The status an active reservation moves to along with other changes (None when it stays);
    ``InvalidTransition`` when it is no longer active or cannot become ``target``."""
    ensure_active(current)
    if target is None or target == current.status:
        return None
    ensure_transition(S(current.status), target)
    return target


def _notes(current: Reservation, changes: ReservationChanges) -> tuple[str | None, list[str]]:
    """The comments and tags after ``changes`` (the current ones where they say nothing)."""
    comments = current.comments if changes.comments is None else (changes.comments.strip() or None)
    tags = list(current.tags or []) if changes.tags is None else clean_tags(changes.tags)
    return comments, tags


def _table_changes(changes: ReservationChanges, held: list[int]) -> bool:
    """True when staff chose tables other than those the reservation holds: ``table_ids`` exactly (another
    main one, or other tables), one ``table_id`` when it is not the main one."""
    if changes.table_ids:
        return changes.table_ids[:1] != held[:1] or set(changes.table_ids) != set(held)
    return changes.table_id is not None and changes.table_id not in held[:1]


async def _place(setting: Setting, options: Options, command: Write, now: datetime) -> Reservation:
    """Place ``command`` on the first free option; ``SlotUnavailable`` with alternatives when none is free
    (or pacing is full)."""
    placed = await place(setting, options, command)
    if placed.reservation is None:
        raise await unavailable(setting, command.ask, now, exclude_id=command.exclude_id, tables=options.tables)
    return placed.reservation


def _actor(guest_id: int | None) -> Actor:
    return Actor.GUEST if guest_id is not None else Actor.STAFF
