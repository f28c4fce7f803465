"""The list of reservations is built from joined rows, and says exactly what each reservation's own page says."""

from __future__ import annotations

from typing import Any

from tests.api.bookkit import DAY, book, make_restaurant
from tests.api.helpers import CSRF, create_table


async def _json(client: Any, path: str) -> Any:
    response = await client.get(path)
    assert response.status_code == 200, await response.get_data(as_text=True)
    return await response.get_json()


async def test_each_listed_reservation_is_its_own_page_on_both_backends(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app, tables=((1, 2), (2, 4)))
    client = place.client
    pair = [await create_table(client, minGuests=1, maxGuests=6, combinable=True) for _ in range(2)]
    single = await book(client, time="19:00", guest={"name": "Ada Lovelace", "phone": "+447700900101"})
    combined = await book(
        client,
        time="19:00",
        guests=11,
        comments="Birthday",
        guest={"name": "Bo Group", "phone": "+447700900102", "email": "bo@example.org"},
    )
    assert len(combined["tableIds"]) == 2 and set(combined["tableIds"]) == {t["id"] for t in pair}
    canceled = await book(client, time="13:00", guest={"name": "Cy Cancel", "phone": "+447700900103"})
    response = await client.post(f"/api/booking/cancel/{canceled['id']}", headers=CSRF)
    assert response.status_code == 200
    confirmed = await book(
        client, time="20:30", status="confirmed", guest={"name": "Di Sure", "phone": "+447700900104"}
    )

    from core.models import Table

    await Table.filter(id=canceled["tableId"]).delete()  # its reservation keeps no table

    listing = await _json(client, f"/api/reservations?date={DAY}")
    assert listing["total"] == 4
    assert [r["id"] for r in listing["items"]] == [canceled["id"], single["id"], combined["id"], confirmed["id"]]
    for item in listing["items"]:
        assert item == await _json(client, f"/api/reservations/{item['id']}")
    assert listing["items"][0]["table"] is None and listing["items"][0]["tableId"] is None
    assert listing["items"][2]["tableIds"] == combined["tableIds"]
    found = await _json(client, "/api/reservations?q=bo%40example")
    assert [r["id"] for r in found["items"]] == [combined["id"]]
    assert found["items"][0] == listing["items"][2]
    paged = await _json(client, f"/api/reservations?date={DAY}&page=2&pageSize=3")
    assert paged["items"] == listing["items"][3:] and paged["total"] == 4


async def test_listed_guests_are_their_own_pages_on_both_backends(app_factory, db_url, clock):
    from tests.api.helpers import create_guest

    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    made = [
        await create_guest(place.client, name="Zoë Ünal", phone="+447700900201", email="zoe@example.org", notes="Nuts"),
        await create_guest(place.client, name="Al Plain"),
    ]
    listing = await _json(place.client, "/api/guests")
    assert [g["id"] for g in listing["items"]] == [made[1]["id"], made[0]["id"]]
    detail_only = {"visitCount", "noShows", "reservationCount", "recentReservations"}
    for item in listing["items"]:
        page = await _json(place.client, f"/api/guests/{item['id']}")
        assert item == {k: v for k, v in page.items() if k not in detail_only}
    assert listing["items"][1] == made[0]


async def test_a_guests_recent_reservations_are_what_the_models_serialise_to(app_factory, db_url, clock):
    """The guest page's reservations are unvalidated dicts (``recentReservations: list[dict]``): the same
    dicts :func:`reservation_json` makes of the models, instants with ``+00:00``."""
    from core.booking.queries import get_reservation
    from core.booking.view_json import reservation_json
    from core.booking.views import reservation_view

    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    guest = {"name": "Ed Often", "phone": "+447700900301"}
    first = await book(place.client, time="13:00", guest=guest)
    second = await book(place.client, date="2026-06-04", time="19:00", guest=guest)
    detail = await _json(place.client, f"/api/guests/{first['guestId']}")
    assert [r["id"] for r in detail["recentReservations"]] == [second["id"], first["id"]]
    for item in detail["recentReservations"]:
        assert item == reservation_json(reservation_view(await get_reservation(place.id, item["id"])))
