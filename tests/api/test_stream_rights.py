"""Live-event streams live only as long as their rights: revocation, sign-out, a password change and staff
removal end them; they are capped per credential and per address; the server's shutdown tells them to
reconnect. Password change and "sign out everywhere" end the user's other sessions and tokens."""

from __future__ import annotations

import asyncio

import httpx

from api.events import close_streams
from tests.api.bookkit import NOW, Clock, book, make_restaurant, open_stream
from tests.api.helpers import CSRF, PASSWORD, add_staff, bearer, create_token, login

NEW_PASSWORD = "a quiet harbour at dusk 42"


async def _app(app_factory, postgres_url):
    app = await app_factory(postgres_url, clock=Clock(NOW))
    app.config["SSE_RECHECK_SECONDS"] = 0.2  # the default is 4: ended within 5 s
    return app


def _cookie(client) -> dict[str, str]:
    value = next(c.value for c in client.cookie_jar if c.name == "tobeout_session")
    return {"Cookie": f"tobeout_session={value}"}


async def _ends_signed_out(stream) -> None:
    event = await stream.next_event(timeout=10)
    assert event is not None and event["event"] == "signed-out", event


async def test_revoking_a_token_or_signing_out_ends_its_stream(app_factory, postgres_url):
    app = await _app(app_factory, postgres_url)
    place = await make_restaurant(app)
    made = await create_token(place.client)
    async with open_stream(app, headers=bearer(made["token"])) as stream:
        await book(place.client)
        assert (await stream.next_event())["event"] == "reservation.created"  # it works until...
        assert (await place.client.delete(f"/api/auth/tokens/{made['id']}", headers=CSRF)).status_code == 200
        await _ends_signed_out(stream)
    browser = app.test_client()
    await login(browser, place.owner["email"])
    async with open_stream(app, headers=_cookie(browser)) as stream:
        assert (await browser.post("/api/auth/logout", headers=CSRF)).status_code == 200
        await _ends_signed_out(stream)


async def test_removing_a_staff_member_ends_their_stream(app_factory, postgres_url):
    app = await _app(app_factory, postgres_url)
    place = await make_restaurant(app)
    staff = await add_staff(place.client)
    browser = app.test_client()
    await login(browser, staff["email"])
    async with open_stream(app, headers=_cookie(browser)) as stream:
        assert (await place.client.delete(f"/api/staff/{staff['id']}", headers=CSRF)).status_code == 200
        await _ends_signed_out(stream)


async def test_a_password_change_ends_every_other_session_and_token_but_this_one(app_factory, postgres_url):
    app = await _app(app_factory, postgres_url)
    place = await make_restaurant(app)
    email = place.owner["email"]
    other = app.test_client()
    await login(other, email)
    kept, revoked = await create_token(place.client, name="kept"), await create_token(place.client, name="gone")
    wrong = await place.client.post(
        "/api/auth/password", json={"currentPassword": "nope", "newPassword": NEW_PASSWORD}, headers=CSRF
    )
    assert wrong.status_code == 400 and (await wrong.get_json())["errors"][0]["path"] == "currentPassword"
    weak = await place.client.post(
        "/api/auth/password", json={"currentPassword": PASSWORD, "newPassword": "short"}, headers=CSRF
    )
    assert weak.status_code == 400 and (await weak.get_json())["errors"][0]["path"] == "newPassword"

    async with (
        open_stream(app, headers=_cookie(other)) as other_stream,
        open_stream(app, headers=_cookie(place.client)) as own_stream,
    ):
        body = {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}
        changed = await place.client.post("/api/auth/password", json=body, headers=CSRF)
        assert changed.status_code == 200, await changed.get_data(as_text=True)
        assert await changed.get_json() == {"message": "Password changed.", "sessionsEnded": 1, "tokensRevoked": 2}
        await _ends_signed_out(other_stream)
        await book(place.client)  # this session's own stream goes on
        assert (await own_stream.next_event())["event"] == "reservation.created"
    assert (await other.get("/api/auth/me")).status_code == 401
    assert (await place.client.get("/api/auth/me")).status_code == 200
    for token in (kept, revoked):
        assert (await app.test_client().get("/api/auth/me", headers=bearer(token["token"]))).status_code == 401
    await login(app.test_client(), email, NEW_PASSWORD)
    await login(app.test_client(), email, PASSWORD, expect=401)

    again = await create_token(place.client, name="again")
    body = {"currentPassword": NEW_PASSWORD, "newPassword": NEW_PASSWORD + "!", "keepTokens": True}
    assert (await (await place.client.post("/api/auth/password", json=body, headers=CSRF)).get_json())[
        "tokensRevoked"
    ] == 0
    assert (await app.test_client().get("/api/auth/me", headers=bearer(again["token"]))).status_code == 200


async def test_signing_out_everywhere_ends_every_session(app_factory, postgres_url):
    app = await _app(app_factory, postgres_url)
    place = await make_restaurant(app)
    other = app.test_client()
    await login(other, place.owner["email"])
    token = await create_token(place.client)
    async with open_stream(app, headers=_cookie(other)) as stream:
        done = await place.client.post("/api/auth/logout-everywhere", json={"revokeTokens": True}, headers=CSRF)
        assert await done.get_json() == {"message": "Signed out everywhere.", "sessionsEnded": 2, "tokensRevoked": 1}
        await _ends_signed_out(stream)
    for client in (other, place.client):
        assert (await client.get("/api/auth/me")).status_code == 401
    assert (await app.test_client().get("/api/auth/me", headers=bearer(token["token"]))).status_code == 401


async def test_streams_are_capped_per_credential_and_per_address(app_factory, postgres_url):
    app = await _app(app_factory, postgres_url)
    app.config.update(SSE_MAX_PER_CREDENTIAL=2, SSE_MAX_PER_ADDRESS=3)
    place = await make_restaurant(app)
    first, second = (
        bearer((await create_token(place.client))["token"]),
        bearer((await create_token(place.client))["token"]),
    )
    async with open_stream(app, headers=first), open_stream(app, headers=first):
        refused = await app.test_client().get("/api/events", headers=first)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "5"
        assert (await refused.get_json())["code"] == "too_many_streams"
        async with open_stream(app, headers=second):  # the third from this address
            refused = await app.test_client().get("/api/events", headers=second)
            assert refused.status_code == 429 and "this address" in (await refused.get_json())["message"]
    async with open_stream(app, headers=first):  # closed streams gave their places back
        pass


async def test_shutdown_tells_streams_to_reconnect(app_factory, postgres_url):
    app = await _app(app_factory, postgres_url)
    place = await make_restaurant(app)
    async with open_stream(app, headers=bearer((await create_token(place.client))["token"])) as stream:
        close_streams()
        block = await stream._block(5)
        assert block is not None and "event: reconnect" in block and "retry: 1000" in block


async def test_a_served_stream_does_not_hold_a_graceful_shutdown(tobeout_servers, postgres_url, tmp_path):
    from tests.serving import free_port, service_env

    port = free_port()
    server = tobeout_servers.start(
        port, service_env(port, postgres_url, tmp_path / "var"), tmp_path, args=["--grace", "60"]
    )
    async with httpx.AsyncClient(base_url=server.base, timeout=10) as client:
        email = "stream-owner@example.com"
        body = {"email": email, "password": PASSWORD, "name": "O", "restaurantName": "Streams"}
        assert (await client.post("/api/auth/register", json=body, headers=CSRF)).status_code == 201
        received = ""
        async with client.stream("GET", "/api/events") as response:
            assert response.status_code == 200
            async for chunk in response.aiter_text():
                received += chunk
                if ": connected" in received:
                    server.process.terminate()  # SIGTERM: graceful shutdown with 60 s of grace
                if "event: reconnect" in received:
                    break
    assert "event: reconnect" in received
    assert await asyncio.to_thread(server.process.wait, 30) == 0  # well inside the grace: nothing held it
