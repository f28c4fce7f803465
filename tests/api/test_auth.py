"""Sign-up, sign-in, sessions and their cookie, sign-out, CSRF and login throttling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.api.helpers import CSRF, PASSWORD, login, register_owner

if TYPE_CHECKING:
    from quart import Response


def _cookie_header(response: Response) -> str:
    cookies = [v for k, v in response.headers.items() if k.lower() == "set-cookie" and "tobeout_session" in v]
    assert cookies, "no session cookie was set"
    return cookies[0]


async def test_register_creates_owner_and_restaurant_and_signs_in(client):
    data = await register_owner(client, email="Anna@Example.com", restaurant_name="Chez Anna")
    assert data["user"]["email"] == "anna@example.com"
    assert data["user"]["role"] == "restaurant"
    assert set(data["user"]) == {"id", "email", "name", "role", "createdAt"}
    assert data["restaurant"]["name"] == "Chez Anna"
    assert data["restaurant"]["userId"] == data["user"]["id"]
    assert data["restaurant"]["avgReservationDuration"] == 120
    me = await client.get("/api/auth/me")
    assert me.status_code == 200
    body = await me.get_json()
    assert body["user"]["id"] == data["user"]["id"]
    assert body["restaurant"]["id"] == data["restaurant"]["id"]


async def test_register_stores_an_argon2_hash_not_the_password(client):
    from core.models import User

    await register_owner(client, email="hash@example.com")
    user = await User.get(email="hash@example.com")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


async def test_register_with_a_timezone(client):
    data = await register_owner(client, timezone="Europe/Paris")
    assert data["restaurant"]["timezone"] == "Europe/Paris"


async def test_register_duplicate_email_is_409(app):
    await register_owner(app.test_client(), email="dup@example.com")
    response = await app.test_client().post(
        "/api/auth/register",
        json={"email": "DUP@example.com", "password": PASSWORD, "name": "B", "restaurantName": "Other"},
        headers=CSRF,
    )
    assert response.status_code == 409
    assert "already exists" in (await response.get_json())["message"]
    from core.models import Restaurant

    assert await Restaurant.filter(name="Other").count() == 0


async def test_register_short_password_is_a_seed_validation_error(client):
    response = await client.post(
        "/api/auth/register",
        json={"email": "short@example.com", "password": "1234567", "name": "S", "restaurantName": "R"},
        headers=CSRF,
    )
    assert response.status_code == 400
    body = await response.get_json()
    assert body["message"] == "Validation error"
    assert [e["path"] for e in body["errors"]] == ["password"]


async def test_register_refuses_bad_input_with_400(client):
    cases = [
        {"email": "not-an-email", "password": PASSWORD, "name": "S", "restaurantName": "R"},
        {"email": "a@example.com", "password": PASSWORD, "name": " ", "restaurantName": "R"},
        {"email": "a@example.com", "password": PASSWORD, "name": "S"},
        {"email": "a@example.com", "password": PASSWORD, "name": "S", "restaurantName": "R", "timezone": "Mars/Base"},
    ]
    for body in cases:
        response = await client.post("/api/auth/register", json=body, headers=CSRF)
        assert response.status_code == 400, body
        data = await response.get_json()
        assert data["message"] == "Validation error" and data["errors"], data


async def test_malformed_or_non_json_bodies_are_400_not_500(client):
    response = await client.post(
        "/api/auth/register", data="{not json", headers={**CSRF, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "message" in await response.get_json()
    response = await client.post("/api/auth/login", data="email=a", headers={**CSRF, "Content-Type": "text/plain"})
    assert response.status_code == 400
    response = await client.post("/api/auth/login", json=["a", "b"], headers=CSRF)
    assert response.status_code == 400
    assert (await response.get_json())["message"] == "Validation error"


async def test_login_sets_an_httponly_samesite_lax_cookie(app):
    owner = await register_owner(app.test_client())
    client = app.test_client()
    response = await client.post("/api/auth/login", json={"email": owner["email"], "password": PASSWORD}, headers=CSRF)
    assert response.status_code == 200
    body = await response.get_json()
    assert body["user"]["email"] == owner["email"]
    assert body["restaurant"]["id"] == owner["restaurant"]["id"]
    cookie = _cookie_header(response).lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie.replace("samesite", "")  # not in development/test
    assert (await client.get("/api/auth/me")).status_code == 200


async def test_cookie_is_secure_in_production(app_factory, postgres_url):
    app = await app_factory(postgres_url, env={"TOBEOUT_ENV": "production"})
    client = app.test_client()
    response = await client.post(
        "/api/auth/register",
        json={"email": "prod@example.com", "password": PASSWORD, "name": "P", "restaurantName": "Prod"},
        headers=CSRF,
        scheme="https",
    )
    assert response.status_code == 201
    cookie = _cookie_header(response).lower()
    assert "; secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


async def test_login_with_bad_credentials_is_401(app):
    owner = await register_owner(app.test_client())
    client = app.test_client()
    body = await login(client, owner["email"], "wrong password", expect=401)
    assert body["message"] == "Wrong e-mail or password."
    await login(client, "nobody@example.com", PASSWORD, expect=401)
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_me_without_a_session_is_401_json(client):
    response = await client.get("/api/auth/me")
    assert response.status_code == 401
    assert (await response.get_json())["message"] == "Sign in first."


async def test_a_forged_cookie_is_not_a_session(app):
    await register_owner(app.test_client())
    client = app.test_client()
    client.set_cookie("localhost", "tobeout_session", "1.forged.signature")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_logout_ends_the_session(client):
    await register_owner(client)
    response = await client.post("/api/auth/logout", headers=CSRF)
    assert response.status_code == 200
    assert "tobeout_session=;" in _cookie_header(response)
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_logout_ends_the_session_on_the_server_too(app):
    """A copy of the cookie taken before signing out no longer works: the session is gone server-side."""
    from core.models import StaffSession

    client = app.test_client()
    await register_owner(client)
    cookie = (
        _cookie_header(
            await client.post(
                "/api/auth/login",
                json={
                    "email": (await (await client.get("/api/auth/me")).get_json())["user"]["email"],
                    "password": PASSWORD,
                },
                headers=CSRF,
            )
        )
        .split(";")[0]
        .split("=", 1)[1]
    )
    copy = app.test_client()
    copy.set_cookie("localhost", "tobeout_session", cookie)
    assert (await copy.get("/api/auth/me")).status_code == 200
    sessions = await StaffSession.all().count()
    assert (await client.post("/api/auth/logout", headers=CSRF)).status_code == 200
    assert await StaffSession.all().count() == sessions - 1
    assert (await copy.get("/api/auth/me")).status_code == 401


async def test_an_expired_session_is_not_a_session(app):
    from datetime import timedelta

    from core.models import StaffSession

    client = app.test_client()
    await register_owner(client)
    await StaffSession.all().update(expires_at=app.runtime.clock() - timedelta(seconds=1))
    assert (await client.get("/api/auth/me")).status_code == 401


# --- CSRF -----------------------------------------------------------------------------------


async def test_state_changing_requests_with_a_session_need_the_csrf_header(client):
    await register_owner(client)
    response = await client.put("/api/restaurants/profile", json={"name": "Forged"})
    assert response.status_code == 403
    assert "X-Requested-With" in (await response.get_json())["message"]
    response = await client.post("/api/tables", json={"name": "T", "minGuests": 1, "maxGuests": 2})
    assert response.status_code == 403
    response = await client.post("/api/auth/logout")
    assert response.status_code == 403
    assert (await client.get("/api/auth/me")).status_code == 200  # still signed in
    wrong = {"X-Requested-With": "fetch"}
    assert (await client.put("/api/restaurants/profile", json={"name": "X"}, headers=wrong)).status_code == 403
    ok = await client.put("/api/restaurants/profile", json={"name": "Real"}, headers=CSRF)
    assert ok.status_code == 200


async def test_login_and_register_cannot_be_forged_cross_site(app):
    owner = await register_owner(app.test_client())
    client = app.test_client()
    response = await client.post("/api/auth/login", json={"email": owner["email"], "password": PASSWORD})
    assert response.status_code == 403
    assert not [v for k, v in response.headers.items() if k.lower() == "set-cookie"]
    response = await client.post(
        "/api/auth/register", json={"email": "x@example.com", "password": PASSWORD, "name": "X", "restaurantName": "X"}
    )
    assert response.status_code == 403


async def test_safe_methods_need_no_csrf_header(client):
    await register_owner(client)
    assert (await client.get("/api/restaurants/profile")).status_code == 200


# --- throttling -------------------------------------------------------------------------------


async def test_sign_ups_from_one_address_are_limited(app):
    from api.security import SIGNUP_MAX_PER_ADDRESS

    client = app.test_client()
    for n in range(SIGNUP_MAX_PER_ADDRESS):
        await register_owner(client, email=f"owner{n}@example.com")
    response = await client.post(
        "/api/auth/register",
        json={
            "email": "one-too-many@example.com",
            "password": PASSWORD,
            "name": "X",
            "restaurantName": "Y",
        },
        headers=CSRF,
    )
    assert response.status_code == 429 and response.headers["Retry-After"] == "3600"
    from core.models import User

    assert not await User.filter(email="one-too-many@example.com").exists()


async def test_repeated_failures_for_one_email_get_429_with_retry_after(app):
    owner = await register_owner(app.test_client())
    client = app.test_client()
    for _ in range(5):
        await login(client, owner["email"], "wrong password", expect=401)
    response = await client.post("/api/auth/login", json={"email": owner["email"], "password": PASSWORD}, headers=CSRF)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert (await response.get_json())["message"]
    # another account from the same address is not locked out
    other = await register_owner(app.test_client())
    await login(client, other["email"])


async def test_a_successful_login_resets_the_email_counter(app):
    owner = await register_owner(app.test_client())
    client = app.test_client()
    for _ in range(4):
        await login(client, owner["email"], "wrong password", expect=401)
    await login(client, owner["email"])
    for _ in range(4):
        await login(client, owner["email"], "wrong password", expect=401)
    await login(client, owner["email"])


async def test_repeated_failures_from_one_address_get_429(app):
    owner = await register_owner(app.test_client())
    client = app.test_client()
    attacker = {"client": ("203.0.113.9", 4000)}

    async def attempt(email: str, password: str) -> int:
        response = await client.post(
            "/api/auth/login", json={"email": email, "password": password}, headers=CSRF, scope_base=attacker
        )
        return response.status_code

    for i in range(20):
        assert await attempt(f"guess{i}@example.com", "nope") == 401
    assert await attempt(owner["email"], PASSWORD) == 429
    # the owner, from their own address, still signs in
    await login(app.test_client(), owner["email"])


async def test_throttling_is_shared_across_processes_through_redis(app_factory, postgres_url, redis_url):
    first = await app_factory(postgres_url, env={"REDIS_URL": redis_url})
    second = await app_factory(postgres_url, env={"REDIS_URL": redis_url})
    owner = await register_owner(first.test_client())
    for _ in range(5):
        await login(first.test_client(), owner["email"], "wrong password", expect=401)
    await login(second.test_client(), owner["email"], expect=429)
