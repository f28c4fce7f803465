"""Guests: create (phone in E.164), search, pages, read with their record, update."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.helpers import CSRF, collect_events, create_guest, register_owner


async def _reservation(rid: int, guest_id: int, status: str, days_ago: int) -> None:
    """A past reservation row (a small factory: the booking engine's transitions are tested elsewhere)."""
    from core.models import Reservation

    start = datetime(2030, 6, 1, 19, 0, tzinfo=UTC) - timedelta(days=days_ago)
    await Reservation.create(
        restaurant_id=rid,
        guest_id=guest_id,
        date=start.date(),
        time=start.time().replace(tzinfo=None),
        guests=2,
        duration=90,
        status=status,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
    )


async def test_create_normalises_the_phone_and_refuses_duplicates(client):
    owner = await register_owner(client)
    guest = await create_guest(
        client, name="Pavel", phone="+44 7700 900123", email="Pavel@Example.com", language="ru", notes="window seat"
    )
    assert guest["phone"] == "+447700900123"
    assert guest["email"] == "pavel@example.com"
    assert guest["restaurantId"] == owner["restaurant"]["id"]
    assert {"id", "name", "phone", "email", "language", "notes", "createdAt"} <= set(guest)
    response = await client.post("/api/guests", json={"name": "Other", "phone": "0044 7700 900123"}, headers=CSRF)
    assert response.status_code == 409
    assert (await response.get_json())["guestId"] == guest["id"]
    walk_in = await create_guest(client, name="No Phone")
    assert walk_in["phone"] is None and walk_in["language"] == "en"
    # Guests are found by e-mail as by phone, so one address belongs to one guest too.
    response = await client.post("/api/guests", json={"name": "Other", "email": "PAVEL@example.com"}, headers=CSRF)
    assert response.status_code == 409
    assert (await response.get_json())["guestId"] == guest["id"]
    moved = await client.put(f"/api/guests/{walk_in['id']}", json={"email": "pavel@example.com"}, headers=CSRF)
    assert moved.status_code == 409
    mine = await client.put(f"/api/guests/{guest['id']}", json={"email": "pavel@example.com"}, headers=CSRF)
    assert mine.status_code == 200


async def test_bad_guest_input_is_400(client):
    await register_owner(client)
    for body, path in [
        ({"name": "A", "phone": "07700 900123"}, "phone"),
        ({"name": "A", "phone": "not a phone"}, "phone"),
        ({"name": "A", "email": "nope"}, "email"),
        ({"phone": "+447700900123"}, "name"),
        ({"name": "A", "language": "klingon!"}, "language"),
    ]:
        response = await client.post("/api/guests", json=body, headers=CSRF)
        assert response.status_code == 400, body
        data = await response.get_json()
        assert data["message"] == "Validation error" and data["errors"][0]["path"] == path, data


async def test_search_by_name_phone_or_email_and_pages(client):
    await register_owner(client)
    await create_guest(client, name="Teg", phone="+447700900001")
    await create_guest(client, name="Oleg", email="oleg@mail.example")
    await create_guest(client, name="Misha", phone="+33612345678")
    for n in range(3):
        await create_guest(client, name=f"Zed {n}")

    async def names(query: str) -> list[str]:
        body = await (await client.get(f"/api/guests{query}")).get_json()
        return [g["name"] for g in body["items"]]

    assert await names("?q=oleg") == ["Oleg"]
    assert await names("?q=MAIL.EXAMPLE") == ["Oleg"]
    assert await names("?q=%2B33") == ["Misha"]
    assert await names("?q=7700 900") == ["Teg"]
    assert await names("?q=eg") == ["Oleg", "Teg"]
    page = await (await client.get("/api/guests?page=2&pageSize=4")).get_json()
    assert page["total"] == 6 and page["page"] == 2 and page["pageSize"] == 4
    assert [g["name"] for g in page["items"]] == ["Zed 1", "Zed 2"]
    assert (await client.get("/api/guests?pageSize=1000")).status_code == 400
    assert (await client.get("/api/guests?page=0")).status_code == 400


async def test_guest_detail_counts_visits_and_no_shows(client):
    owner = await register_owner(client)
    rid = owner["restaurant"]["id"]
    guest = await create_guest(client, name="Regular", phone="+447700900555")
    for status, days in [("completed", 30), ("completed", 20), ("seated", 1), ("no_show", 10), ("canceled", 5)]:
        await _reservation(rid, guest["id"], status, days)
    response = await client.get(f"/api/guests/{guest['id']}")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["name"] == "Regular"
    assert body["visitCount"] == 3 and body["noShows"] == 1 and body["reservationCount"] == 5
    recent = body["recentReservations"]
    assert [r["status"] for r in recent] == ["seated", "canceled", "no_show", "completed", "completed"]
    assert recent[0]["guest"]["id"] == guest["id"] and recent[0]["guestId"] == guest["id"]
    assert {"date", "time", "guests", "tableId", "table", "confirmation2h"} <= set(recent[0])
    assert (await client.get("/api/guests/999999")).status_code == 404


async def test_update_changes_only_what_is_sent(app):
    client = app.test_client()
    owner = await register_owner(client)
    guest = await create_guest(client, name="Anna", phone="+447700900777", email="anna@example.com")
    other = await create_guest(client, name="Bob", phone="+447700900888")
    events = collect_events(app)
    response = await client.put(
        f"/api/guests/{guest['id']}", json={"notes": "allergic to nuts", "email": None}, headers=CSRF
    )
    assert response.status_code == 200
    body = await response.get_json()
    assert body["notes"] == "allergic to nuts" and body["email"] is None and body["phone"] == "+447700900777"
    assert [(e.type, e.data["guestId"]) for e in events] == [("guest.changed", guest["id"])]
    assert events[0].restaurant_id == owner["restaurant"]["id"]
    response = await client.put(f"/api/guests/{guest['id']}", json={"phone": "+44 7700 900888"}, headers=CSRF)
    assert response.status_code == 409
    assert (await response.get_json())["guestId"] == other["id"]
    response = await client.put(f"/api/guests/{guest['id']}", json={"name": None}, headers=CSRF)
    assert response.status_code == 400
    assert (await client.put("/api/guests/999999", json={"notes": "x"}, headers=CSRF)).status_code == 404
