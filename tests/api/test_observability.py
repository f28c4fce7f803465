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
from tests.api.bookkit import NOW, Clock, book, make_restaurant, open_stream
from tests.api.helpers import CSRF, bearer, create_token
from tests.api.metrics_scrape import Samples, grew, parse, value
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


async def test_metrics_count_bookings_turns_model_calls_and_streams_after_real_actions(
    app_factory, postgres_url, fake_openai
):
    env = {
        "METRICS_TOKEN": METRICS_TOKEN,
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": fake_openai.base_url,
        "OPENAI_TIMEOUT": "2",
    }
    app = await app_factory(postgres_url, clock=Clock(NOW), env=env)
    place = await make_restaurant(app)
    scraper = app.test_client()

    async def scrape() -> Samples:
        response = await scraper.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert response.status_code == 200
        return parse(await response.get_data(as_text=True))

    guest_chat = app.test_client()

    async def say(text: str, n: int) -> dict:
        body = {"sessionId": "metrics-visitor-01", "text": text, "messageId": f"metrics-msg-{n}"}
        response = await guest_chat.post(f"/channels/webchat/{place.id}/messages", json=body)
        assert response.status_code == 200, await response.get_data(as_text=True)
        return await response.get_json()

    before = await scrape()
    first = await book(place.client)
    await book(place.client, time="20:00")
    await book(place.client, time="21:00", source="phone")
    canceled = await place.client.post(f"/api/booking/cancel/{first['id']}", headers=CSRF)
    assert canceled.status_code == 200, await canceled.get_data(as_text=True)
    fake_openai.queue_text("Hello! For how many people?")
    assert (await say("hello", 1))["replies"][0]["text"] == "Hello! For how many people?"
    fake_openai.queue_error(400)  # the model refuses: the guided path answers this turn
    assert (await say("table for 2 tomorrow at 7pm", 2))["replies"]
    async with open_stream(app, headers=bearer((await create_token(place.client))["token"])):
        during = await scrape()
    after = await scrape()

    assert grew(before, after, "tobeout_bookings_total", event="created", source="staff", actor="staff") == 2
    assert grew(before, after, "tobeout_bookings_total", event="created", source="phone", actor="staff") == 1
    assert grew(before, after, "tobeout_bookings_total", event="canceled", source="staff", actor="staff") == 1
    assert grew(before, after, "tobeout_conversation_turns_total", path="llm") == 1
    assert grew(before, after, "tobeout_conversation_turns_total", path="fallback") == 1
    assert grew(before, after, "tobeout_conversation_turn_seconds_count", path="llm") == 1
    assert grew(before, after, "tobeout_llm_request_seconds_count", outcome="ok") == 1
    assert grew(before, after, "tobeout_llm_request_seconds_count", outcome="failed") == 1
    assert grew(before, after, "tobeout_llm_failures_total", reason="refused") == 1
    assert (
        grew(before, after, "tobeout_http_requests_total", method="POST", route="/api/booking/create", status="201")
        == 3
    )
    assert (
        grew(before, after, "tobeout_http_request_duration_seconds_count", method="POST", route="/api/booking/create")
        == 3
    )
    assert value(during, "tobeout_sse_streams") - value(before, "tobeout_sse_streams") == 1
    assert value(after, "tobeout_sse_streams") == value(before, "tobeout_sse_streams")
