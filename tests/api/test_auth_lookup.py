"""Authentication is one statement per request (session or token), uncached: what it decides, on both backends."""

from __future__ import annotations

from typing import Any

from bench.booking_pgbench import capture_statements
from tests.api.bookkit import make_restaurant
from tests.api.helpers import CSRF, bearer, create_token, login, make_admin, register_owner
from tests.clock import Clock

AVAILABILITY = "/api/booking/availability?date=2026-06-02&time=19:00&guests=2"


async def _statements(request: Any) -> list[str]:
    """Every statement the database pool received while ``request()`` ran."""
    return await capture_statements(request)


async def test_a_session_request_is_authenticated_with_one_statement(booking_app, place):
    assert (await place.client.get(AVAILABILITY)).status_code == 200  # the answer is cached from now on
    response = None

    async def request() -> None:
        nonlocal response
        response = await place.client.get(AVAILABILITY)

    sent = await _statements(request)
    assert response is not None and response.status_code == 200
    assert len(sent) == 1, sent
    assert "staff_sessions" in sent[0] and "staff_memberships" in sent[0]


async def test_a_token_request_is_one_statement_plus_a_touch_at_most_once_a_minute(booking_app, place, clock: Clock):
    token = (await create_token(place.client))["token"]
    integrator = booking_app.test_client()
    answers: list[int] = []

    async def request() -> None:
        answers.append((await integrator.get(AVAILABILITY, headers=bearer(token))).status_code)

    first = await _statements(request)  # never used: its last_used_at is written
    assert [s.split()[0] for s in first if "api_tokens" in s] == ["SELECT", "UPDATE"]
    again = await _statements(request)
    assert len(again) == 1 and "api_tokens" in again[0], again
    clock.advance(seconds=61)
    later = await _statements(request)
    assert [s.split()[0] for s in later if "api_tokens" in s] == ["SELECT", "UPDATE"]
    assert answers == [200, 200, 200]


async def test_revoking_and_signing_out_hold_on_the_next_request_of_another_app(app_factory, postgres_url, clock):
    first = await app_factory(postgres_url, clock=clock)
    second = await app_factory(postgres_url, clock=clock)
    owner = first.test_client()
    account = await register_owner(owner)
    token = await create_token(owner)
    other = second.test_client()
    assert (await other.get("/api/tables", headers=bearer(token["token"]))).status_code == 200
    assert (await owner.delete(f"/api/auth/tokens/{token['id']}", headers=CSRF)).status_code == 200
    assert (await other.get("/api/tables", headers=bearer(token["token"]))).status_code == 401

    browser = second.test_client()
    await login(browser, account["email"])
    assert (await browser.get("/api/tables")).status_code == 200
    elsewhere = first.test_client()  # a copy of the cookie, sent to the other app
    cookie = next(c.value for c in browser.cookie_jar if c.name == "tobeout_session")
    elsewhere.set_cookie("localhost", "tobeout_session", cookie)
    assert (await elsewhere.get("/api/tables")).status_code == 200
    assert (await browser.post("/api/auth/logout", headers=CSRF)).status_code == 200
    assert (await elsewhere.get("/api/tables")).status_code == 401


async def test_restaurant_choice_and_refusals_on_both_backends(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    mine = await make_restaurant(app)
    theirs = await make_restaurant(app)
    token = (await create_token(mine.client))["token"]

    async def status(client: Any, path: str, headers: dict[str, str] | None = None) -> int:
        return (await client.get(path, headers=headers)).status_code

    for headers in (None, bearer(token)):
        client = mine.client if headers is None else app.test_client()
        assert await status(client, "/api/tables", headers) == 200
        assert await status(client, f"/api/tables?restaurantId={mine.id}", headers) == 200
        assert await status(client, f"/api/tables?restaurantId={theirs.id}", headers) == 404
        assert await status(client, "/api/tables?restaurantId=abc", headers) == 400
    assert await status(app.test_client(), "/api/tables?restaurantId=abc", bearer("tbo_nobody")) == 401

    admin = await make_admin(app)
    me = await (await admin.get("/api/auth/me")).get_json()
    assert me["restaurant"] is None
    tables = await (await admin.get(f"/api/tables?restaurantId={theirs.id}")).get_json()
    assert [t["id"] for t in tables] == theirs.table_ids
    assert await status(admin, "/api/tables?restaurantId=999999") == 404
    assert await status(admin, "/api/tables?restaurantId=abc") == 400

    from core.models import StaffMembership, User, UserRole

    owner = await User.get(email=mine.owner["email"])
    await StaffMembership.create(user=owner, restaurant_id=theirs.id, role=UserRole.STAFF)
    first = await (await mine.client.get("/api/auth/me")).get_json()
    chosen = await (await mine.client.get(f"/api/auth/me?restaurantId={theirs.id}")).get_json()
    assert (first["restaurant"]["id"], first["user"]["role"]) == (mine.id, "restaurant")
    assert (chosen["restaurant"]["id"], chosen["user"]["role"]) == (theirs.id, "staff")
    assert await status(mine.client, f"/api/tables?restaurantId={theirs.id}") == 200

    clock.advance(days=15)  # past the session's 14 days
    assert await status(mine.client, "/api/tables") == 401
    assert await status(app.test_client(), "/api/tables", bearer(token)) == 200
