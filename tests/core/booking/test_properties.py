"""Property: random sequences of create, modify, cancel and status changes never leave two active
allocations overlapping on one table, and allocations always follow their reservation's status.

Hypothesis drives the examples from a worker thread; each example runs on the test's own event
loop (``run_coroutine_threadsafe``), so the ``db`` fixture's connection is used as is.
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.booking.service import ReservationChanges
from core.errors import DomainError
from core.models import ACTIVE_STATUSES, Reservation, ReservationTable
from tests.core.booking.helpers import book, make_restaurant, make_service, make_tables, overlapping_allocations

TIMES = [f"{h:02d}:{m:02d}" for h in range(17, 21) for m in (0, 15, 30, 45)]  # 17:00 .. 20:45
create = st.tuples(st.just("create"), st.sampled_from(TIMES), st.integers(1, 9), st.sampled_from([None, 60, 90]))
modify = st.tuples(
    st.just("modify"), st.integers(0, 20), st.sampled_from([None, *TIMES]), st.sampled_from([None, 1, 2, 4, 6, 8])
)
cancel = st.tuples(st.just("cancel"), st.integers(0, 20))
status = st.tuples(
    st.just("status"), st.integers(0, 20), st.sampled_from(["confirmed", "seated", "completed", "no_show"])
)
OPS = st.lists(st.one_of(create, create, modify, cancel, status), min_size=1, max_size=12)


async def _scenario(ops: list[tuple]) -> None:
    restaurant = await make_restaurant(buffer_minutes=15)
    await make_tables(restaurant, ("T1", 1, 2), ("T2", 2, 4, True), ("T3", 2, 4, True), ("T4", 1, 6, True))
    service = make_service()
    made: list[int] = []
    for op in ops:
        try:
            if op[0] == "create":
                _, time, guests, duration = op
                made.append((await book(service, restaurant, time, guests, duration=duration)).id)
            elif made and op[0] == "modify":
                _, i, time, guests = op
                await service.modify(restaurant.id, made[i % len(made)], ReservationChanges(time=time, guests=guests))
            elif made and op[0] == "cancel":
                await service.cancel(restaurant.id, made[op[1] % len(made)])
            elif made and op[0] == "status":
                await service.set_status(restaurant.id, made[op[1] % len(made)], op[2])
        except DomainError:
            pass  # refusals are fine; only the invariant matters
        assert await overlapping_allocations(restaurant.id) == [], op
        rows = await Reservation.filter(restaurant_id=restaurant.id).prefetch_related("allocations")
        for reservation in rows:
            flags = {a.active for a in reservation.allocations}
            assert flags == {reservation.status in ACTIVE_STATUSES}, (op, reservation.id)
            assert reservation.table_id in {a.table_id for a in reservation.allocations}
    assert (
        await ReservationTable.filter(restaurant_id=restaurant.id)
        .exclude(reservation__restaurant_id=restaurant.id)
        .count()
        == 0
    )


async def test_random_operations_never_double_book(db):
    loop = asyncio.get_running_loop()

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(ops=OPS)
    def run(ops: list[tuple]) -> None:
        asyncio.run_coroutine_threadsafe(_scenario(ops), loop).result(timeout=120)

    await asyncio.to_thread(run)
