"""``GET /api/reservations/search?q=``: any booking by name or phone across dates, upcoming first."""

from __future__ import annotations

from typing import Any

from tests.api.bookkit import book, make_restaurant
from tests.api.helpers import CSRF


async def _search(client: Any, q: str, expect: int = 200, **extra: Any) -> Any:
    response = await client.get("/api/reservations/search", query_string={"q": q, **extra})
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def test_search_finds_across_dates_upcoming_first_on_both_backends(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)  # now: Monday 1 June 2026, 10:00 in London
    place = await make_restaurant(app)
    client = place.client
    mary = {"name": "Мария Smith", "phone": "+447700900401"}
    later = await book(client, date="2026-06-20", time="19:00", guest=mary)
    sooner = await book(client, date="2026-06-03", time="13:00", guest=mary)
    canceled = await book(client, date="2026-06-10", time="20:00", guest=mary)
    await client.post(f"/api/booking/cancel/{canceled['id']}", headers=CSRF)
    other = await book(client, date="2026-06-03", time="13:00", guest={"name": "Bob", "phone": "+447700900402"})
    clock.advance(days=5)  # Saturday 6 June: the booking of the 3rd is past
    past_later = await book(client, date="2026-06-06", time="19:00", guest=mary)
    clock.advance(days=1)  # Sunday 7 June: both of the 3rd and 6th are past

    found = await _search(client, "мария")
    assert [r["id"] for r in found["items"]] == [canceled["id"], later["id"], past_later["id"], sooner["id"]]
    assert found["upcoming"] == 2
    assert found["items"][0]["status"] == "canceled"
    assert found == await _search(client, "0401")  # the end of the phone
    assert [r["id"] for r in (await _search(client, "bob"))["items"]] == [other["id"]]
    assert (await _search(client, "мария", limit=1))["items"] == found["items"][:1]
    assert (await _search(client, "nobody"))["items"] == []
    for item in found["items"]:
        page = await (await client.get(f"/api/reservations/{item['id']}")).get_json()
        assert item == page


async def test_search_is_scoped_and_checked(booking_app):
    ours = await make_restaurant(booking_app)
    theirs = await make_restaurant(booking_app)
    await book(theirs.client, guest={"name": "Secret Guest", "phone": "+447700900403"})
    assert (await _search(ours.client, "secret"))["items"] == []
    assert len((await _search(theirs.client, "secret"))["items"]) == 1
    await _search(ours.client, "a", expect=400)
    await _search(ours.client, "  a  ", expect=400)
    await _search(ours.client, "x" * 300, expect=400)
    await _search(ours.client, "ab", expect=400, limit=0)
    response = await ours.client.get("/api/reservations/search")
    assert response.status_code == 400
