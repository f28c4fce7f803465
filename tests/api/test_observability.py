"""Request ids through the logs and the outbox, the access log, JSON logs, the start-up line and /metrics."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from core.conversation.types import Reply
from core.db import safe_url
from core.models import OutboxMessage
from core.outbox import enqueue
from tests.api.bookkit import NOW, Clock, book, make_restaurant
from tests.conftest import service_log

METRICS_TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def log_buffer() -> Iterator[io.StringIO]:
    """The service's logging at DEBUG (json) into a buffer."""
    with service_log("json") as buffer:
        yield buffer


async def test_a_request_id_follows_the_request_into_the_engine_and_the_outbox(app_factory, postgres_url, log_buffer):
    app = await app_factory(postgres_url, clock=Clock(NOW), env={"METRICS_TOKEN": METRICS_TOKEN})
    place = await make_restaurant(app)
    response = await place.client.post(
        "/api/booking/create",
        json={
            "date": "2026-06-02",
            "time": "19:00",
            "guests": 2,
            "guest": {"name": "Ada", "phone": "+44 20 7946 0001"},
        },
        headers={"X-Requested-With": "XMLHttpRequest", "X-Request-Id": "req-booking-42"},
    )
    assert response.status_code == 201 and response.headers["X-Request-Id"] == "req-booking-42"
    made = await book(place.client)
    assert len((await place.client.get("/healthz")).headers["X-Request-Id"]) == 16  # made up when not given
    lines = [json.loads(line) for line in log_buffer.getvalue().splitlines()]
    assert all(line["time"].endswith("Z") for line in lines)
    ours = [line for line in lines if line.get("request_id") == "req-booking-42"]
    assert any("pg_advisory_xact_lock" in line["message"] for line in ours)  # the booking engine's lock
    assert any(line["logger"] == "tortoise.db_client" and 'INSERT INTO "guests"' in line["message"] for line in ours)
    assert any(
        line["logger"] == "tobeout.access" and line["message"].startswith("POST /api/booking/create 201 ")
        for line in ours
    )

    from core.logs import REQUEST_ID

    token = REQUEST_ID.set("req-outbox-7")
    try:
        row = await enqueue(
            restaurant_id=place.id,
            kind="notification",
            dedup_key="obs-1",
            channel="webchat",
            chat_id="s",
            replies=[Reply("hi")],
            due=NOW,
        )
    finally:
        REQUEST_ID.reset(token)
    assert row is not None and (await OutboxMessage.get(id=row.id)).payload["requestId"] == "req-outbox-7"
    assert made["id"]


async def test_metrics_need_their_token_and_count_requests_streams_and_the_outbox(app_factory, postgres_url):
    app = await app_factory(postgres_url, clock=Clock(NOW), env={"METRICS_TOKEN": METRICS_TOKEN})
    place = await make_restaurant(app)
    await book(place.client)
    anonymous = app.test_client()
    assert (await anonymous.get("/metrics")).status_code == 401
    assert (await anonymous.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
    response = await anonymous.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200 and response.content_type.startswith("text/plain")
    text = await response.get_data(as_text=True)
    assert 'tobeout_http_requests_total{method="POST",route="/api/booking/create",status="201"}' in text
    assert 'tobeout_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/booking/create"}' in text
    assert 'tobeout_outbox_messages{status="pending"}' in text and "tobeout_outbox_oldest_due_seconds" in text
    assert "tobeout_sse_streams" in text
    closed = await app_factory(postgres_url)
    assert (await closed.test_client().get("/metrics", headers={"Authorization": "Bearer x"})).status_code == 404


def test_start_up_names_its_targets_without_passwords():
    assert safe_url("postgres://tobeout:s3cret@db:5432/tobeout?maxsize=10") == "postgres://tobeout@db:5432/tobeout"
    assert safe_url("redis://:pw@cache:6379/0") == "redis://cache:6379/0"
    assert safe_url("sqlite:///srv/var/tobeout.sqlite3") == "sqlite:///srv/var/tobeout.sqlite3"
