"""``/metrics`` of ``tobeout serve --workers 2``: every process's counts added up, whichever one is scraped.

A real served instance on PostgreSQL and Redis (tests/serving.py); requests on new connections are spread
over both processes by the kernel (the test checks both answered), then every scrape must show the total.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from tests.api.helpers import CSRF, PASSWORD
from tests.api.metrics_scrape import parse, total, value
from tests.serving import ROOT, ServerPool, free_port, run_tobeout, service_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

TOKEN = "metrics-token-served-0123456789abcdef"
HOURS = {
    day: [{"open": "12:00", "close": "23:00"}]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


def _env(tmp_path: Path, port: int, postgres_url: str, redis_url: str) -> dict[str, str]:
    plugins = tmp_path / "plugins.toml"
    plugins.write_text((ROOT / "plugins.toml").read_text() + '\n[plugins."tests.api.slow_plugin"]\n')
    return service_env(
        port,
        postgres_url,
        tmp_path / "var",
        redis_url=redis_url,
        TOBEOUT_PLUGINS_FILE=str(plugins),
        METRICS_TOKEN=TOKEN,
        LOG_LEVEL="WARNING",
    )


def _owner_token(base: str) -> str:
    """Sign up an owner with one table open every day; an API token of theirs."""
    with httpx.Client(base_url=base, timeout=30, headers=CSRF) as owner:
        body = {"email": "metrics@example.com", "password": PASSWORD, "name": "M", "restaurantName": "Metrics"}
        assert owner.post("/api/auth/register", json=body).status_code == 201
        profile = {"openingHours": HOURS, "timezone": "UTC", "avgReservationDuration": 120}
        assert owner.put("/api/restaurants/profile", json=profile).status_code == 200
        assert owner.post("/api/tables", json={"name": "T1", "minGuests": 1, "maxGuests": 6}).status_code == 201
        made = owner.post("/api/auth/tokens", json={"name": "metrics"})
        assert made.status_code == 201, made.text
        return str(made.json()["token"])


def test_every_scrape_adds_up_both_worker_processes(
    tmp_path: Path, postgres_url: str, redis_url: str, tobeout_servers: ServerPool
) -> None:
    port = free_port()
    env = _env(tmp_path, port, postgres_url, redis_url)
    run_tobeout(["db", "upgrade"], env, tmp_path)
    server = tobeout_servers.start(port, env, tmp_path, args=["--workers", "2"])
    token = _owner_token(server.base)
    close = {"Connection": "close"}  # a new connection each time: the kernel picks the process

    pids: dict[int, int] = {}
    for _ in range(40):
        answer = httpx.get(f"{server.base}/test/slow", params={"seconds": "0"}, headers=close, timeout=10)
        pids[answer.json()["pid"]] = pids.get(answer.json()["pid"], 0) + 1
    assert len(pids) == 2, pids  # both processes answered some of them
    first_day = date.today() + timedelta(days=2)
    for n in range(6):
        body = {
            "date": (first_day + timedelta(days=n)).isoformat(),
            "time": "19:00",
            "guests": 2,
            "guest": {"name": f"Guest {n}", "phone": f"+44 20 7946 00{n:02d}"},
        }
        made = httpx.post(
            f"{server.base}/api/booking/create",
            json=body,
            headers={**close, "Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert made.status_code == 201, made.text

    def scrape() -> dict:
        answer = httpx.get(f"{server.base}/metrics", headers={**close, "Authorization": f"Bearer {TOKEN}"}, timeout=10)
        assert answer.status_code == 200
        return parse(answer.text)

    for _ in range(10):  # whichever process answers, it reports both processes' counts
        samples = scrape()
        assert value(samples, "tobeout_http_requests_total", method="GET", route="/test/slow", status="200") == 40
        assert total(samples, "tobeout_http_request_duration_seconds_count", route="/test/slow") == 40
        assert value(samples, "tobeout_bookings_total", event="created", source="staff", actor="staff") == 6
        assert value(samples, "tobeout_sse_streams") == 0
    with (
        httpx.Client(base_url=server.base, timeout=30) as streaming,
        streaming.stream("GET", "/api/events", headers={"Authorization": f"Bearer {token}"}) as stream,
    ):
        chunks = stream.iter_text()  # kept while the stream is held
        assert stream.status_code == 200 and ": connected" in next(chunks)
        assert [value(scrape(), "tobeout_sse_streams") for _ in range(10)] == [1] * 10  # one stream, on one process


def test_the_metrics_directory_is_made_for_several_workers_and_emptied_at_start(tmp_path: Path) -> None:
    from api.serving import metrics_directory

    saved = os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    try:
        assert metrics_directory(1) is None and "PROMETHEUS_MULTIPROC_DIR" not in os.environ  # one process
        made = metrics_directory(2)
        assert made is not None and made.is_dir() and os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(made)
        made.rmdir()
        given = tmp_path / "metrics"
        given.mkdir()
        (given / "counter_4242.db").write_bytes(b"last run")
        (given / "keep.txt").write_text("not ours")
        own = given / f"gauge_livesum_{os.getpid()}.db"  # what this process wrote when it defined its metrics
        own.write_bytes(b"this run")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(given)
        assert metrics_directory(2) is None
        assert sorted(p.name for p in given.iterdir()) == sorted([own.name, "keep.txt"])  # the last run's went
    finally:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        if saved is not None:
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = saved
