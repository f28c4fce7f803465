"""Tables: list, create, update, delete; capacity rules, events, the upcoming-reservations guard."""

from __future__ import annotations

from datetime import timedelta

from tests.api.helpers import CSRF, collect_events, create_table, register_owner


async def test_create_list_update_delete(client):
    owner = await register_owner(client)
    created = await create_table(
        client,
        name="Window",
        minGuests=2,
        maxGuests=4,
        positionX=1.5,
        positionY=2,
        shape="square",
        combinable=True,
        priority=5,
    )
    assert created["restaurantId"] == owner["restaurant"]["id"]
    assert created["status"] == "free"
    assert {
        k: created[k]
        for k in ("name", "minGuests", "maxGuests", "positionX", "positionY", "shape", "combinable", "priority")
    } == {
        "name": "Window",
        "minGuests": 2,
        "maxGuests": 4,
        "positionX": 1.5,
        "positionY": 2.0,
        "shape": "square",
        "combinable": True,
        "priority": 5,
    }
    await create_table(client, name="Bar")
    listed = await (await client.get("/api/tables")).get_json()
    assert [t["name"] for t in listed] == ["Bar", "Window"]

    response = await client.put(
        f"/api/tables/{created['id']}", json={"maxGuests": 6, "status": "unavailable"}, headers=CSRF
    )
    assert response.status_code == 200
    body = await response.get_json()
    assert body["maxGuests"] == 6 and body["status"] == "unavailable" and body["name"] == "Window"

    response = await client.delete(f"/api/tables/{created['id']}", headers=CSRF)
    assert response.status_code == 200
    assert (await response.get_json())["id"] == created["id"]
    assert [t["name"] for t in await (await client.get("/api/tables")).get_json()] == ["Bar"]
    assert (await client.delete(f"/api/tables/{created['id']}", headers=CSRF)).status_code == 404
    assert (await client.put(f"/api/tables/{created['id']}", json={}, headers=CSRF)).status_code == 404


async def test_capacity_rules_are_400(client):
    await register_owner(client)
    for body, path in [
        ({"name": "A", "minGuests": 0, "maxGuests": 2}, "minGuests"),
        ({"name": "A", "minGuests": 5, "maxGuests": 2}, "minGuests"),
        ({"name": "A", "minGuests": 1}, "maxGuests"),
        ({"name": "", "minGuests": 1, "maxGuests": 2}, "name"),
        ({"name": "A", "minGuests": 1, "maxGuests": 2, "status": "broken"}, "status"),
    ]:
        response = await client.post("/api/tables", json=body, headers=CSRF)
        assert response.status_code == 400, body
        data = await response.get_json()
        assert data["message"] == "Validation error" and data["errors"][0]["path"] == path, data
    table = await create_table(client, minGuests=2, maxGuests=4)
    response = await client.put(f"/api/tables/{table['id']}", json={"minGuests": 5}, headers=CSRF)
    assert response.status_code == 400
    response = await client.put(f"/api/tables/{table['id']}", json={"maxGuests": None}, headers=CSRF)
    assert response.status_code == 400


async def test_changes_publish_table_changed_and_invalidate_the_cache(app):
    client = app.test_client()
    owner = await register_owner(client)
    rid = owner["restaurant"]["id"]
    events = collect_events(app)
    generation = await app.runtime.cache.generation(f"restaurant:{rid}")
    table = await create_table(client)
    await client.put(f"/api/tables/{table['id']}", json={"status": "occupied"}, headers=CSRF)
    await client.delete(f"/api/tables/{table['id']}", headers=CSRF)
    assert [(e.type, e.data["action"]) for e in events] == [
        ("table.changed", "created"),
        ("table.changed", "updated"),
        ("table.changed", "deleted"),
    ]
    assert all(e.restaurant_id == rid and e.data["tableId"] == table["id"] for e in events)
    assert await app.runtime.cache.generation(f"restaurant:{rid}") >= generation + 3


async def test_a_table_with_upcoming_reservations_cannot_be_deleted(app):
    from core.models import Guest, Reservation, ReservationTable

    client = app.test_client()
    owner = await register_owner(client)
    rid = owner["restaurant"]["id"]
    table = await create_table(client)
    start = app.runtime.clock() + timedelta(days=1)
    guest = await Guest.create(restaurant_id=rid, name="Booked")
    reservation = await Reservation.create(
        restaurant_id=rid,
        guest=guest,
        table_id=table["id"],
        date=start.date(),
        time=start.time().replace(tzinfo=None),
        guests=2,
        duration=90,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
    )
    await ReservationTable.create(
        reservation=reservation,
        table_id=table["id"],
        restaurant_id=rid,
        starts_at=start,
        blocked_until=start + timedelta(minutes=90),
    )
    response = await client.delete(f"/api/tables/{table['id']}", headers=CSRF)
    assert response.status_code == 409
    assert (await response.get_json())["code"] == "table_in_use"
    await ReservationTable.filter(reservation=reservation).update(active=False)
    assert (await client.delete(f"/api/tables/{table['id']}", headers=CSRF)).status_code == 200
