"""No double booking under concurrency, on PostgreSQL: 50 simultaneous bookings.

Each ``create`` runs in its own task; Tortoise's connection pool (5 by default) makes
them queue for connections, and the row locks and exclusion constraints do the rest.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tortoise.transactions import in_transaction

from core.booking.placement import is_exclusion_violation
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


async def test_hand_combined_tables_raced_for_are_given_once(pg_db):
    """Twenty hosts at once put a party of 10 on T1+T2 or on T2+T3 (8 seats: over capacity, so only the
    tables being taken can refuse): one wins, every other one is refused, no table is held twice."""
    r = await make_restaurant()
    t1, t2, t3 = await make_tables(r, ("T1", 1, 4), ("T2", 1, 4), ("T3", 1, 4))
    service = make_service()
    guests = await _guests(r.id, 20)
    combos = [[t1.id, t2.id], [t2.id, t3.id]]
    results = await asyncio.gather(
        *[
            asyncio.create_task(
                service.create(
                    r.id, BookingRequest(date=DAY, time="19:00", guests=10, guest_id=g.id, table_ids=combos[i % 2])
                )
            )
            for i, g in enumerate(guests)
        ],
        return_exceptions=True,
    )
    won = [x for x in results if isinstance(x, Reservation)]
    assert len(won) == 1 and sum(isinstance(x, SlotUnavailable) for x in results) == 19, results
    assert await ReservationTable.filter(restaurant_id=r.id, active=True).count() == 2
    assert await overlapping_allocations(r.id) == []


async def test_the_database_refuses_a_combined_table_double_booked_behind_the_engines_back(pg_db):
    """Two writers that skip the engine's locks and re-checks put two reservations on T1+T2 and T2+T3 at the
    same time, concurrently: PostgreSQL's exclusion constraint lets exactly one commit."""
    r = await make_restaurant()
    t1, t2, t3, t4 = await make_tables(r, ("T1", 1, 4), ("T2", 1, 4), ("T3", 1, 4), ("T4", 1, 4))
    service = make_service()
    first = await book(service, r, "12:00", table_ids=[t4.id])
    second = await book(service, r, "15:00", table_ids=[t4.id])
    at = await ReservationTable.filter(reservation_id=first.id).first()
    assert at is not None
    start = at.starts_at + timedelta(hours=7)  # 19:00, where nothing is booked

    async def hold(reservation: Reservation, tables: list[int]) -> None:
        async with in_transaction():
            for table_id in tables:
                await ReservationTable.create(
                    reservation_id=reservation.id,
                    table_id=table_id,
                    restaurant_id=r.id,
                    starts_at=start,
                    blocked_until=start + timedelta(hours=2),
                    active=True,
                )
                await asyncio.sleep(0)  # let the other writer interleave

    results = await asyncio.gather(hold(first, [t1.id, t2.id]), hold(second, [t2.id, t3.id]), return_exceptions=True)
    refused = [x for x in results if isinstance(x, BaseException)]
    assert len(refused) == 1 and is_exclusion_violation(refused[0]), results
    assert await ReservationTable.filter(restaurant_id=r.id, table_id=t2.id, starts_at=start).count() == 1
    assert await overlapping_allocations(r.id) == []
