"""What the staff dashboard needs from the API: guest search in any script and phone format, and
the warning before new opening hours would leave booked guests outside them."""

from __future__ import annotations

from typing import Any

from tests.api.bookkit import DAY, HOURS, book, make_restaurant
from tests.api.helpers import CSRF, create_guest


async def _found(client: Any, q: str) -> list[str]:
    response = await client.get("/api/guests", query_string={"q": q})
    assert response.status_code == 200, await response.get_data(as_text=True)
    return sorted(item["name"] for item in (await response.get_json())["items"])


async def test_guest_search_folds_case_in_any_script_and_reads_phones_in_any_format(booking_app):
    place = await make_restaurant(booking_app, phone="+44 20 7946 0000")
    client = place.client
    await create_guest(client, name="Мария Иванова", phone="+44 7700 900555")
    await create_guest(client, name="Zoë Straße")
    # A phone written the national way is accepted when booking (read in the restaurant's country).
    await book(client, guest={"name": "Nat Local", "phone": "07700 900777"})

    assert await _found(client, "мария") == ["Мария Иванова"]
    assert await _found(client, "ИВАНОВА") == ["Мария Иванова"]
    assert await _found(client, "zoË") == ["Zoë Straße"]
    assert await _found(client, "STRASSE") == []  # lower(), not casefold(): ß stays ß
    assert await _found(client, "straße") == ["Zoë Straße"]
    for phone in ("07700 900555", "+44 7700 900555", "447700900555", "0044 7700 900555", "900 555"):
        assert await _found(client, phone) == ["Мария Иванова"], phone
    assert await _found(client, "07700 900777") == ["Nat Local"]
    assert await _found(client, "07700") == ["Nat Local", "Мария Иванова"]
    # Reservations search the same way.
    response = await client.get("/api/reservations", query_string={"q": "nat LOCAL"})
    assert [r["guest"]["name"] for r in (await response.get_json())["items"]] == ["Nat Local"]
    # A rename keeps the search keys current.
    guest = (await (await client.get("/api/guests", query_string={"q": "мария"})).get_json())["items"][0]
    await client.put(f"/api/guests/{guest['id']}", json={"name": "Дарья"}, headers=CSRF)
    assert await _found(client, "дарья") == ["Дарья"]
    assert await _found(client, "мария") == []


async def test_saving_one_weekday_keeps_the_others(booking_app):
    place = await make_restaurant(booking_app)
    response = await place.client.put(
        "/api/restaurants/profile",
        json={"openingHours": {"Monday": [{"open": "10:00", "close": "14:00"}]}},
        headers=CSRF,
    )
    assert response.status_code == 200, await response.get_data(as_text=True)
    hours = (await response.get_json())["openingHours"]
    assert hours["monday"] == [{"open": "10:00", "close": "14:00"}]
    assert hours["tuesday"] == HOURS["tuesday"] and hours["sunday"] == HOURS["sunday"]
    response = await place.client.put("/api/restaurants/profile", json={"openingHours": {"sunday": []}}, headers=CSRF)
    hours = (await response.get_json())["openingHours"]
    assert hours["sunday"] == [] and hours["saturday"] == HOURS["saturday"]


async def test_new_hours_that_leave_bookings_outside_are_refused_until_confirmed(booking_app):
    place = await make_restaurant(booking_app)
    client = place.client
    booked = await book(client, time="19:00")  # Tuesday 2 June
    early = await book(client, time="13:00", guest={"name": "Early Bird", "phone": "+44 20 7946 0002"})
    lunch_only = {"openingHours": {"tuesday": [{"open": "12:00", "close": "16:00"}]}}

    response = await client.put("/api/restaurants/profile", json=lunch_only, headers=CSRF)
    assert response.status_code == 409
    body = await response.get_json()
    assert body["code"] == "bookings_outside_hours"
    assert "1 upcoming booking" in body["message"]
    assert [r["id"] for r in body["reservations"]] == [booked["id"]]
    assert body["reservations"][0]["guest"]["name"] == "Ada Lovelace"
    assert "opening hours" in body["reservations"][0]["reason"]
    profile = await (await client.get("/api/restaurants/profile")).get_json()
    assert profile["openingHours"]["tuesday"] == HOURS["tuesday"]  # nothing saved

    closed_day = {"hoursExceptions": {DAY: []}}
    response = await client.put("/api/restaurants/profile", json=closed_day, headers=CSRF)
    assert response.status_code == 409
    assert sorted(r["id"] for r in (await response.get_json())["reservations"]) == sorted([booked["id"], early["id"]])

    response = await client.put(
        "/api/restaurants/profile", json={**lunch_only, "confirmOutsideHours": True}, headers=CSRF
    )
    assert response.status_code == 200
    assert (await response.get_json())["openingHours"]["tuesday"] == [{"open": "12:00", "close": "16:00"}]
    kept = await (await client.get(f"/api/reservations/{booked['id']}")).get_json()
    assert kept["status"] == "created"  # the booking is kept; staff decide what to tell the guest


async def test_a_reservation_has_its_history_and_the_statuses_it_may_take(booking_app, clock):
    place = await make_restaurant(booking_app)
    client = place.client
    booked = await book(client, time="19:00", tableId=place.table_ids[0])
    assert booked["allowedStatuses"] == ["canceled", "confirmed", "no_show", "seated"]
    moved = await client.patch(f"/api/reservations/{booked['id']}", json={"time": "20:00"}, headers=CSRF)
    assert moved.status_code == 200
    confirmed = await (
        await client.patch(f"/api/reservations/{booked['id']}", json={"status": "confirmed"}, headers=CSRF)
    ).get_json()
    assert confirmed["allowedStatuses"] == ["canceled", "no_show", "seated"]
    response = await client.get(f"/api/reservations/{booked['id']}/history")
    assert response.status_code == 200
    history = await response.get_json()
    assert [h["type"] for h in history] == ["reservation.created", "reservation.updated", "reservation.status_changed"]
    assert history[0]["source"] == "staff" and history[0]["actor"] == "staff"
    assert history[1]["changes"]["time"] == {"from": "19:00", "to": "20:00"} and history[1]["actor"] == "staff"
    assert history[2]["changes"] == {"status": {"from": "created", "to": "confirmed"}}
    assert (await client.get("/api/reservations/999999/history")).status_code == 404
