"""GET /api/dashboard/stats and GET /api/dashboard/upcoming (cached, never stale after a write)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tests.api.bookkit import DAY, TODAY, book, make_restaurant
from tests.api.helpers import CSRF, add_staff, bearer, create_token, login

if TYPE_CHECKING:
    from quart.testing import QuartClient

STATS = "/api/dashboard/stats"


async def _stats(client: QuartClient, headers: dict[str, str] | None = None) -> Any:
    response = await client.get(STATS, headers=headers)
    assert response.status_code == 200, await response.get_data(as_text=True)
    return await response.get_json()


async def test_stats_of_an_empty_restaurant(place):
    assert await _stats(place.client) == {
        "todayReservations": 0,
        "confirmedReservations": 0,
        "pendingReservations": 0,
        "totalGuests": 0,
    }


async def test_stats_follow_every_write_at_once(place):
    today = await book(place.client, date=TODAY, time="19:00", guests=4)
    assert await _stats(place.client) == {
        "todayReservations": 1,
        "confirmedReservations": 0,
        "pendingReservations": 1,
        "totalGuests": 4,
    }
    tomorrow = await book(place.client, guests=2)
    await place.client.patch(f"/api/reservations/{tomorrow['id']}", json={"status": "confirmed"}, headers=CSRF)
    assert await _stats(place.client) == {
        "todayReservations": 1,
        "confirmedReservations": 1,
        "pendingReservations": 1,
        "totalGuests": 6,
    }
    await place.client.post(f"/api/booking/cancel/{today['id']}", headers=CSRF)
    assert await _stats(place.client) == {
        "todayReservations": 0,
        "confirmedReservations": 1,
        "pendingReservations": 0,
        "totalGuests": 2,
    }
    await place.client.patch(f"/api/reservations/{tomorrow['id']}", json={"guests": 5}, headers=CSRF)
    assert (await _stats(place.client))["totalGuests"] == 5


async def test_today_is_the_restaurants_own_day(booking_app, clock):
    """At 23:30 UTC on 1 June it is already 2 June in Tokyo."""
    tokyo = await make_restaurant(booking_app, timezone="Asia/Tokyo")
    await book(tokyo.client, date=DAY, time="19:00")
    assert (await _stats(tokyo.client))["todayReservations"] == 0
    clock.now = clock.now.replace(hour=23, minute=30)
    assert (await _stats(tokyo.client))["todayReservations"] == 1


async def test_upcoming_lists_the_next_arrivals(booking_app, place, clock):
    late = await book(place.client, date=DAY, time="21:00")
    soon = await book(place.client, date=TODAY, time="19:00")
    gone = await book(place.client, date=DAY, time="13:00")
    await place.client.post(f"/api/booking/cancel/{gone['id']}", headers=CSRF)
    response = await place.client.get("/api/dashboard/upcoming")
    assert response.status_code == 200
    items = await response.get_json()
    assert [r["id"] for r in items] == [soon["id"], late["id"]]
    assert items[0]["guest"]["name"] == "Ada Lovelace" and items[0]["table"] is not None
    assert [r["id"] for r in await (await place.client.get("/api/dashboard/upcoming?limit=1")).get_json()] == [
        soon["id"]
    ]
    clock.now += timedelta(days=1)  # 2 June 09:00: today's 19:00 has ended
    assert [r["id"] for r in await (await place.client.get("/api/dashboard/upcoming")).get_json()] == [late["id"]]


async def test_upcoming_follows_writes(place):
    assert await (await place.client.get("/api/dashboard/upcoming")).get_json() == []
    made = await book(place.client)
    assert [r["id"] for r in await (await place.client.get("/api/dashboard/upcoming")).get_json()] == [made["id"]]
    await place.client.patch(f"/api/reservations/{made['id']}", json={"time": "20:00"}, headers=CSRF)
    assert (await (await place.client.get("/api/dashboard/upcoming")).get_json())[0]["time"] == "20:00"


async def test_refusals(booking_app, place):
    anonymous = booking_app.test_client()
    assert (await anonymous.get(STATS)).status_code == 401
    assert (await anonymous.get("/api/dashboard/upcoming")).status_code == 401
    for query in ("limit=0", "limit=1000", "limit=x"):
        response = await place.client.get(f"/api/dashboard/upcoming?{query}")
        assert response.status_code == 400
        assert (await response.get_json())["message"] == "Validation error"
    other = await make_restaurant(booking_app)
    assert (await place.client.get(f"{STATS}?restaurantId={other.id}")).status_code == 404


async def test_staff_and_tokens_see_only_their_restaurant(booking_app, place):
    other = await make_restaurant(booking_app)
    await book(other.client, guests=6)
    await book(place.client, guests=2)
    staff = await add_staff(place.client)
    staff_client = booking_app.test_client()
    await login(staff_client, staff["email"])
    assert (await _stats(staff_client))["totalGuests"] == 2
    token = (await create_token(other.client))["token"]
    assert (await _stats(booking_app.test_client(), bearer(token)))["totalGuests"] == 6
