"""Correcting a wrong final status: a completed, no-show or canceled booking put back to a live one.

Which corrections exist (:data:`core.booking.states.CORRECTIONS`): completed -> seated (finished by mistake); no_show ->
created, confirmed or seated (the guest came after all); canceled -> created or confirmed (canceled
by mistake). A correction is allowed within the restaurant's ``correction_window_minutes`` (180) of
the status change, and only while the booking's tables are still free: its allocations become active
again, which the database's exclusion constraints refuse if another booking took a table meanwhile
(SQLite: checked under the write lock). The history entry (``reservation.status_changed``) says who
corrected it and why: ``changes = {"status": {from, to}, "correction": {"reason", "by"}}``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from core.booking import reads
from core.booking.notify import publish_reservation
from core.booking.placement import is_exclusion_violation, write_lock
from core.booking.states import CORRECTIONS, corrections_of
from core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from core.events import RESERVATION_STATUS_CHANGED, Actor, EventBus
from core.jsontypes import JSONObject
from core.models import Reservation, ReservationStatus, ReservationTable
from core.storage import storage
from core.storage.base import Held
from core.storage.orm import in_transaction

S = ReservationStatus

#: 409 code: a table of the booking was taken since.
TABLE_TAKEN = "table_taken"
#: 409 code: the correction window has passed.
WINDOW_PASSED = "correction_window_passed"
MAX_REASON = 500


async def correct_status(
    bus: EventBus,
    restaurant_id: int,
    reservation_id: int,
    target: ReservationStatus | str,
    *,
    reason: str,
    by: JSONObject,
    now: datetime,
) -> Reservation:
    """Put the reservation back to ``target`` (see the module docstring) and publish
    ``reservation.status_changed`` as staff with the correction's ``reason`` and ``by`` (who: user id,
    e-mail). ``NotFound``, ``InvalidTransition`` (not a correction), ``Conflict`` (code
    :data:`WINDOW_PASSED` or :data:`TABLE_TAKEN`), ``ValidationError`` (no reason)."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationError(
            f"Say why the status is corrected (1 to {MAX_REASON} characters).", details={"field": "reason"}
        )
    try:
        target = S(target)
    except ValueError:
        raise ValidationError(f"Unknown reservation status {target!r}.", details={"field": "status"}) from None
    restaurant = await reads.restaurant(restaurant_id)
    if restaurant is None:
        raise NotFound("No such restaurant.")
    window = timedelta(minutes=max(0, restaurant.correction_window_minutes))
    try:
        async with write_lock(), in_transaction():
            row = (
                await Reservation.filter(restaurant_id=restaurant_id, id=reservation_id)
                .select_for_update(no_key=True)
                .first()
            )
            if row is None:
                raise NotFound(
                    f"Reservation #{reservation_id} was not found.", details={"reservationId": reservation_id}
                )
            old = S(row.status)
            if target not in CORRECTIONS.get(old, frozenset()):
                allowed = corrections_of(old)
                raise InvalidTransition(
                    f"A {old} reservation cannot be corrected to {target}"
                    + (f"; it can be corrected to {', '.join(allowed)}." if allowed else "."),
                    code="invalid_correction",
                    details={"from": str(old), "to": str(target), "allowed": allowed},
                )
            if row.updated_at is not None and now - row.updated_at > window:
                raise Conflict(
                    f"It is too late to correct this booking: corrections are allowed for "
                    f"{int(window.total_seconds() // 60)} minutes after the status changed.",
                    code=WINDOW_PASSED,
                    details={"windowMinutes": int(window.total_seconds() // 60)},
                )
            held = await _held(restaurant_id, row.id)
            if not held or await storage().reactivation_clashes(restaurant_id, row.id, held):
                raise _taken_error(row.id)
            await ReservationTable.filter(restaurant_id=restaurant_id, reservation_id=row.id).update(active=True)
            await Reservation.filter(restaurant_id=restaurant_id, id=row.id).update(status=target, updated_at=now)
            reservation = (
                await Reservation.filter(restaurant_id=restaurant_id, id=row.id)
                .select_related("guest", "table")
                .prefetch_related("allocations")
                .first()
            )
    except IntegrityError as exc:
        if is_exclusion_violation(exc):
            raise _taken_error(reservation_id) from None
        raise
    assert reservation is not None
    changes: JSONObject = {
        "status": {"from": str(old), "to": str(target)},
        "correction": {"reason": reason, "by": by},
    }
    await publish_reservation(bus, RESERVATION_STATUS_CHANGED, reservation, actor=Actor.STAFF, changes=changes)
    return reservation


async def _held(restaurant_id: int, reservation_id: int) -> list[Held]:
    """The reservation's allocations: ``(table_id, starts_at, blocked_until)``."""
    rows = await ReservationTable.filter(restaurant_id=restaurant_id, reservation_id=reservation_id).values_list(
        "table_id", "starts_at", "blocked_until"
    )
    return [(int(table_id), starts_at, blocked_until) for table_id, starts_at, blocked_until in rows]


def _taken_error(reservation_id: int) -> Conflict:
    return Conflict(
        "Its table is no longer free (another booking took it), so the status cannot be corrected; "
        "book it again instead.",
        code=TABLE_TAKEN,
        details={"reservationId": reservation_id},
    )


__all__ = ["TABLE_TAKEN", "WINDOW_PASSED", "correct_status"]
