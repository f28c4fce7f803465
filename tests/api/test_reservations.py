"""GET /api/reservations (filters, pages), GET|PATCH /api/reservations/<id>."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.api.bookkit import DAY, book, make_restaurant
from tests.api.helpers import CSRF, add_staff, bearer, create_token, login

if TYPE_CHECKING:
    from quart.testing import QuartClient

    from core.models import Restaurant


async def _listing(client: QuartClient, query: str = "", expect: int = 200) -> Any:
    response = await client.get(f"/api/reservations{query}")
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def _some_bookings(place: Restaurant) -> list[dict[str, Any]]:
    a = await book(place.client, date="2026-06-03", time="20:00", guest={"name": "Zed Last", "phone": "+447700900001"})
    b = await book(
        place.client,
        date=DAY,
        time="19:00",
        guest={"name": "Mia Early", "phone": "+447700900002", "email": "mia@example.org"},
    )
    c = await book(place.client, date=DAY, time="13:00", guest={"name": "Ola Noon", "phone": "+447700900003"})
    d = await book(place.client, date="2026-06-05", time="12:30", guest={"name": "Ian Later", "phone": "+447700900004"})
    return a, b, c, d


async def test_list_is_ordered_by_date_and_time_with_joins(place):
    a, b, c, d = await _some_bookings(place)
    body = await _listing(place.client)
    assert body["total"] == 4 and body["page"] == 1 and body["pageSize"] == 20
    assert [r["id"] for r in body["items"]] == [c["id"], b["id"], a["id"], d["id"]]
    first = body["items"][0]
    assert first["guest"]["name"] == "Ola Noon" and first["table"]["minGuests"] >= 1


async def test_list_filters(place):
    a, b, c, d = await _some_bookings(place)
    ids = lambda body: [r["id"] for r in body["items"]]  # noqa: E731
    assert ids(await _listing(place.client, f"?date={DAY}")) == [c["id"], b["id"]]
    assert ids(await _listing(place.client, "?from=2026-06-03")) == [a["id"], d["id"]]
    assert ids(await _listing(place.client, "?to=2026-06-03")) == [c["id"], b["id"], a["id"]]
    assert ids(await _listing(place.client, "?from=2026-06-03&to=2026-06-04")) == [a["id"]]
    assert ids(await _listing(place.client, "?q=mia")) == [b["id"]]
    assert ids(await _listing(place.client, "?q=EXAMPLE.ORG")) == [b["id"]]
    assert ids(await _listing(place.client, "?q=7700900004")) == [d["id"]]
    assert ids(await _listing(place.client, "?q=nobody")) == []
    await place.client.post(f"/api/booking/cancel/{a['id']}", headers=CSRF)
    await place.client.patch(f"/api/reservations/{d['id']}", json={"status": "confirmed"}, headers=CSRF)
    assert ids(await _listing(place.client, "?status=canceled")) == [a["id"]]
    assert ids(await _listing(place.client, "?status=confirmed,canceled")) == [a["id"], d["id"]]
    assert ids(await _listing(place.client, "?status=created")) == [c["id"], b["id"]]


async def test_list_pages(place):
    made = [await book(place.client, time=f"{h}:00") for h in range(12, 20)]
    first = await _listing(place.client, "?page=1&pageSize=3")
    third = await _listing(place.client, "?page=3&pageSize=3")
    assert first["total"] == third["total"] == 8 and first["pageSize"] == 3
    assert [r["id"] for r in first["items"]] == [m["id"] for m in made[:3]]
    assert [r["id"] for r in third["items"]] == [m["id"] for m in made[6:]]
    assert (await _listing(place.client, "?page=9&pageSize=3"))["items"] == []


async def test_list_refusals(booking_app, place):
    for query in ("?status=bogus", "?date=2026-13-01", "?page=0", "?pageSize=1000", "?from=2026-06-05&to=2026-06-01"):
        body = await _listing(place.client, query, expect=400)
        assert body["message"] == "Validation error" and body["errors"], query
    assert (await booking_app.test_client().get("/api/reservations")).status_code == 401


async def test_get_one(place):
    made = await book(place.client)
    body = await (await place.client.get(f"/api/reservations/{made['id']}")).get_json()
    assert body == made
    assert (await place.client.get("/api/reservations/999999")).status_code == 404


async def test_patch_moves_and_resizes(place):
    made = await book(place.client, guests=2, tableId=place.table_ids[0])
    response = await place.client.patch(
        f"/api/reservations/{made['id']}", json={"time": "20:30", "guests": 4, "comments": "birthday"}, headers=CSRF
    )
    assert response.status_code == 200, await response.get_data(as_text=True)
    body = await response.get_json()
    assert (body["time"], body["guests"], body["comments"]) == ("20:30", 4, "birthday")
    assert body["table"]["maxGuests"] >= 4
    response = await place.client.patch(
        f"/api/reservations/{made['id']}", json={"tableId": place.table_ids[2], "duration": 90}, headers=CSRF
    )
    body = await response.get_json()
    assert body["tableId"] == place.table_ids[2] and body["duration"] == 90


async def test_patch_status_walks_the_state_machine(place):
    made = await book(place.client)
    url = f"/api/reservations/{made['id']}"
    for status in ("confirmed", "seated", "completed"):  # seated a day early: confirmed as the dashboard asks
        response = await place.client.patch(url, json={"status": status, "confirmSeating": True}, headers=CSRF)
        assert response.status_code == 200 and (await response.get_json())["status"] == status
    response = await place.client.patch(url, json={"status": "confirmed"}, headers=CSRF)
    assert response.status_code == 409
    body = await response.get_json()
    assert body["code"] == "invalid_transition" and body["message"]
    response = await place.client.patch(url, json={"time": "21:00"}, headers=CSRF)
    assert response.status_code == 409


async def test_the_statuses_are_the_servers_state_machine(booking_app, place):
    """The dashboard draws its status filter and actions from this answer, so it must be the engine's own."""
    from core.booking.states import CORRECTIONS, TRANSITIONS
    from core.models import ACTIVE_STATUSES

    response = await place.client.get("/api/reservations/statuses")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["statuses"] == ["created", "confirmed", "seated", "completed", "canceled", "no_show", "archived"]
    assert body["active"] == [str(s) for s in ACTIVE_STATUSES]
    assert {k: set(v) for k, v in body["transitions"].items()} == {
        str(k): {str(s) for s in v} for k, v in TRANSITIONS.items()
    }
    assert body["transitions"]["created"] == ["confirmed", "seated", "canceled", "no_show"]  # lifecycle order
    assert {k: set(v) for k, v in body["corrections"].items()} == {
        str(k): {str(s) for s in v} for k, v in CORRECTIONS.items()
    }
    anonymous = booking_app.test_client()
    assert (await anonymous.get("/api/reservations/statuses")).status_code == 401


async def test_patch_to_a_full_time_is_409_with_alternatives(place):
    for _ in range(3):
        await book(place.client, time="20:00")
    made = await book(place.client, time="13:00")
    response = await place.client.patch(f"/api/reservations/{made['id']}", json={"time": "20:00"}, headers=CSRF)
    assert response.status_code == 409
    body = await response.get_json()
    assert body["alternatives"] and body["message"]
    unchanged = await (await place.client.get(f"/api/reservations/{made['id']}")).get_json()
    assert unchanged["time"] == "13:00"


async def test_patch_refusals(booking_app, place):
    made = await book(place.client)
    url = f"/api/reservations/{made['id']}"
    for body in ({}, {"status": "bogus"}, {"guests": 0}, {"time": "9pm"}, {"date": None}, {"duration": 1}):
        response = await place.client.patch(url, json=body, headers=CSRF)
        assert response.status_code == 400, body
        assert (await response.get_json())["message"] == "Validation error"
    response = await place.client.patch(url, data="{", headers={**CSRF, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert (await place.client.patch(url, json={"guests": 3})).status_code == 403  # no CSRF header
    assert (await booking_app.test_client().patch(url, json={"guests": 3}, headers=CSRF)).status_code == 401
    assert (await place.client.patch("/api/reservations/999999", json={"guests": 3}, headers=CSRF)).status_code == 404
    response = await place.client.patch(url, json={"tableId": 999999}, headers=CSRF)
    assert response.status_code == 404


async def test_staff_and_token_read_and_change(booking_app, place):
    made = await book(place.client)
    staff = await add_staff(place.client)
    staff_client = booking_app.test_client()
    await login(staff_client, staff["email"])
    assert (await _listing(staff_client))["total"] == 1
    response = await staff_client.patch(f"/api/reservations/{made['id']}", json={"status": "confirmed"}, headers=CSRF)
    assert response.status_code == 200
    token = (await create_token(place.client))["token"]
    response = await booking_app.test_client().get(f"/api/reservations/{made['id']}", headers=bearer(token))
    assert (await response.get_json())["status"] == "confirmed"


async def test_another_restaurants_reservations_are_404(booking_app, place):
    other = await make_restaurant(booking_app)
    theirs = await book(other.client)
    await book(place.client, time="13:00")
    url = f"/api/reservations/{theirs['id']}"
    assert (await place.client.get(url)).status_code == 404
    assert (await place.client.patch(url, json={"guests": 3}, headers=CSRF)).status_code == 404
    assert (await place.client.patch(url, json={"status": "confirmed"}, headers=CSRF)).status_code == 404
    listing = await _listing(place.client)
    assert theirs["id"] not in [r["id"] for r in listing["items"]] and listing["total"] == 1
    assert (await _listing(place.client, "?q=Ada"))["total"] == 1
    assert (await (await other.client.get(url)).get_json())["guests"] == 2
