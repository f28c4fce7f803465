"""Where a booking came from (``Reservation.source``), where a rule depends on it.

The channels set their own source (``webchat``, ``telegram``...); staff bookings are ``staff`` unless the
API caller says otherwise. A walk-in (:data:`WALK_IN`) is seated at once: nothing is sent for it, so
whatever confirms, reminds or notifies guests skips it (:func:`is_walk_in`). Importing this module pulls in
nothing else, so plugins may use it freely.
"""

from __future__ import annotations

#: The source of a walk-in reservation (seated now, see :mod:`core.booking.walkin`).
WALK_IN = "walk_in"


def is_walk_in(source: str | None) -> bool:
    """True for the source of a walk-in: no confirmation, reminder or notice is sent for it."""
    return source == WALK_IN
