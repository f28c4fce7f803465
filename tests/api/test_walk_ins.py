"""Walk-ins: ``POST /api/booking/create`` with ``"source": "walk_in"`` seats a party now, no guest needed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.api.bookkit import book, make_restaurant
from tests.api.helpers import CSRF, create_guest

TONIGHT = datetime(2026, 6, 2, 18, 7, 30, tzinfo=UTC)  # Tuesday 19:07:30 in London


async def walk_in(client: Any, expect: int = 201, **fields: Any) -> Any:
    response = await client.post("/api/booking/create", json={"source": "walk_in", "guests": 2, **fields}, headers=CSRF)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def test_a_walk_in_is_seated_now_without_a_guest_on_both_backends(app_factory, db_url, clock):
    clock.now = TONIGHT
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    client = place.client
    first = await walk_in(client, guests=3)
    assert (first["status"], first["source"], first["date"], first["time"]) == (
        "seated",
        "walk_in",
        "2026-06-02",
        "19:07",
    )
    assert first["tableId"] == place.table_ids[1]  # the best fit for 3: the 2-4 table
    assert first["guest"]["name"] == "Walk-in" and first["guest"]["phone"] is None
    assert first["allowedStatuses"] == ["completed"]
    second = await walk_in(client, guests=2, tags=["window"])
    assert second["guestId"] == first["guestId"]  # the restaurant's one anonymous walk-in guest
    assert second["tags"] == ["window"] and second["tableId"] == place.table_ids[0]
    named = await walk_in(client, guests=1, guest={"name": "Nadia"}, tableId=place.table_ids[2])
    assert named["guest"]["name"] == "Nadia" and named["guestId"] != first["guestId"]
    assert named["tableId"] == place.table_ids[2]

    # Counted in the covers still expected today, and listed like any booking.
    stats = await (await client.get("/api/dashboard/stats")).get_json()
    assert stats["totalGuests"] == 6 and stats["todayReservations"] == 3
    listing = await (await client.get("/api/reservations?date=2026-06-02")).get_json()
    assert [r["source"] for r in listing["items"]] == ["walk_in"] * 3

    # Every table is taken now: a clear 409 with the next free times.
    body = await walk_in(client, expect=409, guests=2)
    assert body["code"] == "slot_unavailable" and body["alternatives"]


async def test_a_walk_in_with_a_phone_is_the_guest_we_know(place, clock):
    clock.now = TONIGHT
    regular = await create_guest(place.client, name="Rita Regular", phone="+447700900301", tags=["vip"])
    seated = await walk_in(place.client, guest={"phone": "+44 7700 900301"})
    assert seated["guestId"] == regular["id"] and seated["guest"]["name"] == "Rita Regular"
    assert seated["guest"]["tags"] == ["vip"]
    known = await walk_in(place.client, guestId=regular["id"])
    assert known["guestId"] == regular["id"]
    new = await walk_in(place.client, guest={"phone": "+447700900302", "name": "Ned"})
    assert new["guest"] == {"id": new["guestId"], "name": "Ned", "phone": "+447700900302", "email": None, "tags": []}


async def test_a_walk_in_after_closing_or_before_opening_is_still_seated(place, clock):
    clock.now = datetime(2026, 6, 2, 10, 0, tzinfo=UTC)  # 11:00, before the 12:00 opening
    early = await walk_in(place.client)
    assert (early["time"], early["status"]) == ("11:00", "seated")


async def test_walk_in_input_is_checked(place, clock):
    clock.now = TONIGHT
    client = place.client
    body = await walk_in(client, expect=400, date="2026-06-02", time="19:00")
    assert "walk-in is seated now" in body["message"] + str(body.get("errors"))
    await walk_in(client, expect=400, guests=0)
    await walk_in(client, expect=400, guest={"phone": "not a phone"})
    await walk_in(client, expect=404, tableId=999999)
    await walk_in(client, expect=404, guestId=999999)
    await walk_in(client, expect=400, guestId=1, guest={"name": "Both"})
    # Other sources still need a date, a time and a guest with a name and a phone.
    response = await client.post("/api/booking/create", json={"guests": 2, "guest": {"name": "A"}}, headers=CSRF)
    assert response.status_code == 400
    body = await book(client, guest={"name": "No Phone"}, expect=400)
    assert "phone" in str(body)
    body = await book(client, guest={"phone": "+447700900303"}, expect=400)
    assert "name" in str(body)


async def test_a_walk_in_of_another_restaurants_guest_is_404(booking_app, clock):
    clock.now = TONIGHT
    ours = await make_restaurant(booking_app)
    theirs = await make_restaurant(booking_app)
    guest = await create_guest(theirs.client, name="Theirs", phone="+447700900304")
    await walk_in(ours.client, expect=404, guestId=guest["id"])
