"""Event-stream caps held in Redis: two real ``tobeout serve`` processes share them, and the places of a
process killed with streams open are free again once they expire (``SSE_SLOT_SECONDS``)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.api.helpers import CSRF, PASSWORD
from tests.serving import ServerPool, free_port, run_tobeout, service_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

CAPS = {"SSE_MAX_PER_CREDENTIAL": "2", "SSE_SLOT_SECONDS": "3", "LOG_LEVEL": "WARNING"}


@contextlib.asynccontextmanager
async def _stream(base: str, token: str) -> AsyncIterator[int]:
    """``GET /api/events`` with ``token``; yields its status once it is open (or refused)."""
    async with (
        httpx.AsyncClient(base_url=base, timeout=30) as client,
        client.stream("GET", "/api/events", headers={"Authorization": f"Bearer {token}"}) as response,
    ):
        chunks = response.aiter_text()  # kept while the stream is held: a finished iterator closes it
        if response.status_code == 200:
            async for chunk in chunks:
                if ": connected" in chunk:
                    break
        yield response.status_code


async def _status(base: str, token: str) -> int:
    async with _stream(base, token) as status:
        return status


async def test_two_processes_share_the_caps_and_a_killed_ones_places_expire(
    tmp_path: Path, postgres_url: str, redis_url: str, tobeout_servers: ServerPool
) -> None:
    port_a, port_b = free_port(), free_port()
    env_a = service_env(port_a, postgres_url, tmp_path / "var", redis_url=redis_url, **CAPS)
    env_b = service_env(port_b, postgres_url, tmp_path / "var", redis_url=redis_url, **CAPS)
    run_tobeout(["db", "upgrade"], env_a, tmp_path)
    a = await asyncio.to_thread(tobeout_servers.start, port_a, env_a, tmp_path)
    b = await asyncio.to_thread(tobeout_servers.start, port_b, env_b, tmp_path)
    async with httpx.AsyncClient(base_url=a.base, timeout=30, headers=CSRF) as owner:
        body = {"email": "caps@example.com", "password": PASSWORD, "name": "C", "restaurantName": "Caps"}
        assert (await owner.post("/api/auth/register", json=body)).status_code == 201
        token = (await owner.post("/api/auth/tokens", json={"name": "streams"})).json()["token"]

    async with contextlib.AsyncExitStack() as on_a:
        assert await on_a.enter_async_context(_stream(a.base, token)) == 200
        async with _stream(b.base, token) as second:
            assert second == 200  # one on each process: the cap of 2 is reached over both
            assert await _status(a.base, token) == 429
            assert await _status(b.base, token) == 429
        assert await on_a.enter_async_context(_stream(a.base, token)) == 200  # B's place was given back
        assert await _status(b.base, token) == 429

        a.stop(signal.SIGKILL)  # killed with its two streams open: their places are not given back
        assert await _status(b.base, token) == 429
        statuses = []
        for _ in range(60):  # bounds a hang only: the places expire 3 s after their last renewal
            statuses.append(await _status(b.base, token))
            if statuses[-1] != 429:
                break
            await asyncio.sleep(0.5)
        assert statuses[-1] == 200, statuses  # the dead process's places expired
