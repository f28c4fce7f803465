"""``tobeout serve`` as an operator runs it (issue 14): --workers refused where unsafe, a taken port,
several processes with a graceful SIGTERM, 200 clients at once, and keep-alive after an early 401/403.

Real processes on PostgreSQL and Redis (tests/serving.py); every assertion is on counts and statuses.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.serving import ROOT, TOBEOUT, ServerPool, free_port, run_tobeout, service_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _plugins_file(tmp_path: Path) -> Path:
    """The repository's plugins.toml plus the test plugin with ``/test/slow``."""
    path = tmp_path / "plugins.toml"
    path.write_text((ROOT / "plugins.toml").read_text() + '\n[plugins."tests.api.slow_plugin"]\n')
    return path


def _env(tmp_path: Path, port: int, database_url: str, redis_url: str | None) -> dict[str, str]:
    return service_env(
        port,
        database_url,
        tmp_path / "var",
        redis_url=redis_url,
        TOBEOUT_PLUGINS_FILE=str(_plugins_file(tmp_path)),
        LOG_LEVEL="WARNING",
    )


def _serve(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TOBEOUT), "serve", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def test_workers_are_refused_on_sqlite_and_without_redis(tmp_path: Path, postgres_url: str, redis_url: str) -> None:
    port = free_port()
    sqlite = _env(tmp_path, port, f"sqlite:///{tmp_path / 'one.db'}", redis_url)
    done = _serve(["--port", str(port), "--workers", "2"], sqlite, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "--workers needs PostgreSQL" in done.stderr and "serving on" not in done.stdout

    no_redis = _env(tmp_path, port, postgres_url, None)
    done = _serve(["--port", str(port), "--workers", "2"], no_redis, tmp_path)
    assert done.returncode == 2
    assert "--workers needs REDIS_URL" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_taken_port_is_one_line_and_status_2(tmp_path: Path, postgres_url: str, redis_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        env = _env(tmp_path, port, postgres_url, redis_url)
        for workers in ("1", "2"):
            done = _serve(["--port", str(port), "--workers", workers], env, tmp_path, timeout=30)
            assert done.returncode == 2
            assert done.stderr.strip() == (
                f"tobeout: port {port} on 127.0.0.1 is already in use (another tobeout "
                "serve?); stop it or choose another with --port."
            )
            assert "serving on" not in done.stdout and "Traceback" not in done.stderr


def test_make_run_on_a_taken_port_fails_without_serving_on(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        env = service_env(port, f"sqlite:///{tmp_path / 'demo.db'}", tmp_path / "var")
        done = subprocess.run(
            ["make", "-s", "run", f"PORT={port}", f"PYTHON={TOBEOUT.parent / 'python'}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode != 0
    assert "serving on" not in done.stdout
    assert f"tobeout: port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "Traceback" not in done.stderr


def test_two_workers_serve_and_stop_gracefully(
    tmp_path: Path, postgres_url: str, redis_url: str, tobeout_servers: ServerPool
) -> None:
    port = free_port()
    env = _env(tmp_path, port, postgres_url, redis_url)
    run_tobeout(["db", "upgrade"], env, tmp_path)
    server = tobeout_servers.start(port, env, tmp_path, args=["--workers", "2", "--grace", "20"])
    pids: set[int] = set()
    # New connections are spread by the kernel over the processes that accept; on a loaded host the second
    # may still be starting when the first answers, so ask until both have answered (a bound, not a timing).
    deadline = time.monotonic() + 60
    with httpx.Client(base_url=server.base, timeout=10) as client:
        while len(pids) < 2 and time.monotonic() < deadline:
            response = client.get("/test/slow", params={"seconds": "0"}, headers={"Connection": "close"})
            assert response.status_code == 200
            pids.add(response.json()["pid"])
            time.sleep(0.01)
    assert len(pids) == 2

    slow: dict[str, object] = {}

    def in_flight() -> None:
        try:
            slow["status"] = httpx.get(f"{server.base}/test/slow", params={"seconds": "3"}, timeout=30).status_code
        except httpx.HTTPError as exc:
            slow["status"] = repr(exc)

    thread = threading.Thread(target=in_flight)
    thread.start()
    time.sleep(1)  # let the slow request reach a worker (not a timing assertion)
    assert server.stop(signal.SIGTERM, timeout=40) == 0
    thread.join(30)
    assert slow["status"] == 200
    assert "Traceback" not in server.output()


async def _hit_all(base: str, clients: int, per_client: int) -> dict[object, int]:
    """``clients`` connections at once, each sending ``per_client`` requests; answers by status (errors by name)."""
    outcomes: dict[object, int] = {}
    start = asyncio.Event()

    async def one(client: httpx.AsyncClient) -> None:
        await start.wait()
        for _ in range(per_client):
            try:
                key: object = (await client.get("/healthz")).status_code
            except httpx.HTTPError as exc:
                key = exc.__class__.__name__
            outcomes[key] = outcomes.get(key, 0) + 1

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    pool = [httpx.AsyncClient(base_url=base, limits=limits, timeout=60) for _ in range(clients)]
    try:
        tasks = [asyncio.create_task(one(client)) for client in pool]
        start.set()
        await asyncio.gather(*tasks)
    finally:
        await asyncio.gather(*(client.aclose() for client in pool))
    return outcomes


async def test_200_concurrent_clients_are_all_answered(
    tmp_path: Path, postgres_url: str, redis_url: str, tobeout_servers: ServerPool
) -> None:
    port = free_port()
    env = _env(tmp_path, port, postgres_url, redis_url)
    run_tobeout(["db", "upgrade"], env, tmp_path)
    server = await asyncio.to_thread(tobeout_servers.start, port, env, tmp_path)
    for clients in (60, 200):
        assert await _hit_all(server.base, clients, 3) == {200: clients * 3}


def _read_response(sock: socket.socket) -> tuple[int, bytes]:
    """One HTTP/1.1 response (status, headers) read off ``sock``; status 0 when the server closed it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return 0, data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")[1:]
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return 0, head
        rest += chunk
    return int(head.split(b" ", 2)[1]), head


def test_keep_alive_works_after_an_early_403_or_401(
    tmp_path: Path, postgres_url: str, redis_url: str, tobeout_servers: ServerPool
) -> None:
    port = free_port()
    env = _env(tmp_path, port, postgres_url, redis_url)
    run_tobeout(["db", "upgrade"], env, tmp_path)
    tobeout_servers.start(port, env, tmp_path)
    body = b'{"email": "a@example.com", "password": "' + b"x" * 20000 + b'"}'
    refusals = {
        403: b"POST /api/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n",  # no CSRF header
        401: b"POST /api/booking/create HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer tbo_not-a-token\r\n"
        b"Content-Type: application/json\r\n",
    }
    seen: dict[tuple[int, int], int] = {}
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        for round_ in range(60):
            expected = (403, 401)[round_ % 2]
            head = refusals[expected] + b"Content-Length: %d\r\n\r\n" % len(body)
            if round_ % 4 < 2:
                sock.sendall(head + body)
            else:  # the body arrives after the server may already have answered
                sock.sendall(head)
                time.sleep(0.02)
                sock.sendall(body)
            first, _ = _read_response(sock)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            second, _ = _read_response(sock)
            seen[(first, second)] = seen.get((first, second), 0) + 1
    assert seen == {(403, 200): 30, (401, 200): 30}


def test_a_crashed_worker_stops_the_serve_with_status_1(
    tmp_path: Path, postgres_url: str, redis_url: str, tobeout_servers: ServerPool
) -> None:
    port = free_port()
    env = _env(tmp_path, port, postgres_url, redis_url)
    run_tobeout(["db", "upgrade"], env, tmp_path)
    server = tobeout_servers.start(port, env, tmp_path, args=["--workers", "2"])
    pid = httpx.get(f"{server.base}/test/slow", params={"seconds": "0"}, timeout=10).json()["pid"]
    os.kill(pid, signal.SIGKILL)
    assert server.process.wait(timeout=60) == 1
    assert f"tobeout: worker process {pid} exited with status -9; stopping the other workers" in server.output()


def test_shutdown_leaves_an_idle_kept_alive_connection_to_its_client(
    tmp_path: Path, postgres_url: str, redis_url: str, tobeout_servers: ServerPool
) -> None:
    """A proxy may write a request on its idle connection just as the server shuts down; nginx does not
    retry a POST it sent, so the server must not close that connection under it (python -m bench rolling)."""
    port = free_port()
    env = _env(tmp_path, port, postgres_url, redis_url)
    run_tobeout(["db", "upgrade"], env, tmp_path)
    server = tobeout_servers.start(port, env, tmp_path, args=["--grace", "20"])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        assert _read_response(sock)[0] == 200
        server.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20  # until the listener is closed: shutdown has begun
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the server still accepted new connections 20 s after SIGTERM")
        sock.sendall(
            b"POST /api/booking/create HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer tbo_not-a-token\r\n"
            b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        )
        status, head = _read_response(sock)
        assert status == 401  # answered (no token), not a connection closed under the request
        assert b"connection: close" in head.lower()
        assert sock.recv(1) == b""  # and then closed by the server, after the answer
    assert server.process.wait(timeout=30) == 0
