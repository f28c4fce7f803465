"""Slow and greedy clients against a real ``tobeout serve``, from raw sockets: a client that sends its headers
a line at a time (slowloris), one that sends nothing, one that stops halfway through its body, each gets
408 and its connection closed; beyond ``--limit-concurrency`` connections a request gets 503."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest

from tests.api.metrics_scrape import parse, value
from tests.serving import Server, ServerPool, free_port, run_tobeout, service_env

pytestmark = [pytest.mark.postgres]

METRICS_TOKEN = "metrics-token-slow-clients-0123456789"
#: Bounds a hang only: every read below ends long before it when the server behaves.
READ_BOUND = 30.0


def _start(tobeout_servers: ServerPool, tmp_path: Path, postgres_url: str, *args: str) -> Server:
    port = free_port()
    env = service_env(port, postgres_url, tmp_path / "var", LOG_LEVEL="INFO", METRICS_TOKEN=METRICS_TOKEN)
    run_tobeout(["db", "upgrade"], env, tmp_path)
    return tobeout_servers.start(port, env, tmp_path, args=list(args))


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=READ_BOUND)
    return sock


def _read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def _answered(sock: socket.socket) -> bytes | None:
    """What the server sent or b"" when it closed (an answer to a request not finished means cut off); None
    while it waits (without waiting here)."""
    sock.setblocking(False)
    try:
        return sock.recv(65536)
    except BlockingIOError:
        return None
    except (ConnectionResetError, BrokenPipeError):
        return b""
    finally:
        sock.setblocking(True)


def test_slowloris_headers_silence_and_a_stalled_body_are_cut_off(
    tobeout_servers: ServerPool, tmp_path: Path, postgres_url: str
) -> None:
    server = _start(tobeout_servers, tmp_path, postgres_url, "--header-timeout", "1", "--body-timeout", "1")
    base = server.base

    slowloris = _connect(base)
    slowloris.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\n")
    answer: bytes | None = None
    sent = 0
    for sent in range(1, 41):  # a header line every 0.25 s would take 10 s to finish
        time.sleep(0.25)
        answer = _answered(slowloris)
        if answer is not None:
            break
        slowloris.sendall(f"X-Slow-{sent}: {sent}\r\n".encode())
    slowloris.close()
    assert sent < 40 and answer is not None  # cut off long before its headers were done
    assert answer.startswith(b"HTTP/1.1 408 ") and b"headers" in answer

    silent = _connect(base)  # connects and says nothing
    answer = _read_until_closed(silent)
    silent.close()
    assert answer.startswith(b"HTTP/1.1 408 ") and b'"request_timeout"' in answer

    stalled = _connect(base)
    stalled.sendall(
        b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"X-Requested-With: XMLHttpRequest\r\nContent-Length: 200\r\n\r\n"
        b'{"email": "a@example.com", '
    )
    answer = _read_until_closed(stalled)
    stalled.close()
    assert answer.startswith(b"HTTP/1.1 408 ") and b"body" in answer

    with httpx.Client(base_url=base, timeout=10) as client:  # quick clients are served as before
        assert client.get("/livez").status_code == 200
        refused = client.post("/api/auth/login", json={"email": "a@example.com", "password": "x" * 12})
        assert refused.status_code in (400, 401, 403), refused.text
        assert client.get("/livez").status_code == 200  # on the same kept-alive connection
        refused = parse(client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text)
    assert value(refused, "tobeout_http_refused_total", reason="header_timeout") == 2
    assert value(refused, "tobeout_http_refused_total", reason="body_timeout") == 1
    log = server.output()
    assert "Traceback" not in log and log.count("the request headers took over 1 s") == 2
    assert "the request body took over 1 s" in log


def test_beyond_the_concurrency_limit_a_request_gets_503(
    tobeout_servers: ServerPool, tmp_path: Path, postgres_url: str
) -> None:
    base = _start(tobeout_servers, tmp_path, postgres_url, "--limit-concurrency", "4", "--header-timeout", "60").base
    held = [_connect(base) for _ in range(4)]  # four idle connections fill the process's four places
    try:
        extra = _connect(base)
        extra.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = _read_until_closed(extra)
        extra.close()
        assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
    finally:
        for sock in held:
            sock.close()
    with httpx.Client(base_url=base, timeout=10) as client:  # once they left, requests are served again
        for _ in range(50):
            if client.get("/livez").status_code == 200:
                break
            time.sleep(0.1)  # the server notices the closed connections on its next loop turns
        assert client.get("/livez").status_code == 200
        scrape = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert value(parse(scrape.text), "tobeout_http_refused_total", reason="too_busy") >= 1
