"""Roles: admin (every restaurant, chosen per request), restaurant owner, staff; and staff management."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.api.helpers import CSRF, add_staff, create_table, login, make_admin, register_owner

if TYPE_CHECKING:
    from quart.testing import QuartClient

    from api.app import App

# Every endpoint of this half of the API, for the anonymous walk.
ENDPOINTS = [
    ("GET", "/api/auth/me"),
    ("GET", "/api/auth/tokens"),
    ("POST", "/api/auth/tokens"),
    ("DELETE", "/api/auth/tokens/1"),
    ("GET", "/api/staff"),
    ("POST", "/api/staff"),
    ("DELETE", "/api/staff/1"),
    ("GET", "/api/restaurants/profile"),
    ("PUT", "/api/restaurants/profile"),
    ("GET", "/api/tables"),
    ("POST", "/api/tables"),
    ("PUT", "/api/tables/1"),
    ("DELETE", "/api/tables/1"),
    ("GET", "/api/guests"),
    ("POST", "/api/guests"),
    ("GET", "/api/guests/1"),
    ("PUT", "/api/guests/1"),
    ("GET", "/api/integrations/settings"),
    ("GET", "/api/integrations/telegram"),
    ("POST", "/api/integrations/telegram"),
    ("GET", "/api/integrations/whatsapp"),
    ("POST", "/api/integrations/whatsapp"),
    ("GET", "/api/integrations/openai"),
    ("POST", "/api/integrations/openai"),
    ("GET", "/api/ai/activities"),
]


async def test_every_endpoint_refuses_anonymous_callers_with_401(client):
    for method, path in ENDPOINTS:
        response = await client.open(path, method=method, json={}, headers=CSRF)
        assert response.status_code == 401, (method, path, response.status_code)
        assert (await response.get_json())["message"] == "Sign in first."


async def staff_client(app: App, owner_client: QuartClient) -> QuartClient:
    staff = await add_staff(owner_client)
    client = app.test_client()
    body = await login(client, staff["email"])
    assert body["user"]["role"] == "staff"
    return client, staff


async def test_staff_work_with_reservations_data_but_not_settings_users_or_deletions(app):
    owner_client = app.test_client()
    await register_owner(owner_client)
    table = await create_table(owner_client)
    client, _ = await staff_client(app, owner_client)

    assert (await client.get("/api/restaurants/profile")).status_code == 200
    assert (await client.get("/api/tables")).status_code == 200
    assert (await client.get("/api/guests")).status_code == 200
    assert (await client.get("/api/ai/activities")).status_code == 200
    guest = await client.post("/api/guests", json={"name": "Walk In"}, headers=CSRF)
    assert guest.status_code == 201
    gid = (await guest.get_json())["id"]
    assert (await client.put(f"/api/guests/{gid}", json={"notes": "VIP"}, headers=CSRF)).status_code == 200
    response = await client.put(f"/api/tables/{table['id']}", json={"status": "occupied"}, headers=CSRF)
    assert response.status_code == 200 and (await response.get_json())["status"] == "occupied"

    refused = [
        ("PUT", f"/api/tables/{table['id']}", {"name": "Renamed"}),
        ("PUT", f"/api/tables/{table['id']}", {"status": "free", "maxGuests": 10}),
        ("POST", "/api/tables", {"name": "New", "minGuests": 1, "maxGuests": 2}),
        ("DELETE", f"/api/tables/{table['id']}", None),
        ("PUT", "/api/restaurants/profile", {"name": "Mine now"}),
        ("GET", "/api/integrations/settings", None),
        ("GET", "/api/integrations/telegram", None),
        ("POST", "/api/integrations/telegram", {"botToken": "1:abc"}),
        ("POST", "/api/integrations/whatsapp", {"authToken": "x"}),
        ("POST", "/api/integrations/openai", {"apiKey": "sk-x"}),
        ("GET", "/api/staff", None),
        ("POST", "/api/staff", {"email": "x@example.com", "password": "long enough", "name": "X"}),
        ("DELETE", "/api/staff/1", None),
    ]
    for method, path, body in refused:
        response = await client.open(path, method=method, json=body, headers=CSRF)
        assert response.status_code == 403, (method, path, response.status_code)
        assert (await response.get_json())["message"]
    # a staff PUT that repeats unchanged fields alongside a status change is fine
    response = await client.put(
        f"/api/tables/{table['id']}", json={"name": table["name"], "status": "free"}, headers=CSRF
    )
    assert response.status_code == 200


async def test_owner_manages_staff(app):
    owner_client = app.test_client()
    owner = await register_owner(owner_client)
    staff = await add_staff(owner_client, name="Sam")
    assert staff["role"] == "staff"
    listed = await (await owner_client.get("/api/staff")).get_json()
    assert {(m["email"], m["role"]) for m in listed} == {(owner["email"], "restaurant"), (staff["email"], "staff")}
    response = await owner_client.post(
        "/api/staff", json={"email": staff["email"], "password": "long enough", "name": "Dup"}, headers=CSRF
    )
    assert response.status_code == 409
    response = await owner_client.post(
        "/api/staff", json={"email": "short@example.com", "password": "short", "name": "S"}, headers=CSRF
    )
    assert response.status_code == 400
    # A second owner is added with a role; an administrator cannot be made this way.
    response = await owner_client.post(
        "/api/staff",
        json={"email": "co@example.com", "password": "long enough pass", "name": "Co", "role": "restaurant"},
        headers=CSRF,
    )
    assert response.status_code == 201 and (await response.get_json())["role"] == "restaurant"
    co = app.test_client()
    await login(co, "co@example.com", "long enough pass")
    assert (await co.get("/api/staff")).status_code == 200  # owners' pages are theirs
    response = await owner_client.post(
        "/api/staff",
        json={"email": "boss@example.com", "password": "long enough pass", "name": "B", "role": "admin"},
        headers=CSRF,
    )
    assert response.status_code == 400

    client, _ = await staff_client(app, owner_client)
    members = await (await owner_client.get("/api/staff")).get_json()
    victim = next(m for m in members if m["role"] == "staff" and m["email"] != staff["email"])
    assert (await owner_client.delete(f"/api/staff/{victim['id']}", headers=CSRF)).status_code == 200
    assert (await client.get("/api/auth/me")).status_code == 401  # their session ends at once
    await login(app.test_client(), victim["email"], expect=401)
    assert (await owner_client.delete(f"/api/staff/{victim['id']}", headers=CSRF)).status_code == 404
    response = await owner_client.delete(f"/api/staff/{owner['user']['id']}", headers=CSRF)
    assert response.status_code == 403


async def test_admin_acts_on_the_restaurant_they_choose(app):
    first_client = app.test_client()
    first = await register_owner(first_client)
    second = await register_owner(app.test_client())
    await create_table(first_client, name="First's table")
    admin = await make_admin(app)

    me = await (await admin.get("/api/auth/me")).get_json()
    assert me["user"]["role"] == "admin" and me["restaurant"] is None
    response = await admin.get("/api/tables")
    assert response.status_code == 400
    assert "restaurantId" in (await response.get_json())["message"]

    tables = await (await admin.get(f"/api/tables?restaurantId={first['restaurant']['id']}")).get_json()
    assert [t["name"] for t in tables] == ["First's table"]
    headers = {"X-Restaurant-Id": str(second["restaurant"]["id"])}
    assert await (await admin.get("/api/tables", headers=headers)).get_json() == []
    response = await admin.put(
        "/api/restaurants/profile", json={"name": "Renamed by admin"}, headers={**CSRF, **headers}
    )
    assert response.status_code == 200
    assert (await response.get_json())["id"] == second["restaurant"]["id"]
    assert (await admin.get("/api/integrations/settings", headers=headers)).status_code == 200
    assert (await admin.get("/api/tables?restaurantId=999999")).status_code == 404
    assert (await admin.get("/api/tables?restaurantId=abc")).status_code == 400


async def test_owners_and_staff_cannot_pick_another_restaurant(app):
    first_client = app.test_client()
    await register_owner(first_client)
    second = await register_owner(app.test_client())
    response = await first_client.get(f"/api/tables?restaurantId={second['restaurant']['id']}")
    assert response.status_code == 404
    response = await first_client.get("/api/tables", headers={"X-Restaurant-Id": str(second["restaurant"]["id"])})
    assert response.status_code == 404
