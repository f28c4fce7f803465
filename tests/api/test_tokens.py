"""Integrators' API tokens: create (shown once), list, use as Bearer, revoke; stored hashed."""

from __future__ import annotations

import hashlib

from tests.api.helpers import CSRF, add_staff, bearer, create_token, login, register_owner


async def test_create_shows_the_token_once_and_stores_only_its_hash(client):
    await register_owner(client)
    created = await create_token(client, "POS sync")
    token = created["token"]
    assert token.startswith("tbo_") and len(token) > 40
    assert created["prefix"] == token[:12]
    assert created["role"] == "restaurant" and created["revoked"] is False and created["lastUsedAt"] is None

    from core.models import ApiToken

    row = await ApiToken.get(id=created["id"])
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.token_hash, row.prefix)

    listed = await (await client.get("/api/auth/tokens")).get_json()
    assert [t["id"] for t in listed] == [created["id"]]
    assert "token" not in listed[0] and "tokenHash" not in listed[0]
    assert {"prefix", "name", "role", "createdAt", "lastUsedAt", "revoked"} <= set(listed[0])


async def test_a_bearer_token_authenticates_without_csrf_header(app):
    owner_client = app.test_client()
    owner = await register_owner(owner_client)
    token = (await create_token(owner_client))["token"]
    integrator = app.test_client()
    me = await integrator.get("/api/auth/me", headers=bearer(token))
    assert me.status_code == 200
    assert (await me.get_json())["restaurant"]["id"] == owner["restaurant"]["id"]
    response = await integrator.post(
        "/api/tables", json={"name": "API", "minGuests": 1, "maxGuests": 2}, headers=bearer(token)
    )
    assert response.status_code == 201
    listed = await (await owner_client.get("/api/auth/tokens")).get_json()
    assert listed[0]["lastUsedAt"] is not None


async def test_bad_and_revoked_tokens_are_401(app):
    owner_client = app.test_client()
    await register_owner(owner_client)
    created = await create_token(owner_client)
    integrator = app.test_client()
    for junk in ("tbo_not-a-real-token", "something-else", ""):
        response = await integrator.get("/api/tables", headers={"Authorization": f"Bearer {junk}"})
        assert response.status_code == 401, junk
    response = await owner_client.delete(f"/api/auth/tokens/{created['id']}", headers=CSRF)
    assert response.status_code == 200
    assert (await response.get_json())["revoked"] is True
    response = await integrator.get("/api/tables", headers=bearer(created["token"]))
    assert response.status_code == 401
    assert "revoked" in (await response.get_json())["message"]
    listed = await (await owner_client.get("/api/auth/tokens")).get_json()
    assert listed[0]["revoked"] is True and listed[0]["revokedAt"]


async def test_a_bad_token_does_not_fall_back_to_the_session_cookie(client):
    await register_owner(client)
    response = await client.get("/api/tables", headers=bearer("tbo_wrong"))
    assert response.status_code == 401


async def test_tokens_cannot_mint_tokens(app):
    owner_client = app.test_client()
    await register_owner(owner_client)
    token = (await create_token(owner_client))["token"]
    response = await app.test_client().post("/api/auth/tokens", json={"name": "x"}, headers=bearer(token))
    assert response.status_code == 403


async def test_token_role_is_at_most_the_callers_and_limits_what_it_may_do(app):
    owner_client = app.test_client()
    await register_owner(owner_client)
    staff_token = await create_token(owner_client, "front desk", role="staff")
    assert staff_token["role"] == "staff"
    response = await app.test_client().post(
        "/api/tables", json={"name": "X", "minGuests": 1, "maxGuests": 2}, headers=bearer(staff_token["token"])
    )
    assert response.status_code == 403
    assert (await app.test_client().get("/api/tables", headers=bearer(staff_token["token"]))).status_code == 200

    staff = await add_staff(owner_client)
    staff_client = app.test_client()
    await login(staff_client, staff["email"])
    response = await staff_client.post("/api/auth/tokens", json={"name": "up", "role": "restaurant"}, headers=CSRF)
    assert response.status_code == 403
    response = await staff_client.post("/api/auth/tokens", json={"name": "up", "role": "admin"}, headers=CSRF)
    assert response.status_code == 403
    assert (await create_token(staff_client, "mine"))["role"] == "staff"


async def test_staff_see_and_revoke_only_their_own_tokens_owners_all(app):
    owner_client = app.test_client()
    await register_owner(owner_client)
    owner_token = await create_token(owner_client, "owner's")
    staff = await add_staff(owner_client)
    staff_client = app.test_client()
    await login(staff_client, staff["email"])
    staff_token = await create_token(staff_client, "staff's")

    staff_list = await (await staff_client.get("/api/auth/tokens")).get_json()
    assert [t["id"] for t in staff_list] == [staff_token["id"]]
    assert (await staff_client.delete(f"/api/auth/tokens/{owner_token['id']}", headers=CSRF)).status_code == 404
    owner_list = await (await owner_client.get("/api/auth/tokens")).get_json()
    assert {t["id"] for t in owner_list} == {owner_token["id"], staff_token["id"]}
    assert (await owner_client.delete(f"/api/auth/tokens/{staff_token['id']}", headers=CSRF)).status_code == 200
    assert (await app.test_client().get("/api/tables", headers=bearer(staff_token["token"]))).status_code == 401


async def test_a_removed_staff_members_token_stops_working(app):
    owner_client = app.test_client()
    await register_owner(owner_client)
    staff = await add_staff(owner_client)
    staff_client = app.test_client()
    await login(staff_client, staff["email"])
    token = (await create_token(staff_client))["token"]
    assert (await owner_client.delete(f"/api/staff/{staff['id']}", headers=CSRF)).status_code == 200
    assert (await app.test_client().get("/api/tables", headers=bearer(token))).status_code == 401


async def test_token_name_is_required(client):
    await register_owner(client)
    response = await client.post("/api/auth/tokens", json={}, headers=CSRF)
    assert response.status_code == 400
    assert (await response.get_json())["errors"][0]["path"] == "name"
