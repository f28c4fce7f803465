"""The cache is never stale after a write (one process, and two processes sharing Redis), /api/events
carries a restaurant's events to every process's dashboards and nobody else's, and the API keeps
answering when Redis goes away, then returns to it by itself."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from api.events import ACTIVE_STREAMS
from core.accounts import create_user
from core.events import DomainEvent
from core.models import Table, TableStatus, UserRole
from tests.api.bookkit import DAY, NOW, Clock, book, make_restaurant, open_stream
from tests.api.helpers import CSRF, PASSWORD, bearer, create_token, login

if TYPE_CHECKING:
    from quart.testing import QuartClient

    from api.app import App

AVAILABILITY = f"/api/booking/availability?date={DAY}&time=19:00&guests=2"


async def _available(client: QuartClient, headers: dict[str, str] | None = None) -> bool:
    """Can two be seated tomorrow at 19:00? (No usable table at all is a booking refusal, a 400: False.)"""
    response = await client.get(AVAILABILITY, headers=headers)
    body = await response.get_json()
    if response.status_code == 400 and body["message"] != "Validation error":
        return False
    assert response.status_code == 200, body
    return body["available"]


async def _fill_seven_pm(client: QuartClient, headers: dict[str, str] | None = None) -> None:
    for _ in range(3):
        await book(client, headers=headers)


async def _hide_tables_behind_the_apis_back(restaurant_id: int) -> None:
    """A change that publishes no event (as if written by hand in the database)."""
    await Table.filter(restaurant_id=restaurant_id).update(status=TableStatus.UNAVAILABLE)


async def _restore_tables(restaurant_id: int) -> None:
    await Table.filter(restaurant_id=restaurant_id).update(status=TableStatus.FREE)


# --- cache: one process --------------------------------------------------------------------


async def test_cache_serves_reads_and_every_write_invalidates_it_in_process(app_factory, postgres_url):
    app = await app_factory(postgres_url, clock=Clock(NOW))
    place = await make_restaurant(app)
    assert await _available(place.client)
    await _hide_tables_behind_the_apis_back(place.id)
    assert await _available(place.client), "the answer is cached: a change without an event is not seen"
    await _restore_tables(place.id)
    await _fill_seven_pm(place.client)
    assert not await _available(place.client), "a booking invalidated the cache at once"
    canceled = (await (await place.client.get("/api/reservations")).get_json())["items"][0]
    await place.client.post(f"/api/booking/cancel/{canceled['id']}", headers=CSRF)
    assert await _available(place.client)


async def test_events_published_outside_the_api_invalidate_too(app_factory, postgres_url):
    """A booking made by a channel publishes on the same bus: the one handler covers it."""
    app = await app_factory(postgres_url, clock=Clock(NOW))
    place = await make_restaurant(app)
    assert await _available(place.client)
    await _hide_tables_behind_the_apis_back(place.id)
    assert await _available(place.client)
    for kind in ("reservation.created", "table.changed", "hours.changed", "guest.changed"):
        await _restore_tables(place.id)
        assert await _available(place.client)
        await _hide_tables_behind_the_apis_back(place.id)
        await app.runtime.bus.publish(DomainEvent(kind, place.id, {}))
        assert not await _available(place.client), kind


async def test_events_published_together_make_each_namespace_stale_once(app_factory, postgres_url, private_redis):
    """A conversation turn's events (its messages, a handoff) bump the reports' generation once, not once per
    event; a reservation among them bumps the restaurant's too; other restaurants' namespaces stay."""
    app = await app_factory(postgres_url, env={"REDIS_URL": private_redis}, clock=Clock(NOW))
    place = await make_restaurant(app)
    cache, other = app.runtime.cache, place.id + 1000
    names = [f"restaurant:{place.id}", f"reports:{place.id}", f"restaurant:{other}", f"reports:{other}"]

    async def generations() -> list[int]:
        return [await cache.generation(name) for name in names]

    before = await generations()
    turn = [DomainEvent(kind, place.id, {}) for kind in ("conversation.message", "conversation.message")]
    await app.runtime.bus.publish_all(turn)
    assert await generations() == [before[0], before[1] + 1, before[2], before[3]]
    await app.runtime.bus.publish_all([*turn, DomainEvent("reservation.created", place.id, {})])
    assert await generations() == [before[0] + 1, before[1] + 2, before[2], before[3]]
    assert await _available(place.client)
    await _hide_tables_behind_the_apis_back(place.id)
    assert await _available(place.client), "cached"
    await app.runtime.bus.publish_all(turn)
    assert await _available(place.client), "a conversation's events leave the availability cache alone"
    await app.runtime.bus.publish_all([*turn, DomainEvent("table.changed", place.id, {})])
    assert not await _available(place.client), "a table change among a batch's events makes availability stale"


async def test_one_restaurants_write_keeps_anothers_cache(app_factory, postgres_url):
    app = await app_factory(postgres_url, clock=Clock(NOW))
    first, second = await make_restaurant(app), await make_restaurant(app)
    assert await _available(second.client)
    await _hide_tables_behind_the_apis_back(second.id)
    await _fill_seven_pm(first.client)
    assert await _available(second.client), "the first restaurant's events leave the second's cache alone"


async def test_the_handler_is_installed_once(app_factory, postgres_url):
    app = await app_factory(postgres_url)
    handlers = [h for h in app.runtime.bus._batch_handlers if h.__name__ == "invalidate_restaurant_cache"]
    assert len(handlers) == 1


# --- cache: two processes sharing Redis ------------------------------------------------------


async def test_read_after_write_is_fresh_across_two_instances(app_factory, postgres_url, private_redis):
    clock = Clock(NOW)
    a = await app_factory(postgres_url, env={"REDIS_URL": private_redis}, clock=clock)
    b = await app_factory(postgres_url, env={"REDIS_URL": private_redis}, clock=clock)
    place = await make_restaurant(a)
    token = bearer((await create_token(place.client))["token"])
    on_b = b.test_client()
    assert await _available(on_b, token)
    await _hide_tables_behind_the_apis_back(place.id)
    assert await _available(on_b, token), "B serves its cached answer"
    assert await _available(a.test_client(), token), "A reads the very same cached answer from Redis"
    await _restore_tables(place.id)
    await _fill_seven_pm(place.client)  # written through A
    assert not await _available(on_b, token), "B sees A's bookings at once"
    listing = await (await on_b.get("/api/reservations", headers=token)).get_json()
    await on_b.post(f"/api/booking/cancel/{listing['items'][0]['id']}", headers=token)  # written through B
    assert await _available(place.client), "A sees B's cancellation at once"


# --- live events -------------------------------------------------------------------------------


async def test_event_stream_format_and_heartbeats(app_factory, postgres_url):
    app = await app_factory(postgres_url, clock=Clock(NOW))
    app.config["SSE_HEARTBEAT_SECONDS"] = 0.05
    place = await make_restaurant(app)
    token = bearer((await create_token(place.client))["token"])
    async with open_stream(app, headers=token) as stream:
        made = await book(place.client)
        event = await stream.next_event()
        assert event["event"] == "reservation.created"
        assert event["id"] == event["data"]["id"]
        assert event["data"]["restaurantId"] == place.id and event["data"]["type"] == "reservation.created"
        assert event["data"]["data"]["reservationId"] == made["id"]
        await asyncio.sleep(0.2)
        assert await stream.events_within(0.1) == []
        assert "heartbeat" in stream.comments


async def test_disconnecting_ends_the_stream(app_factory, postgres_url):
    app = await app_factory(postgres_url, clock=Clock(NOW))
    place = await make_restaurant(app)
    token = bearer((await create_token(place.client))["token"])
    async with open_stream(app, headers=token), open_stream(app, headers=token):
        assert app.runtime.stash[ACTIVE_STREAMS] == 2
    for _ in range(100):
        if app.runtime.stash[ACTIVE_STREAMS] == 0:
            break
        await asyncio.sleep(0.01)
    assert app.runtime.stash[ACTIVE_STREAMS] == 0
    assert not any(app.runtime.bus._fanout._queues.values()), "no subscription is left behind"


async def test_events_endpoint_refusals(app_factory, postgres_url):
    app = await app_factory(postgres_url)
    assert (await app.test_client().get("/api/events")).status_code == 401
    first, second = await make_restaurant(app), await make_restaurant(app)
    response = await first.client.get(f"/api/events?restaurantId={second.id}")
    assert response.status_code == 404


async def test_events_reach_the_restaurants_streams_on_another_instance_only(app_factory, postgres_url, private_redis):
    clock = Clock(NOW)
    a = await app_factory(postgres_url, env={"REDIS_URL": private_redis}, clock=clock)
    b = await app_factory(postgres_url, env={"REDIS_URL": private_redis}, clock=clock)
    b.config["SSE_HEARTBEAT_SECONDS"] = 0.05
    mine, other = await make_restaurant(a), await make_restaurant(a)
    my_token = bearer((await create_token(mine.client))["token"])
    other_token = bearer((await create_token(other.client))["token"])
    async with open_stream(b, headers=my_token) as my_stream, open_stream(b, headers=other_token) as other_stream:
        made = await book(mine.client)  # through A
        event = await my_stream.next_event()
        assert event["event"] == "reservation.created" and event["data"]["data"]["reservationId"] == made["id"]
        await mine.client.post(f"/api/booking/cancel/{made['id']}", headers=CSRF)
        assert (await my_stream.next_event())["event"] == "reservation.canceled"
        theirs = await book(other.client)
        assert (await other_stream.next_event())["data"]["data"]["reservationId"] == theirs["id"]
        assert await my_stream.events_within(0.3) == [], "never another restaurant's event"
        assert "heartbeat" in my_stream.comments


async def test_admin_streams_one_restaurant_or_all(app_factory, postgres_url, private_redis):
    a = await app_factory(postgres_url, env={"REDIS_URL": private_redis}, clock=Clock(NOW))
    b = await app_factory(postgres_url, env={"REDIS_URL": private_redis}, clock=Clock(NOW))
    first, second = await make_restaurant(a), await make_restaurant(a)
    admin = await create_user(email="root@example.com", name="Root", password=PASSWORD, role=UserRole.ADMIN)
    admin_client = b.test_client()
    await login(admin_client, admin.email)
    cookie = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in admin_client.cookie_jar)}
    async with (
        open_stream(b, headers=cookie) as everything,
        open_stream(b, f"/api/events?restaurantId={second.id}", headers=cookie) as only_second,
    ):
        await book(first.client)
        await book(second.client)
        seen = [e["data"]["restaurantId"] for e in [await everything.next_event(), await everything.next_event()]]
        assert sorted(seen) == sorted([first.id, second.id])
        assert (await only_second.next_event())["data"]["restaurantId"] == second.id
        assert await only_second.events_within(0.2) == []


# --- Redis away ----------------------------------------------------------------------------------


class TcpProxy:
    """A TCP relay on 127.0.0.1 to Redis that a test can cut and restore (Redis going away and back)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.port, reuse_address=True)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        self.writers.clear()
        await self.server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.writers -= {writer, up_writer}


async def _wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.2)


async def test_api_answers_from_the_database_when_redis_is_unreachable(app_factory, postgres_url):
    app = await app_factory(postgres_url, env={"REDIS_URL": "redis://127.0.0.1:1/0"}, clock=Clock(NOW))
    place = await make_restaurant(app)
    token = bearer((await create_token(place.client))["token"])
    async with open_stream(app, headers=token) as stream:
        assert await _available(place.client)
        await _fill_seven_pm(place.client)
        assert not await _available(place.client), "the in-process fallback cache is invalidated too"
        assert (await (await place.client.get("/api/reservations")).get_json())["total"] == 3
        assert (await stream.next_event())["event"] == "reservation.created", "events degrade to in-process"
    ready = await (await app.test_client().get("/readyz")).get_json()
    assert ready["status"] == "ready"  # it serves from the database: a load balancer keeps it
    assert ready["checks"]["redis"]["ok"] is False and ready["checks"]["events"]["ok"] is False


async def test_redis_going_away_and_coming_back(app_factory, postgres_url, private_redis):
    host, _, rest = private_redis.removeprefix("redis://").partition(":")
    port, _, db = rest.partition("/")
    proxy = TcpProxy(host, int(port))
    await proxy.start()
    app = await app_factory(postgres_url, env={"REDIS_URL": f"redis://127.0.0.1:{proxy.port}/{db}"}, clock=Clock(NOW))
    client = app.test_client()

    async def ready() -> bool:  # ready, with Redis
        answer = await client.get("/readyz")
        return answer.status_code == 200 and (await answer.get_json())["checks"]["redis"]["ok"]

    place = await make_restaurant(app)
    assert await ready() and await _available(place.client)
    await proxy.stop()
    try:
        await book(place.client, time="13:00")
        assert await _available(place.client)
        await _fill_seven_pm(place.client)
        assert not await _available(place.client)
        assert (await (await place.client.get("/api/reservations")).get_json())["total"] == 4
        assert not await ready()
    finally:
        await proxy.start()
    await _wait_for(ready)
    assert not await _available(place.client), "the answer cached in Redis before the outage is not served"
    await _wait_for(lambda: _events_cross_redis(app))
    listing = await (await place.client.get(f"/api/reservations?date={DAY}")).get_json()
    await place.client.post(f"/api/booking/cancel/{listing['items'][-1]['id']}", headers=CSRF)
    assert await _available(place.client), "and the cache follows writes again"
    await proxy.stop()


async def _events_cross_redis(app: App) -> bool:
    return not app.runtime.bus.degraded
