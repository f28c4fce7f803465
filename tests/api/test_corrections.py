"""The host stand's guards: corrections of a wrong final status, no-shows not before the grace, seating far
from the booked time asked first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.api.bookkit import book, make_restaurant
from tests.api.helpers import CSRF

STARTS = datetime(2026, 6, 2, 18, 0, tzinfo=UTC)  # DAY 19:00 in London


async def _patch(client: Any, rid: int, expect: int = 200, **body: Any) -> Any:
    response = await client.patch(f"/api/reservations/{rid}", json=body, headers=CSRF)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def _correct(client: Any, rid: int, status: str, reason: str = "wrong tap", expect: int = 200) -> Any:
    body = {"status": status, "reason": reason}
    response = await client.post(f"/api/reservations/{rid}/correct", json=body, headers=CSRF)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def test_no_show_waits_for_the_grace_and_seating_far_off_asks(place, clock):
    booking = await book(place.client)
    body = await _patch(place.client, booking["id"], 409, status="no_show")
    assert body["code"] == "no_show_too_early" and "19:00" in body["message"]
    clock.now = STARTS.replace(minute=14)
    assert (await _patch(place.client, booking["id"], 409, status="no_show"))["code"] == "no_show_too_early"
    clock.now = STARTS.replace(minute=15)
    marked = await _patch(place.client, booking["id"], status="no_show")
    assert marked["status"] == "no_show" and marked["corrections"] == ["confirmed", "created", "seated"]

    early = await book(place.client, time="21:00", guest={"name": "Early Bird", "phone": "+447700900501"})
    clock.now = STARTS.replace(hour=18)  # 19:00 local, two hours before 21:00
    asked = await _patch(place.client, early["id"], 409, status="seated")
    assert asked["code"] == "confirm_seating" and asked["minutesFromStart"] == -120
    assert "21:00" in asked["message"]
    seated = await _patch(place.client, early["id"], status="seated", confirmSeating=True)
    assert seated["status"] == "seated"
    near = await book(place.client, time="19:30", guest={"name": "Near", "phone": "+447700900502"})
    assert (await _patch(place.client, near["id"], status="seated"))["status"] == "seated"  # 30 min: no question


async def test_a_wrong_final_status_is_corrected_with_who_and_why_on_both_backends(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    client = place.client
    booking = await book(client)
    clock.now = STARTS.replace(minute=40)
    await _patch(client, booking["id"], status="no_show")
    corrected = await _correct(client, booking["id"], "seated", reason="They were at the bar")
    assert corrected["status"] == "seated" and corrected["corrections"] == []
    history = await (await client.get(f"/api/reservations/{booking['id']}/history")).get_json()
    last = history[-1]
    assert last["type"] == "reservation.status_changed" and last["actor"] == "staff"
    assert last["changes"]["status"] == {"from": "no_show", "to": "seated"}
    assert last["changes"]["correction"]["reason"] == "They were at the bar"
    assert last["changes"]["correction"]["by"]["email"] == place.owner["user"]["email"]
    await _patch(client, booking["id"], status="completed")
    assert (await _correct(client, booking["id"], "seated"))["status"] == "seated"

    # Not a correction, no reason, unknown: refused clearly.
    assert (await _correct(client, booking["id"], "confirmed", expect=409))["code"] == "invalid_correction"
    await _correct(client, booking["id"], "seated", reason="", expect=400)
    await _correct(client, 999999, "seated", expect=404)

    # Canceled by mistake, but the table went to someone else meanwhile.
    lost = await book(
        client, date="2026-06-03", tableId=place.table_ids[0], guest={"name": "L", "phone": "+447700900503"}
    )
    await client.post(f"/api/booking/cancel/{lost['id']}", headers=CSRF)
    await book(client, date="2026-06-03", tableId=place.table_ids[0], guest={"name": "M", "phone": "+447700900504"})
    body = await _correct(client, lost["id"], "confirmed", expect=409)
    assert body["code"] == "table_taken"
    assert (await (await client.get(f"/api/reservations/{lost['id']}")).get_json())["status"] == "canceled"

    # Canceled by mistake, table still free, but too late.
    late = await book(client, date="2026-06-04", guest={"name": "N", "phone": "+447700900505"})
    await client.post(f"/api/booking/cancel/{late['id']}", headers=CSRF)
    clock.advance(minutes=181)
    assert (await _correct(client, late["id"], "confirmed", expect=409))["code"] == "correction_window_passed"
    response = await client.put("/api/restaurants/profile", json={"correctionWindowMinutes": 600}, headers=CSRF)
    assert response.status_code == 200 and (await response.get_json())["correctionWindowMinutes"] == 600
    assert (await _correct(client, late["id"], "confirmed"))["status"] == "confirmed"


async def test_corrections_are_scoped_to_the_restaurant(booking_app, clock):
    ours = await make_restaurant(booking_app)
    theirs = await make_restaurant(booking_app)
    booking = await book(theirs.client)
    await theirs.client.post(f"/api/booking/cancel/{booking['id']}", headers=CSRF)
    await _correct(ours.client, booking["id"], "confirmed", expect=404)
