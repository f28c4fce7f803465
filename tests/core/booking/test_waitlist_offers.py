"""Offering freed tables to the waiting parties: never sooner than the restaurant's minimum notice, and in
their order even while another process is in the middle of an offer."""

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


async def test_the_next_party_waits_while_another_process_is_offering_to_the_first(db):
    """Two workers hear one cancellation. One has claimed the first party and is writing its hold; the other
    must not give the table to the second party meanwhile (first come, first served across processes)."""
    r = await make_restaurant(min_notice_minutes=0)
    await make_tables(r, ("T1", 1, 4))
    now = SEVEN - dt.timedelta(hours=3)
    waitlist = Waitlist(make_service(now))
    day = dt.date.fromisoformat(DAY)
    first = await waitlist.add(r.id, WaitlistInput(2, day, dt.time(20, 0), dt.time(20, 0), name="First"))
    second = await waitlist.add(r.id, WaitlistInput(2, day, dt.time(20, 0), dt.time(21, 0), name="Second"))
    # What the other worker's claim leaves while it writes the hold: offered, no reservation yet.
    await WaitlistEntry.filter(id=first.id).update(status=WaitlistStatus.OFFERED, offer_round=1, offered_at=now)
    assert await waitlist.offer_freed(texts) == 0
    assert (await WaitlistEntry.get(id=second.id)).status == WaitlistStatus.WAITING
    assert await Reservation.filter(restaurant_id=r.id).count() == 0

    # Had that worker died there, recovery puts the first party back in line once its claim is stale, and the
    # table goes to it, not to the second.
    later = Waitlist(make_service(now + dt.timedelta(minutes=1)))
    assert await later.recover(texts) == 1
    assert await later.offer_freed(texts) == 1
    assert (await WaitlistEntry.get(id=first.id)).status == WaitlistStatus.OFFERED
    assert (await WaitlistEntry.get(id=second.id)).status == WaitlistStatus.WAITING
