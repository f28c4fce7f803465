"""The host stand's guards: the status taps a host should not make by mistake.

* A **no-show** cannot be marked before the booking's start plus the restaurant's
  ``no_show_grace_minutes`` (15): the guest may still be parking.
* **Seating** a booking more than ``seating_window_minutes`` (60) before or after its booked start
  asks first: refused with ``409`` code :data:`CONFIRM_SEATING` unless the caller confirms it (the
  dashboard turns the code into a question and sends the change again with ``confirmSeating``).

The booking service applies them (:func:`guard_staff_tap`) to every status move made by staff, whatever the
path (the API, a plugin, the waitlist); the worker's own moves (the lifecycle's no-shows, ``Actor.SYSTEM``)
keep their own timing and guests cannot make these moves.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.booking import reads
from core.errors import Conflict, NotFound
from core.models import Reservation, ReservationStatus, Restaurant

#: The status moves the guards look at.
GUARDED = (ReservationStatus.SEATED, ReservationStatus.NO_SHOW)

#: 409 code: seating this far from the booked start needs ``confirmSeating``.
CONFIRM_SEATING = "confirm_seating"
#: 409 code: a no-show before the start plus the grace.
NO_SHOW_TOO_EARLY = "no_show_too_early"


def check_status_tap(
    reservation: Reservation,
    target: ReservationStatus,
    restaurant: Restaurant,
    now: datetime,
    *,
    confirm_seating: bool = False,
) -> None:
    """Raise ``Conflict`` (code :data:`NO_SHOW_TOO_EARLY` or :data:`CONFIRM_SEATING`, with the minutes in
    ``details``) when staff moving ``reservation`` to ``target`` at ``now`` is a tap to refuse or to ask
    about first; nothing when the status does not change."""
    if target == reservation.status:
        return
    if target == ReservationStatus.NO_SHOW:
        grace = max(0, restaurant.no_show_grace_minutes)
        allowed_from = reservation.starts_at + timedelta(minutes=grace)
        if now < allowed_from:
            raise Conflict(
                f"It is too early for a no-show: the booking starts at {reservation.time:%H:%M}; "
                f"a no-show can be marked from {grace} minutes after the start.",
                code=NO_SHOW_TOO_EARLY,
                details={"allowedFrom": allowed_from.isoformat(), "graceMinutes": grace},
            )
    if target == ReservationStatus.SEATED and not confirm_seating:
        window = max(0, restaurant.seating_window_minutes)
        off = int((now - reservation.starts_at).total_seconds() // 60)
        if abs(off) > window:
            when = f"{-off} minutes before" if off < 0 else f"{off} minutes after"
            raise Conflict(
                f"This booking is for {reservation.time:%H:%M}: seat it now, {when} its time?",
                code=CONFIRM_SEATING,
                details={"minutesFromStart": off, "windowMinutes": window, "field": "confirmSeating"},
            )


async def guard_staff_tap(
    reservation: Reservation, target: ReservationStatus, now: datetime, *, confirm_seating: bool = False
) -> None:
    """:func:`check_status_tap` for staff moving ``reservation`` to ``target``, its restaurant read first (nothing
    to read for a move the guards do not look at)."""
    if target not in GUARDED or target == reservation.status:
        return
    restaurant = await reads.restaurant(reservation.restaurant_id)
    if restaurant is None:
        raise NotFound(f"Restaurant #{reservation.restaurant_id} was not found.")
    check_status_tap(reservation, target, restaurant, now, confirm_seating=confirm_seating)
