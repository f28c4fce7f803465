"""No double booking under concurrency, on PostgreSQL: 50 simultaneous bookings.

Each ``create`` runs in its own task; Tortoise's connection pool (5 by default) makes
them queue for connections, and the row locks and exclusion constraints do the rest.
"""

from __future__ import annotations

import asyncio

from core.booking.service import BookingRequest, ReservationChanges
from core.errors import SlotUnavailable
from core.models import Guest, Reservation, ReservationTable
from tests.core.booking.helpers import DAY, book, make_restaurant, make_service, make_tables, overlapping_allocations

N = 50


async def _guests(restaurant_id: int, n: int) -> list[Guest]:
    return [
        await Guest.create(restaurant_id=restaurant_id, name=f"Guest {i}", phone=f"+4477009{i:05d}") for i in range(n)
    ]


async def test_fifty_guests_race_for_the_last_free_table(pg_db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4), ("T2", 1, 4), ("T3", 1, 4))
    service = make_service()
    for _ in range(2):
        await book(service, r, "19:00")
    guests = await _guests(r.id, N)
    tasks = [
        asyncio.create_task(service.create(r.id, BookingRequest(date=DAY, time="19:00", guests=2, guest_id=g.id)))
        for g in guests
    ]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    won = [x for x in results if isinstance(x, Reservation)]
    lost = [x for x in results if isinstance(x, SlotUnavailable)]
    odd = [x for x in results if not isinstance(x, Reservation | SlotUnavailable)]
    assert (len(won), len(lost)) == (1, N - 1), odd
    assert all(x.details["alternatives"] for x in lost)
    nearest = [{"date": DAY, "time": "17:00"}, {"date": DAY, "time": "21:00"}]  # equally near: earlier first
    assert all(x.details["alternatives"][:2] == nearest for x in lost)
    assert await Reservation.filter(restaurant_id=r.id).count() == 3
    assert await overlapping_allocations(r.id) == []


async def test_fifty_guests_at_once_on_fifty_free_tables_all_succeed(pg_db):
    r = await make_restaurant()
    tables = await make_tables(r, *[(f"T{i}", 1, 4) for i in range(N)])
    service = make_service()
    guests = await _guests(r.id, N)
    tasks = [
        asyncio.create_task(service.create(r.id, BookingRequest(date=DAY, time="19:00", guests=2, guest_id=g.id)))
        for g in guests
    ]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(x, Reservation) for x in results), [x for x in results if not isinstance(x, Reservation)]
    assert sorted(x.table_id for x in results) == sorted(t.id for t in tables)
    assert await overlapping_allocations(r.id) == []
    # one more finds nothing: every table is held
    again = await asyncio.gather(book(service, r, "19:30"), return_exceptions=True)
    assert isinstance(again[0], SlotUnavailable)


async def test_fifty_explicit_tables_at_once_all_succeed(pg_db):
    r = await make_restaurant()
    tables = await make_tables(r, *[(f"T{i}", 1, 4) for i in range(N)])
    service = make_service()
    guests = await _guests(r.id, N)
    results = await asyncio.gather(
        *[
            asyncio.create_task(
                service.create(r.id, BookingRequest(date=DAY, time="19:00", guests=2, guest_id=g.id, table_id=t.id))
            )
            for g, t in zip(guests, tables, strict=True)
        ],
        return_exceptions=True,
    )
    assert [x.table_id for x in results] == [t.id for t in tables]
    assert await ReservationTable.filter(restaurant_id=r.id, active=True).count() == N


async def test_pacing_holds_under_concurrency(pg_db):
    r = await make_restaurant(pacing_max_covers=6)
    await make_tables(r, *[(f"T{i}", 1, 4) for i in range(20)])
    service = make_service()
    guests = await _guests(r.id, 20)
    results = await asyncio.gather(
        *[
            asyncio.create_task(service.create(r.id, BookingRequest(date=DAY, time="19:00", guests=2, guest_id=g.id)))
            for g in guests
        ],
        return_exceptions=True,
    )
    assert sum(isinstance(x, Reservation) for x in results) == 3
    assert sum(isinstance(x, SlotUnavailable) for x in results) == 17


async def test_concurrent_moves_into_one_free_table(pg_db):
    r = await make_restaurant()
    await make_tables(r, ("T1", 1, 4))
    service = make_service()
    bookings = [await book(service, r, t) for t in ("12:00", "14:00", "16:00", "18:00", "20:00")]
    await service.cancel(r.id, bookings[-1].id)  # 20:00-22:00 is free again
    results = await asyncio.gather(
        *[
            asyncio.create_task(service.modify(r.id, b.id, ReservationChanges(time="20:30", duration=90)))
            for b in bookings[:4]
        ],
        return_exceptions=True,
    )
    assert sum(isinstance(x, Reservation) for x in results) == 1
    assert sum(isinstance(x, SlotUnavailable) for x in results) == 3
    assert await overlapping_allocations(r.id) == []
