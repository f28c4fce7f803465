"""POST /api/timeslots/generate {days} -> {created};
GET /api/timeslots/stats?date= -> {total, free, pending, occupied}."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.api.bookkit import DAY, TODAY, book, make_restaurant
from tests.api.helpers import CSRF, add_staff, bearer, create_token, login

if TYPE_CHECKING:
    from quart.testing import QuartClient

SLOTS_A_DAY = 3 * 44  # three tables, 12:00-23:00 in 15-minute steps


async def _generate(client: QuartClient, days: int, headers: dict[str, str] | None = None, expect: int = 201) -> Any:
    response = await client.post("/api/timeslots/generate", json={"days": days}, headers=headers or CSRF)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def _stats(client: QuartClient, query: str = f"?date={DAY}") -> Any:
    response = await client.get(f"/api/timeslots/stats{query}")
    assert response.status_code == 200, await response.get_data(as_text=True)
    return await response.get_json()


async def test_generate_is_idempotent(place):
    assert await _generate(place.client, 2) == {"created": 2 * SLOTS_A_DAY}
    assert await _generate(place.client, 2) == {"created": 0}
    assert await _generate(place.client, 3) == {"created": SLOTS_A_DAY}


async def test_stats_follow_the_reservations(place):
    await _generate(place.client, 3)
    assert await _stats(place.client) == {"total": SLOTS_A_DAY, "free": SLOTS_A_DAY, "pending": 0, "occupied": 0}
    made = await book(place.client, tableId=place.table_ids[0], duration=60)  # 19:00-20:00: four slots
    assert await _stats(place.client) == {"total": SLOTS_A_DAY, "free": SLOTS_A_DAY - 4, "pending": 4, "occupied": 0}
    await place.client.patch(f"/api/reservations/{made['id']}", json={"status": "confirmed"}, headers=CSRF)
    assert (await _stats(place.client))["occupied"] == 4
    await place.client.post(f"/api/booking/cancel/{made['id']}", headers=CSRF)
    assert (await _stats(place.client))["free"] == SLOTS_A_DAY


async def test_stats_default_to_the_restaurants_today(place):
    await _generate(place.client, 1)
    assert (await _stats(place.client, ""))["total"] == SLOTS_A_DAY
    assert (await _stats(place.client, f"?date={DAY}"))["total"] == 0


async def test_refusals(booking_app, place):
    for body in ({"days": 0}, {"days": 1000}, {"days": "many"}):
        response = await place.client.post("/api/timeslots/generate", json=body, headers=CSRF)
        assert response.status_code == 400
        assert (await response.get_json())["message"] == "Validation error"
    response = await place.client.post(
        "/api/timeslots/generate", data="{", headers={**CSRF, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert (await place.client.get("/api/timeslots/stats?date=2026-02-30")).status_code == 400
    anonymous = booking_app.test_client()
    assert (await anonymous.post("/api/timeslots/generate", json={"days": 1}, headers=CSRF)).status_code == 401
    assert (await anonymous.get("/api/timeslots/stats")).status_code == 401
    assert (await place.client.post("/api/timeslots/generate", json={"days": 1})).status_code == 403  # no CSRF


async def test_staff_may_read_but_not_generate(booking_app, place):
    staff = await add_staff(place.client)
    staff_client = booking_app.test_client()
    await login(staff_client, staff["email"])
    response = await staff_client.post("/api/timeslots/generate", json={"days": 1}, headers=CSRF)
    assert response.status_code == 403
    await _generate(place.client, 1)
    assert (await _stats(staff_client, ""))["total"] == SLOTS_A_DAY


async def test_only_the_callers_restaurant(booking_app, place):
    other = await make_restaurant(booking_app)
    token = (await create_token(other.client))["token"]
    assert await _generate(booking_app.test_client(), 1, headers=bearer(token)) == {"created": SLOTS_A_DAY}
    assert (await _stats(place.client, f"?date={TODAY}"))["total"] == 0
    await _generate(place.client, 1)
    assert (await _stats(place.client, f"?date={TODAY}"))["total"] == SLOTS_A_DAY


async def test_the_largest_generation_is_capped_and_leaves_the_event_loop_free(booking_app):
    import asyncio

    from core.booking.timeslots import MAX_DAYS

    big = await make_restaurant(booking_app, tables=tuple((2, 4) for _ in range(60)))
    assert (
        await big.client.post("/api/timeslots/generate", json={"days": MAX_DAYS + 1}, headers=CSRF)
    ).status_code == 400
    heavy = asyncio.ensure_future(_generate(big.client, MAX_DAYS))  # 60 tables x 92 days x 44 starts
    await asyncio.sleep(0.05)  # the request is under way
    probe = booking_app.test_client()
    answered = [(await probe.get("/healthz")).status_code for _ in range(3)]
    assert answered == [200, 200, 200] and not heavy.done()  # answered while the generation still runs
    assert await heavy == {"created": 60 * MAX_DAYS * 44}
