"""Redis killed (-9) and restarted under two running processes: events cross processes again, /readyz recovers.

Process A is an app in this test; process B is a real ``tobeout serve`` started from another
directory. Both use a redis-server of this test alone, which the test kills with SIGKILL and
starts again on the same port (no persistence: it comes back empty, as after a crash).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.api.bookkit import NOW, Clock, book, make_restaurant
from tests.api.helpers import bearer, create_token
from tests.conftest import unavailable
from tests.serving import Server, ServerPool, free_port, service_env


class RedisServer:
    """A redis-server on a fixed port that the test can kill -9 and start again."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port(6390, 6399)
        self.directory = directory
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable("redis-server", "not installed")
        self.process = await asyncio.create_subprocess_exec(
            binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.directory),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return
            await asyncio.sleep(0.05)
        unavailable("redis-server", "did not start")

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()


@pytest.fixture
async def redis_server(tmp_path) -> AsyncIterator[RedisServer]:  # type: ignore[no-untyped-def]
    server = RedisServer(tmp_path)
    await server.start()
    try:
        yield server
    finally:
        if server.process is not None and server.process.returncode is None:
            await server.kill()


def served(servers: ServerPool, tmp_path: Path, database_url: str, redis_url: str) -> Server:
    """``tobeout serve`` in another directory, on the given database and Redis."""
    port = free_port()
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    return servers.start(port, service_env(port, database_url, workdir / "var", redis_url=redis_url), workdir)


class RemoteStream:
    """``GET /api/events`` of a served process, read in the background into a queue of events."""

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        self.base, self.headers = base, headers
        self.events: asyncio.Queue[dict] = asyncio.Queue()
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _read(self) -> None:
        async with (
            httpx.AsyncClient(timeout=None) as client,
            client.stream("GET", f"{self.base}/api/events", headers=self.headers) as response,
        ):
            assert response.status_code == 200
            kind = None
            async for line in response.aiter_lines():
                if line.startswith(": connected"):
                    self.connected.set()
                elif line.startswith("event: "):
                    kind = line[len("event: ") :]
                elif line.startswith("data: ") and kind:
                    await self.events.put({"event": kind, "data": json.loads(line[len("data: ") :])})
                    kind = None

    async def __aenter__(self) -> RemoteStream:
        self._task = asyncio.create_task(self._read())
        await asyncio.wait_for(self.connected.wait(), 10)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task

    async def next_reservation(self, reservation_id: int, timeout: float = 10.0) -> dict | None:
        """The next event about ``reservation_id`` within ``timeout`` seconds (others are skipped)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = await asyncio.wait_for(self.events.get(), left)
            except TimeoutError:
                return None
            if event["data"].get("data", {}).get("reservationId") == reservation_id:
                return event
        return None


async def _wait_until(predicate, timeout: float = 20.0) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not await predicate():
        assert time.monotonic() - started < timeout, "timed out"
        await asyncio.sleep(0.2)
    return time.monotonic() - started


async def test_events_cross_processes_again_after_redis_is_killed_and_restarted(
    app_factory, postgres_url, redis_server, tmp_path, tobeout_servers
):
    a = await app_factory(postgres_url, env={"REDIS_URL": redis_server.url}, clock=Clock(NOW))
    place = await make_restaurant(a)
    token = bearer((await create_token(place.client))["token"])
    on_a = a.test_client()

    async def a_ready() -> bool:  # ready, and with Redis again
        answer = await on_a.get("/readyz")
        return answer.status_code == 200 and (await answer.get_json())["checks"]["redis"]["ok"]

    async def b_ready(base: str) -> bool:
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"{base}/readyz", timeout=5)
        return answer.status_code == 200 and answer.json()["checks"]["events"]["ok"]

    with served(tobeout_servers, tmp_path, postgres_url, redis_server.url) as server:
        b = server.base
        async with RemoteStream(b, token) as stream:
            made = await book(place.client, time="13:00")  # written through A, seen on B
            assert (await stream.next_reservation(made["id"]))["event"] == "reservation.created"

            await redis_server.kill()
            during = await book(place.client, time="14:00")  # A keeps booking without Redis
            assert not await a_ready()
            assert (await on_a.get("/readyz")).status_code == 200  # still ready: it serves from PostgreSQL
            body = await (await on_a.get("/readyz")).get_json()
            assert body["checks"]["redis"]["ok"] is False
            assert await stream.next_reservation(during["id"], timeout=1.0) is None, "no Redis: B cannot hear A"

            await redis_server.start()
            a_back = await _wait_until(a_ready)
            b_back = await _wait_until(lambda: b_ready(b))
            await _wait_until(lambda: _not_degraded(a))
            print(f"\nredis restarted: A ready after {a_back:.1f}s, B's events back after {b_back:.1f}s more")
            assert (await (await on_a.get("/readyz")).get_json())["checks"]["events"]["ok"] is True
            after = await book(place.client, time="15:00")
            event = await stream.next_reservation(after["id"])
            assert event is not None and event["event"] == "reservation.created", "events cross processes again"


async def test_a_failed_publish_does_not_leave_the_bus_degraded(app_factory, postgres_url, redis_server):
    """The bug: a publish failing while Redis was away cleared the flag only a fresh subscribe set, and
    redis-py's pub/sub reconnected by itself, so the bus said "in-process only" for good."""
    a = await app_factory(postgres_url, env={"REDIS_URL": redis_server.url}, clock=Clock(NOW))
    place = await make_restaurant(a)
    await redis_server.kill()
    await book(place.client, time="13:00")  # its publish fails
    assert a.runtime.bus.degraded
    await redis_server.start()
    await _wait_until(lambda: _not_degraded(a))
    body = await (await a.test_client().get("/readyz")).get_json()
    assert body["checks"]["events"] == {"ok": True, "detail": "redis pub/sub"}


async def _not_degraded(app) -> bool:  # type: ignore[no-untyped-def]
    return not app.runtime.bus.degraded and await app.runtime.cache.ping()
