"""Sign-up, sign-in, sessions and their cookie, sign-out, CSRF and login throttling."""

from __future__ import annotations

from tests.api.helpers import CSRF, PASSWORD, login, register_owner


async def test_register_creates_owner_and_restaurant_and_signs_in(client):
    data = await register_owner(client, email="Anna@Example.com", restaurant_name="Chez Anna")
    assert data["user"]["email"] == "anna@example.com"
    assert data["user"]["role"] == "restaurant"
    assert "passwordHash" not in data["user"] and "password_hash" not in data["user"]
    assert data["restaurant"]["name"] == "Chez Anna"
    assert data["restaurant"]["userId"] == data["user"]["id"]
    assert data["restaurant"]["avgReservationDuration"] == 120
    me = await client.get("/api/auth/me")
    assert me.status_code == 200
    body = await me.get_json()
    assert body["user"]["id"] == data["user"]["id"]
    assert body["restaurant"]["id"] == data["restaurant"]["id"]
