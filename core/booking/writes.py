"""The writes of the booking service as commands: what one booking transaction writes.

:class:`CreateBooking` and :class:`MoveBooking` are the two writes :func:`core.booking.placement.place`
puts on the tables it locked (they implement :class:`core.booking.placement.Write`); :class:`ChangeStatus`
moves a reservation along the state machine and needs no tables. Each runs inside the transaction its
caller opened and returns the reservation with guest, table and allocations fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.booking.availability import Ask, Setting
from core.booking.placement import write_lock
from core.booking.states import ensure_active, ensure_transition
from core.errors import NotFound
from core.models import ACTIVE_STATUSES, Guest, Reservation, ReservationStatus, ReservationTable, Table
from core.storage import storage
from core.storage.base import NewBooking
from core.storage.orm import in_transaction
from core.storage.rows import allocate, timeslot_id

S = ReservationStatus


def not_found(reservation_id: int) -> NotFound:
    """The error for a reservation that is not the restaurant's (or not the guest's)."""
    return NotFound(f"Reservation #{reservation_id} was not found.", details={"reservationId": reservation_id})


async def fetch_reservation(restaurant_id: int, reservation_id: int, *, guest_id: int | None = None) -> Reservation:
    """The reservation with guest, table and allocations fetched. ``NotFound`` when it is not this
    restaurant's or, with ``guest_id``, not that guest's."""
    query = Reservation.filter(restaurant_id=restaurant_id, id=reservation_id)
    if guest_id is not None:
        query = query.filter(guest_id=guest_id)
    found = await query.select_related("guest", "table").prefetch_related("allocations").first()
    if found is None:
        raise not_found(reservation_id)
    return found


async def write_status(
    restaurant_id: int, reservation_id: int, old: ReservationStatus, target: ReservationStatus, now: datetime
) -> None:
    """Move the reservation's row from ``old`` to ``target`` (checked by the caller); leaving the active
    statuses frees its tables. An archived reservation remembers how it ended (``archived_from``), so
    the guest's visit and no-show counts keep it."""
    archived = {"archived_from": str(old)} if target == S.ARCHIVED else {}
    await Reservation.filter(restaurant_id=restaurant_id, id=reservation_id).update(
        status=target, updated_at=now, **archived
    )
    if target not in ACTIVE_STATUSES:
        await ReservationTable.filter(restaurant_id=restaurant_id, reservation_id=reservation_id).update(active=False)


# --- create -------------------------------------------------------------------------------------


@dataclass
class CreateBooking:
    """A new reservation of ``guest`` at ``ask``, written with its first history entry ``(event type, actor)``.
    Its write re-checks the overlap itself (in the statement that writes, on PostgreSQL) and runs on the
    connection :func:`core.booking.reads.pinned` holds."""

    restaurant_id: int
    guest: Guest
    ask: Ask
    status: ReservationStatus
    comments: str | None
    source: str | None
    created_at: datetime
    history: tuple[str, str]
    tags: list[str]

    exclude_id: int | None = None
    checks_clash: bool = True
    uses_orm: bool = False

    async def lock(self) -> None:
        """Nothing to lock before the tables: the reservation does not exist yet."""

    async def write(self, tables: list[Table]) -> Reservation | None:
        """The new reservation on ``tables`` (the first is the main one), None when they are taken."""
        return await insert_booking(
            self.restaurant_id,
            self.guest,
            tables,
            self.ask,
            status=self.status,
            comments=self.comments,
            source=self.source,
            created_at=self.created_at,
            history=self.history,
            tags=self.tags,
        )


async def insert_booking(
    restaurant_id: int,
    guest: Guest,
    tables: list[Table],
    ask: Ask,
    *,
    status: ReservationStatus,
    comments: str | None,
    source: str | None,
    created_at: datetime | None = None,
    history: tuple[str, str] | None = None,
    tags: list[str] | None = None,
) -> Reservation | None:
    """Write a new reservation on ``tables`` (the first is the main one) with the timeslot of the main
    table at its local date and time (if generated) and its allocations (:func:`allocate`), unless an
    active allocation overlaps on one of them (then None). Returns it as written, with guest, table and
    allocations attached, without reading it back. Run it inside the attempt's transaction, after
    locking the tables. ``created_at`` is the booking service's clock (reminders compare it with their
    moments), else the current time. ``history`` ``(event type, actor)``: the reservation's first
    history entry, written with it (in the same statement on PostgreSQL) instead of by
    :func:`core.booking.notify.publish_reservation` after the commit. ``tags`` are already cleaned
    (:func:`core.booking.tags.clean_tags`)."""
    return await storage().insert_booking(
        NewBooking(restaurant_id, guest, tables, ask, status, comments, source, created_at, history, list(tags or []))
    )


# --- move ---------------------------------------------------------------------------------------


@dataclass
class MoveBooking:
    """Put an active reservation at ``ask`` (new date, time, party, duration or tables) with ``comments`` and ``tags``,
    and move its status to ``status`` in the same transaction (None: the status stays). When it does not
    relocate, only the comments change (:meth:`write_comments`). Runs through the
    ORM: it first locks the reservation's row and checks, under that lock, that it may still change."""

    setting: Setting
    current: Reservation
    ask: Ask
    comments: str | None
    tags: list[str]
    status: ReservationStatus | None
    now: datetime
    #: True when its place changes (date, time, party, duration or tables), not only its comments.
    relocates: bool = True

    checks_clash: bool = False
    uses_orm: bool = True

    @property
    def restaurant_id(self) -> int:
        """The restaurant of the reservation."""
        return self.setting.restaurant.id

    @property
    def exclude_id(self) -> int | None:
        """The reservation moved: its own allocations do not clash with it."""
        return self.current.id

    async def lock(self) -> None:
        """Lock the reservation's row; ``InvalidTransition`` when it stopped being active or can no longer
        take the status move, ``NotFound`` when it is gone."""
        row = (
            await Reservation.filter(restaurant_id=self.restaurant_id, id=self.current.id)
            .select_for_update(no_key=True)
            .first()
        )
        if row is None:
            raise not_found(self.current.id)
        ensure_active(row)
        if self.status is not None:
            ensure_transition(S(row.status), self.status)

    async def write(self, tables: list[Table]) -> Reservation:
        """The reservation on ``tables`` (the first is the main one) at the new place, read back."""
        rid, ask, current = self.restaurant_id, self.ask, self.current
        values = {
            "table_id": tables[0].id,
            "timeslot_id": await timeslot_id(rid, tables[0].id, ask),
            "date": ask.date,
            "time": ask.time,
            "duration": ask.duration,
            "guests": ask.guests,
            "starts_at": ask.start,
            "ends_at": ask.end,
            "comments": self.comments,
            "tags": self.tags,
        }
        for name, value in values.items():
            setattr(current, name, value)
        await current.save(update_fields=[*values, "updated_at"])  # save(): LocalTimeField needs the instance
        await ReservationTable.filter(restaurant_id=rid, reservation_id=current.id).delete()
        await allocate(current, tables, ask)
        return await self._finish()

    async def write_comments(self) -> Reservation:
        """Only the comments and tags (and perhaps the status) change: its own transaction, no tables to place."""
        async with write_lock(), in_transaction():
            await self.lock()
            await Reservation.filter(restaurant_id=self.restaurant_id, id=self.current.id).update(
                comments=self.comments, tags=self.tags, updated_at=self.now
            )
            return await self._finish()

    async def _finish(self) -> Reservation:
        """Inside the transaction, after the write: the status move, then the reservation read back (so
        once the transaction committed nothing more can fail)."""
        if self.status is not None:
            await write_status(self.restaurant_id, self.current.id, S(self.current.status), self.status, self.now)
        return await fetch_reservation(self.restaurant_id, self.current.id)


# --- status -------------------------------------------------------------------------------------


@dataclass
class StatusChanged:
    """What :class:`ChangeStatus` did: the reservation as it is now and the status it had (equal to its
    current one when nothing changed)."""

    reservation: Reservation
    old: ReservationStatus

    @property
    def changed(self) -> bool:
        """True when the status moved."""
        return self.old != S(self.reservation.status)


@dataclass
class ChangeStatus:
    """Move a reservation to ``target`` along the state machine; setting the current status again changes
    nothing. ``guest_id`` restricts it to that guest's reservations."""

    restaurant_id: int
    reservation_id: int
    target: ReservationStatus
    guest_id: int | None
    now: datetime

    async def run(self) -> StatusChanged:
        """Lock the row, check the move (``InvalidTransition``, ``NotFound``), write it, read it back."""
        async with write_lock(), in_transaction():
            query = Reservation.filter(restaurant_id=self.restaurant_id, id=self.reservation_id)
            if self.guest_id is not None:
                query = query.filter(guest_id=self.guest_id)
            row = await query.select_for_update(no_key=True).first()
            if row is None:
                raise not_found(self.reservation_id)
            old = S(row.status)
            if old != self.target:
                ensure_transition(old, self.target)
                await write_status(self.restaurant_id, row.id, old, self.target, self.now)
            # read before commit: nothing fails after
            return StatusChanged(await fetch_reservation(self.restaurant_id, self.reservation_id), old)
