"""The host stand's guards live in the booking service: every path that moves a status as staff gets them
(the API, a plugin, the waitlist), the worker's own moves and guests do not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.booking.guards import CONFIRM_SEATING, NO_SHOW_TOO_EARLY
from core.booking.service import ReservationChanges
from core.errors import Conflict
from core.events import Actor
from core.models import Reservation, ReservationStatus
from tests.core.booking.helpers import EVENING, book, make_restaurant, make_service, make_tables

S = ReservationStatus


async def test_staff_status_moves_are_guarded_in_the_service(db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4), ("T2", 1, 4))
    booking = await book(make_service(), r, "19:00")
    early = make_service(EVENING - timedelta(hours=2))  # 17:20: nearly two hours before the booking

    with pytest.raises(Conflict) as seat:
        await early.set_status(r.id, booking.id, S.SEATED)
    assert seat.value.code == CONFIRM_SEATING and seat.value.details["minutesFromStart"] == -100
    with pytest.raises(Conflict) as patched:  # the same through a change that moves the status too
        await early.modify(r.id, booking.id, ReservationChanges(status=S.SEATED, comments="by the window"))
    assert patched.value.code == CONFIRM_SEATING
    with pytest.raises(Conflict) as no_show:
        await early.set_status(r.id, booking.id, S.NO_SHOW)
    assert no_show.value.code == NO_SHOW_TOO_EARLY
    unchanged = await Reservation.get(id=booking.id)
    assert (unchanged.status, unchanged.comments) == (S.CREATED, None)  # a refused tap changes nothing

    # The host answers the question: seated, with the other changes in the same transaction.
    seated = await early.modify(
        r.id, booking.id, ReservationChanges(status=S.SEATED, comments="by the window", confirm_seating=True)
    )
    assert (seated.status, seated.comments) == (S.SEATED, "by the window")

    # The worker's lifecycle keeps its own timing; at 19:20 staff may mark a no-show.
    other = await book(make_service(), r, "19:00")
    late = await book(make_service(), r, "21:00")
    marked = await early.set_status(r.id, other.id, S.NO_SHOW, actor=Actor.SYSTEM)
    assert marked.status == S.NO_SHOW
    evening = make_service(EVENING)
    with pytest.raises(Conflict):
        await evening.set_status(r.id, late.id, S.NO_SHOW)  # 21:00 has not come yet
    assert (await evening.set_status(r.id, late.id, S.CANCELED)).status == S.CANCELED  # not guarded
