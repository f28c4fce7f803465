"""``/api/waitlist`` on both backends: add, list, change, seat, remove; checked input; scoped to the restaurant."""

from __future__ import annotations

from typing import Any

from core.models import ReservationStatus
from tests.api.bookkit import DAY, make_restaurant
from tests.api.helpers import CSRF, collect_events


async def call(client: Any, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
    response = await client.open(path, method=method, json=body, headers=CSRF)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def test_the_waitlist_through_the_api_on_both_backends(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)  # Monday 1 June 2026, 10:00 in London
    events = collect_events(app)
    place = await make_restaurant(app)
    client = place.client
    first = await call(
        client,
        "POST",
        "/api/waitlist",
        {"guests": 3, "name": "Walk Party", "phone": "+44 7700 900701", "quotedMinutes": 25, "tags": ["VIP"]},
        201,
    )
    assert (first["status"], first["date"], first["timeFrom"], first["timeTo"]) == (
        "waiting",
        "2026-06-01",
        "10:00",
        "12:00",
    )
    assert first["guest"]["name"] == "Walk Party" and first["tags"] == ["vip"] and first["quotedMinutes"] == 25
    second = await call(
        client,
        "POST",
        "/api/waitlist",
        {"guests": 2, "name": "Later", "date": DAY, "timeFrom": "19:00", "timeTo": "20:30"},
        201,
    )
    listed = await call(client, "GET", "/api/waitlist")
    assert [e["id"] for e in listed["items"]] == [first["id"], second["id"]]
    assert [e["id"] for e in (await call(client, "GET", f"/api/waitlist?date={DAY}"))["items"]] == [second["id"]]

    changed = await call(client, "PATCH", f"/api/waitlist/{second['id']}", {"guests": 4, "quotedMinutes": 40})
    assert (changed["guests"], changed["quotedMinutes"]) == (4, 40)
    seated = await call(
        client, "PATCH", f"/api/waitlist/{first['id']}", {"status": "seated", "tableId": place.table_ids[2]}
    )
    assert seated["status"] == "seated" and seated["reservationId"]
    reservation = await call(client, "GET", f"/api/reservations/{seated['reservationId']}")
    assert (reservation["status"], reservation["source"], reservation["guestId"]) == (
        ReservationStatus.SEATED,
        "walk_in",
        first["guestId"],
    )
    assert reservation["tableId"] == place.table_ids[2] and reservation["tags"] == ["vip"]
    left = await call(client, "PATCH", f"/api/waitlist/{second['id']}", {"status": "left"})
    assert left["status"] == "left"
    assert (await call(client, "GET", "/api/waitlist"))["items"] == []
    assert [e["id"] for e in (await call(client, "GET", "/api/waitlist?status=seated,left"))["items"]] == [
        first["id"],
        second["id"],
    ]
    await call(client, "DELETE", f"/api/waitlist/{second['id']}", expect=204)
    await call(client, "GET", f"/api/waitlist/{second['id']}", expect=404)
    kinds = [e.data["action"] for e in events if e.type == "waitlist.changed"]
    assert kinds == ["created", "created", "updated", "seated", "left", "deleted"]


async def test_waitlist_input_is_checked(place):
    client = place.client
    await call(client, "POST", "/api/waitlist", {"guests": 2}, 400)  # nobody
    await call(client, "POST", "/api/waitlist", {"guests": 0, "name": "X"}, 400)
    await call(client, "POST", "/api/waitlist", {"guests": 2, "name": "X", "date": "2026-05-01"}, 400)
    await call(client, "POST", "/api/waitlist", {"guests": 2, "name": "X", "timeFrom": "20:00", "timeTo": "19:00"}, 400)
    await call(client, "POST", "/api/waitlist", {"guests": 2, "name": "X", "phone": "not a phone"}, 400)
    await call(client, "POST", "/api/waitlist", {"guests": 200, "name": "X"}, 400)  # no table can seat them
    await call(client, "POST", "/api/waitlist", {"guests": 2, "guestId": 999999}, 404)
    entry = await call(client, "POST", "/api/waitlist", {"guests": 2, "name": "X"}, 201)
    await call(client, "PATCH", f"/api/waitlist/{entry['id']}", {"status": "offered"}, 400)
    await call(client, "PATCH", f"/api/waitlist/{entry['id']}", {"status": "nonsense"}, 400)
    await call(client, "PATCH", f"/api/waitlist/{entry['id']}", {"guests": None}, 400)
    await call(client, "GET", "/api/waitlist?status=nonsense", expect=400)
    await call(client, "PATCH", "/api/waitlist/999999", {"guests": 2}, 404)
    await call(client, "DELETE", "/api/waitlist/999999", expect=404)


async def test_the_waitlist_is_scoped_to_the_restaurant(booking_app):
    ours = await make_restaurant(booking_app)
    theirs = await make_restaurant(booking_app)
    entry = await call(theirs.client, "POST", "/api/waitlist", {"guests": 2, "name": "Theirs"}, 201)
    assert (await call(ours.client, "GET", "/api/waitlist"))["items"] == []
    await call(ours.client, "GET", f"/api/waitlist/{entry['id']}", expect=404)
    await call(ours.client, "PATCH", f"/api/waitlist/{entry['id']}", {"status": "left"}, 404)
    await call(ours.client, "DELETE", f"/api/waitlist/{entry['id']}", expect=404)
    await call(ours.client, "POST", f"/api/waitlist/{entry['id']}/ready", expect=404)
