"""PostgreSQL away: every request gets a 503 with Retry-After (never a 500), the service comes back by
itself, and a change that committed is never reported as failed.

The app reaches PostgreSQL through a TCP relay the test cuts (every connection dropped, new ones
refused) and restores: what a restart or a network cut looks like from the service.
"""

from __future__ import annotations

import pytest

from tests.api.bookkit import NOW, Clock, book, make_restaurant
from tests.api.documented import Documented
from tests.api.helpers import CSRF, PASSWORD
from tests.api.test_cache_events import TcpProxy


@pytest.fixture
async def relay(postgres_url):  # type: ignore[no-untyped-def]
    host_port = postgres_url.removeprefix("postgres://").split("@", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    proxy = TcpProxy(host, int(port or 5432))
    await proxy.start()
    try:
        yield proxy
    finally:
        if proxy.server is not None and proxy.server.is_serving():
            await proxy.stop()


def _through(postgres_url: str, proxy: TcpProxy) -> str:
    head, _, tail = postgres_url.partition("@")
    database = tail.split("/", 1)[1]
    return f"{head}@127.0.0.1:{proxy.port}/{database}"


async def test_requests_get_503_with_retry_after_while_the_database_is_away(app_factory, postgres_url, relay):
    app = await app_factory(_through(postgres_url, relay), clock=Clock(NOW))
    place = await make_restaurant(app)
    made = await book(place.client, time="19:00")
    documented = await Documented.of(app)
    await relay.stop()
    try:
        probes = [
            ("GET", "/api/reservations", None),
            ("GET", f"/api/reservations/{made['id']}", None),
            ("PATCH", f"/api/reservations/{made['id']}", {"time": "20:00"}),
            (
                "POST",
                "/api/booking/create",
                {
                    "date": "2026-06-02",
                    "time": "13:00",
                    "guests": 2,
                    "guest": {"name": "Bo", "phone": "+44 20 7946 0002"},
                },
            ),
            ("GET", "/api/guests", None),
            ("GET", "/api/tables", None),
            ("POST", "/api/auth/login", {"email": place.owner["email"], "password": PASSWORD}),
            ("GET", "/api/auth/me", None),
        ]
        for method, path, body in probes:
            response = await place.client.open(path, method=method, json=body, headers=CSRF)
            text = await response.get_data(as_text=True)
            assert response.status_code == 503, (method, path, response.status_code, text)
            assert int(response.headers["Retry-After"]) > 0
            assert (await documented.check(method, path, response))["code"] == "database_unavailable"
        ready = await app.test_client().get("/readyz")
        assert ready.status_code == 503 and (await ready.get_json())["unavailable"] == ["database"]
    finally:
        await relay.start()
    # back by itself: the pool reconnects, nothing was half-written
    listing = await place.client.get("/api/reservations")
    assert listing.status_code == 200
    items = (await listing.get_json())["items"]
    assert [(r["id"], r["time"]) for r in items] == [(made["id"], "19:00")]
    assert (await app.test_client().get("/readyz")).status_code == 200


async def test_a_change_that_committed_is_reported_as_done(app_factory, postgres_url, relay):
    """The database goes away right after the PATCH committed (a handler of its event cuts the relay):
    the answer is built from what was read inside the transaction, so it is a 200, and the change is there."""
    app = await app_factory(_through(postgres_url, relay), clock=Clock(NOW))
    place = await make_restaurant(app)
    made = await book(place.client, time="19:00")

    async def cut_after_commit(event) -> None:  # type: ignore[no-untyped-def]
        if event.type == "reservation.status_changed" and relay.server is not None and relay.server.is_serving():
            await relay.stop()

    app.runtime.bus.add_handler(cut_after_commit)
    response = await place.client.patch(
        f"/api/reservations/{made['id']}", json={"time": "20:00", "status": "confirmed"}, headers=CSRF
    )
    assert response.status_code == 200, await response.get_data(as_text=True)
    body = await response.get_json()
    assert (body["time"], body["status"]) == ("20:00", "confirmed")
    await relay.start()
    after = await (await place.client.get(f"/api/reservations/{made['id']}")).get_json()
    assert (after["time"], after["status"]) == ("20:00", "confirmed")


async def test_the_availability_read_answers_503_never_500_when_its_connections_are_killed(app_factory, tmp_path):
    """What a PostgreSQL shutdown does to pooled connections (they are ended under the pool): the first
    reads after it may meet a connection in a broken state; they answer 503 or succeed, never 500."""
    import asyncpg

    from core.db_errors import database_unavailable
    from tests.api.bookkit import DAY, NOW, Clock, make_restaurant
    from tests.conftest import TEST_DATABASE_URL, _dsn, empty_postgres_database

    assert database_unavailable(
        asyncpg.InternalClientError("cannot switch to state 12; another operation (2) is in progress")
    )
    async with empty_postgres_database("tobeout_shutdown") as url:
        from core import db

        await db.upgrade(url)
        app = await app_factory(url, clock=Clock(NOW))
        place = await make_restaurant(app)
        admin = await asyncpg.connect(_dsn(TEST_DATABASE_URL))
        seen = []
        try:
            for _ in range(5):
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = $1 AND pid <> pg_backend_pid()",
                    url.rsplit("/", 1)[1],
                )
                for _ in range(3):
                    response = await place.client.get(f"/api/booking/availability?date={DAY}&guests=2")
                    seen.append(response.status_code)
                    if response.status_code == 503:
                        assert (await response.get_json())["code"] == "database_unavailable"
        finally:
            await admin.close()
        assert set(seen) <= {200, 503} and seen[-1] == 200, seen
