"""The LLM client's own retry loop, through the real openai SDK against the fake OpenAI server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.conversation.llm import LLMClient, LLMUnavailable
from tests.conftest import make_settings
from tests.fakes import FakeOpenAI

USER = [{"role": "user", "content": "Table for two tomorrow?"}]


def client_for(tmp_path: Path, fake: FakeOpenAI, *, timeout: str = "2", **kwargs) -> LLMClient:
    settings = make_settings(
        tmp_path,
        "sqlite://unused.sqlite3",
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=fake.base_url,
        OPENAI_TIMEOUT=timeout,
        OPENAI_MODEL="gpt-test",
    )
    return LLMClient(settings, **kwargs)


async def test_answer_with_usage_and_sdk_client_created_lazily(tmp_path, fake_openai):
    llm = client_for(tmp_path, fake_openai)
    assert llm._client is None  # nothing is built before the first call
    fake_openai.queue_text("We have a table.")
    try:
        answer = await llm.complete(USER, tools=[])
    finally:
        await llm.close()
    assert answer.message.content == "We have a table."
    assert answer.attempts == 1 and answer.model == "gpt-test"
    assert answer.usage["total_tokens"] == answer.usage["prompt_tokens"] + answer.usage["completion_tokens"] > 0
    request = fake_openai.last_chat_request
    assert request["model"] == "gpt-test" and "tools" not in request
    assert fake_openai.requests[0].headers["authorization"] == "Bearer sk-test"


async def test_5xx_and_timeouts_are_retried_with_backoff(tmp_path, fake_openai):
    llm = client_for(tmp_path, fake_openai, timeout="0.3", attempts=3, backoff=0.05)
    fake_openai.queue_error(500)
    fake_openai.queue_delay(1.5, then="late")
    fake_openai.queue_text("third time lucky")
    try:
        answer = await llm.complete(USER)
    finally:
        await llm.close()
    assert answer.message.content == "third time lucky"
    assert answer.attempts == 3
    assert len(fake_openai.chat_requests) == 3


async def test_429_honours_retry_after_up_to_the_cap(tmp_path, fake_openai):
    llm = client_for(tmp_path, fake_openai, retry_after_cap=0.4)
    fake_openai.queue_error(429, retry_after=0.25)
    fake_openai.queue_error(429, retry_after=60)  # capped at 0.4 s
    fake_openai.queue_text("ok")
    started = time.monotonic()
    try:
        answer = await llm.complete(USER)
    finally:
        await llm.close()
    elapsed = time.monotonic() - started
    assert answer.attempts == 3
    assert 0.6 <= elapsed < 3


async def test_attempts_spent_raise_llm_unavailable(tmp_path, fake_openai):
    llm = client_for(tmp_path, fake_openai, attempts=2, backoff=0.01)
    fake_openai.queue_error(503)
    fake_openai.queue_error(502)
    fake_openai.queue_text("never asked")
    with pytest.raises(LLMUnavailable) as failure:
        await llm.complete(USER)
    await llm.close()
    assert failure.value.attempts == 2 and failure.value.status == 502
    assert len(fake_openai.chat_requests) == 2


async def test_time_budget_bounds_the_whole_call(tmp_path, fake_openai):
    llm = client_for(tmp_path, fake_openai, timeout="5", attempts=10, budget=0.6)
    for _ in range(10):
        fake_openai.queue_delay(2, then="too late")
    started = time.monotonic()
    with pytest.raises(LLMUnavailable):
        await llm.complete(USER)
    await llm.close()
    assert time.monotonic() - started < 1.5


async def test_retry_after_beyond_the_budget_gives_up_at_once(tmp_path, fake_openai):
    llm = client_for(tmp_path, fake_openai, retry_after_cap=30, budget=2)
    fake_openai.queue_error(429, retry_after=20)
    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match="budget"):
        await llm.complete(USER)
    await llm.close()
    assert time.monotonic() - started < 1
    assert len(fake_openai.chat_requests) == 1


@pytest.mark.parametrize("status", [400, 401, 404])
async def test_client_errors_are_not_retried(tmp_path, fake_openai, status):
    llm = client_for(tmp_path, fake_openai)
    fake_openai.queue_error(status)
    with pytest.raises(LLMUnavailable) as failure:
        await llm.complete(USER)
    await llm.close()
    assert failure.value.attempts == 1 and failure.value.status == status


async def test_unreachable_server(tmp_path):
    fake = FakeOpenAI().start()
    llm = client_for(tmp_path, fake, attempts=2, backoff=0.01)
    fake.stop()
    with pytest.raises(LLMUnavailable) as failure:
        await llm.complete(USER)
    await llm.close()
    assert failure.value.attempts == 2 and failure.value.status is None
