"""Manual placement: staff put a party on tables of their choosing (``tableIds``), combining them by hand.

Seats fewer than the party are a warning in the answer, never a refusal; tables taken at that time are
still refused. Automatic placement keeps every rule (a party no table can seat is refused).
"""

from __future__ import annotations

from typing import Any

from tests.api.bookkit import DAY, book, make_restaurant
from tests.api.helpers import CSRF

# Tables of 2, 4 and 6 seats (not combinable: only a host may put them together).
TABLES = ((1, 2), (2, 4), (2, 6))


async def _patch(client: Any, rid: int, expect: int = 200, **body: Any) -> Any:
    response = await client.patch(f"/api/reservations/{rid}", json=body, headers=CSRF)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def test_staff_combine_tables_by_hand_with_a_capacity_warning_on_both_backends(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app, tables=TABLES)
    client = place.client
    two, four, six = place.table_ids

    # The engine alone cannot seat 12 (no table or combination holds them): a clear 400.
    refused = await book(client, guests=12, expect=400)
    assert refused["code"] == "party_too_large"

    # The host puts the 12 on the 4 and the 6 (10 seats): booked as chosen, the main table first, with a warning.
    party = await book(client, guests=12, tableIds=[six, four], guest={"name": "Big Table", "phone": "+447700900401"})
    assert (party["status"], party["tableId"], party["tableIds"]) == ("created", six, [six, four])
    assert party["warning"] == {
        "code": "over_capacity",
        "message": party["warning"]["message"],
        "seats": 10,
        "guests": 12,
    }
    assert "seat 10; the party is 12" in party["warning"]["message"]
    # The warning belongs to the answer of the write; the booking as read has none.
    read = await (await client.get(f"/api/reservations/{party['id']}")).get_json()
    assert read["tableIds"] == [six, four] and read.get("warning") is None

    # Either table is now taken at that time, for a hand choice and for the engine alike.
    clash = await book(client, tableIds=[two, four], guest={"name": "Late", "phone": "+447700900402"}, expect=409)
    assert clash["code"] == "slot_unavailable" and clash["alternatives"]
    assert "not all free" in clash["message"] and (clash["tableId"], clash["tableIds"]) == (two, [two, four])
    auto = await book(client, guests=3, guest={"name": "Auto", "phone": "+447700900403"}, expect=409)
    assert auto["code"] == "slot_unavailable"
    single = await book(client, guests=2, tableIds=[two], guest={"name": "Two", "phone": "+447700900404"})
    assert single["tableIds"] == [two] and single["warning"] is None  # enough seats: no warning

    # One table too small, chosen by hand: placed, with the warning (no longer a refusal).
    small = await book(client, time="13:00", guests=3, tableId=two, guest={"name": "Squeeze", "phone": "+447700900405"})
    assert small["tableIds"] == [two] and small["warning"]["seats"] == 2

    # Moving by hand: the 12 go to three tables at 15:00 (12 seats: no warning) ...
    moved = await _patch(client, party["id"], time="15:00", tableIds=[two, four, six])
    assert (moved["time"], moved["tableIds"], moved["warning"]) == ("15:00", [two, four, six], None)
    # ... then back onto two of them (10 seats): moved, and warned again.
    narrowed = await _patch(client, party["id"], tableIds=[four, six])
    assert narrowed["tableIds"] == [four, six] and narrowed["warning"]["seats"] == 10
    history = await (await client.get(f"/api/reservations/{party['id']}/history")).get_json()
    assert history[-1]["changes"]["tableIds"] == {"from": [two, four, six], "to": [four, six]}
    # A comment-only change keeps the hand-made placement (the engine would refuse a party of 12).
    kept = await _patch(client, party["id"], comments="two high chairs")
    assert kept["tableIds"] == [four, six] and kept.get("warning") is None
    # Moved in time only (a drag along its row): it keeps the tables it was put on by hand.
    later = await _patch(client, party["id"], time="14:30")
    assert (later["time"], later["tableIds"]) == ("14:30", [four, six])
    # A move onto a table taken then is refused, and nothing changes.
    blocked = await _patch(client, party["id"], expect=409, tableIds=[two, six], time="19:00")
    assert blocked["code"] == "slot_unavailable"
    still = await (await client.get(f"/api/reservations/{party['id']}")).get_json()
    assert (still["time"], still["tableIds"]) == ("14:30", [four, six])

    # A walk-in seated on two tables chosen by hand.
    clock.now = clock.now.replace(day=2, hour=16)  # Tuesday 17:00 in London
    walk = await client.post(
        "/api/booking/create", json={"source": "walk_in", "guests": 7, "tableIds": [two, four]}, headers=CSRF
    )
    assert walk.status_code == 201, await walk.get_data(as_text=True)
    seated = await walk.get_json()
    assert (seated["status"], seated["tableIds"], seated["warning"]["seats"]) == ("seated", [two, four], 6)


async def test_hand_choices_are_checked(place):
    client = place.client
    two, four, _ = place.table_ids
    assert (await book(client, tableIds=[999_999], expect=404))["message"]
    twice = await book(client, tableIds=[two, two], expect=400)
    assert twice["code"] == "table_unsuitable" and "twice" in twice["message"]
    both = await book(client, tableId=two, tableIds=[four], expect=400)
    assert "either tableId or tableIds" in str(both)
    assert (await book(client, tableIds=[], expect=400))["errors"][0]["path"] == "tableIds"
    assert (await book(client, tableIds=list(range(1, 10)), expect=400))["errors"][0]["path"] == "tableIds"
    out = await client.put(f"/api/tables/{four}", json={"status": "unavailable"}, headers=CSRF)
    assert out.status_code == 200, await out.get_data(as_text=True)
    closed = await book(client, tableIds=[two, four], expect=400)
    assert closed["code"] == "table_unsuitable" and "not available" in closed["message"]
    made = await book(client, tableIds=[two])
    assert (await _patch(client, made["id"], expect=404, tableIds=[two, 999_999]))["message"]
    assert DAY == made["date"]
