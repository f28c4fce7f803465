"""Tags on bookings and guests: set by staff, cleaned, listed, filtered, recorded in the history."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.bookkit import DAY, book, make_restaurant
from tests.api.helpers import CSRF, create_guest


async def _json(client: Any, path: str, expect: int = 200) -> Any:
    response = await client.get(path)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def test_tags_on_bookings_and_guests_on_both_backends(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    client = place.client
    vip = await create_guest(client, name="Vera Important", phone="+447700900201", tags=["VIP", " Regular "])
    assert vip["tags"] == ["vip", "regular"]
    birthday = await book(client, guestId=vip["id"], tags=["Birthday", "high chair", "birthday"])
    assert birthday["tags"] == ["birthday", "high_chair"]
    assert birthday["guest"]["tags"] == ["vip", "regular"]
    plain = await book(client, time="13:00", guest={"name": "Pat Plain", "phone": "+447700900202"})
    assert plain["tags"] == [] and plain["guest"]["tags"] == []
    allergy = await book(
        client, time="20:30", tags=["nut-allergy"], guest={"name": "Al Lergy", "phone": "+447700900203"}
    )
    assert allergy["tags"] == ["nut_allergy"]

    # The list shows the tags exactly as each booking's own page does.
    listing = await _json(client, f"/api/reservations?date={DAY}")
    assert [r["id"] for r in listing["items"]] == [plain["id"], birthday["id"], allergy["id"]]
    for item in listing["items"]:
        assert item == await _json(client, f"/api/reservations/{item['id']}")

    # ?tag= finds bookings tagged so, or whose guest is.
    tagged = await _json(client, "/api/reservations?tag=vip")
    assert [r["id"] for r in tagged["items"]] == [birthday["id"]] and tagged["total"] == 1
    tagged = await _json(client, "/api/reservations?tag=High%20Chair")
    assert [r["id"] for r in tagged["items"]] == [birthday["id"]]
    tagged = await _json(client, f"/api/reservations?tag=nut_allergy&date={DAY}")
    assert [r["id"] for r in tagged["items"]] == [allergy["id"]]
    assert (await _json(client, "/api/reservations?tag=anniversary"))["total"] == 0

    # Staff change the tags; the history says from what to what; [] clears them.
    response = await client.patch(
        f"/api/reservations/{plain['id']}", json={"tags": ["anniversary", "window"]}, headers=CSRF
    )
    assert response.status_code == 200, await response.get_data(as_text=True)
    assert (await response.get_json())["tags"] == ["anniversary", "window"]
    history = await _json(client, f"/api/reservations/{plain['id']}/history")
    assert history[-1]["type"] == "reservation.updated"
    assert history[-1]["changes"] == {"tags": {"from": [], "to": ["anniversary", "window"]}}
    response = await client.patch(
        f"/api/reservations/{plain['id']}", json={"tags": ["vip"], "time": "14:00"}, headers=CSRF
    )
    assert response.status_code == 200, await response.get_data(as_text=True)
    moved = await response.get_json()
    assert moved["tags"] == ["vip"] and moved["time"] == "14:00"
    assert (await _json(client, "/api/reservations?tag=vip"))["total"] == 2
    response = await client.patch(f"/api/reservations/{plain['id']}", json={"tags": []}, headers=CSRF)
    assert (await response.get_json())["tags"] == []

    # Guests: filter and update.
    guests = await _json(client, "/api/guests?tag=regular")
    assert [g["id"] for g in guests["items"]] == [vip["id"]]
    response = await client.put(f"/api/guests/{vip['id']}", json={"tags": ["vip", "allergy"]}, headers=CSRF)
    assert response.status_code == 200
    assert (await response.get_json())["tags"] == ["vip", "allergy"]
    assert (await _json(client, "/api/guests?tag=regular"))["total"] == 0
    assert (await _json(client, f"/api/guests/{vip['id']}"))["tags"] == ["vip", "allergy"]
    reservation = await _json(client, f"/api/reservations/{birthday['id']}")
    assert reservation["guest"]["tags"] == ["vip", "allergy"]


@pytest.mark.parametrize(
    ("tags", "words"),
    [
        (["vip", "bad tag!"], "not accepted"),
        (["x" * 40], "not accepted"),
        ([f"t{i}" for i in range(13)], "at most 12"),
        (["привет"], "not accepted"),
        ("vip", "list"),
        ([1], "string"),
        ([""], "not accepted"),
    ],
)
async def test_bad_tags_are_a_clear_400(place, tags, words):
    body = await book(place.client, tags=tags, expect=400)
    assert words in str(body).lower()
    response = await place.client.get("/api/reservations?tag=no%20way!")
    assert response.status_code == 400
    response = await place.client.post("/api/guests", json={"name": "X", "tags": tags}, headers=CSRF)
    assert response.status_code == 400


async def test_a_tag_filter_is_scoped_to_the_restaurant(booking_app):
    ours = await make_restaurant(booking_app)
    theirs = await make_restaurant(booking_app)
    await book(theirs.client, tags=["vip"])
    assert (await _json(ours.client, "/api/reservations?tag=vip"))["total"] == 0
    assert (await _json(theirs.client, "/api/reservations?tag=vip"))["total"] == 1
