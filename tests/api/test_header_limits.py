"""A served instance refuses too many or too big request headers with 431, before the app runs."""

from __future__ import annotations

import httpx

from tests.serving import free_port, service_env


def test_too_many_or_too_big_headers_are_431(tobeout_servers, postgres_url, tmp_path):
    port = free_port()
    server = tobeout_servers.start(port, service_env(port, postgres_url, tmp_path / "var"), tmp_path)
    with httpx.Client(base_url=server.base, timeout=10) as client:
        assert client.get("/livez", headers={f"x-h{i}": "v" for i in range(50)}).status_code == 200
        many = client.get("/livez", headers={f"x-h{i}": "v" for i in range(2000)})
        assert many.status_code == 431 and many.json()["code"] == "headers_too_large"
        big = client.get("/api/auth/session", headers={"x-big": "a" * 100_000})
        assert big.status_code == 431
        assert client.get("/livez").status_code == 200  # and the server serves on
