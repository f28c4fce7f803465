"""A freed table is held for a waiting party only at a time the restaurant's booking rules allow: never
sooner than its minimum notice."""

from __future__ import annotations

import datetime as dt

from core.booking import waitlist_texts as texts
from core.booking.waitlist import Waitlist, WaitlistInput
from core.models import Reservation, WaitlistEntry, WaitlistStatus
from tests.core.booking.helpers import DAY, make_restaurant, make_service, make_tables

#: 19:00 in London on DAY.
SEVEN = dt.datetime(2026, 6, 2, 18, 0, tzinfo=dt.UTC)


async def test_a_hold_respects_the_minimum_notice(db):
    r = await make_restaurant(min_notice_minutes=45, slot_interval_minutes=15)
    await make_tables(r, ("T1", 1, 4))
    waitlist = Waitlist(make_service(SEVEN))
    day = dt.date.fromisoformat(DAY)
    soon = await waitlist.add(r.id, WaitlistInput(2, day, dt.time(19, 15), dt.time(19, 30), name="Soon"))
    assert await waitlist.offer_freed(texts) == 0  # 19:15 and 19:30 are inside the 45 minutes' notice
    assert (await WaitlistEntry.get(id=soon.id)).status == WaitlistStatus.WAITING
    assert await Reservation.filter(restaurant_id=r.id).count() == 0

    later = await waitlist.add(r.id, WaitlistInput(2, day, dt.time(19, 30), dt.time(20, 30), name="Later"))
    assert await waitlist.offer_freed(texts) == 1
    offered = await WaitlistEntry.get(id=later.id)
    hold = await Reservation.get(id=offered.reservation_id)
    assert (offered.status, f"{hold.time:%H:%M}") == (WaitlistStatus.OFFERED, "19:45")  # the first time allowed
