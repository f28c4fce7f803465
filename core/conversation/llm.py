"""A thin client over OpenAI Chat Completions with our own retry loop and time budget.

The SDK's own retries are off (``max_retries=0``): timeouts, connection errors,
429 (honouring ``Retry-After`` up to a cap) and 5xx are retried here with
exponential backoff and jitter, within ``attempts`` tries and ``budget`` seconds
in total. When the budget is spent, or the error is not worth retrying (400,
401, 403, 404), :class:`LLMUnavailable` is raised and the engine carries the
turn on the guided path.

The ``openai.AsyncOpenAI`` client is created on first use (inside the running
event loop), never at import time; :meth:`LLMClient.close` releases it.

A :class:`~core.conversation.breaker.CircuitBreaker` guards every call: after repeated
outage-like failures the client refuses at once (``LLMUnavailable`` with ``circuit_open``
and a reason saying so, which the engine records in its ``fallback`` activity) until the
cool-down ends.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.config import Settings
from core.conversation.breaker import CircuitBreaker

if TYPE_CHECKING:
    from openai import AsyncOpenAI
    from openai.types.chat import ChatCompletionMessage

log = logging.getLogger(__name__)


class LLMUnavailable(Exception):
    """The model could not answer within the retry budget (or refused the request outright); ``answered``:
    it did answer, with nothing usable (no choices, no text, tool calls without end)."""

    def __init__(
        self,
        reason: str,
        *,
        attempts: int,
        latency_ms: int,
        status: int | None = None,
        circuit_open: bool = False,
        answered: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.attempts = attempts
        self.latency_ms = latency_ms
        self.status = status
        self.circuit_open = circuit_open
        self.answered = answered


@dataclass
class Completion:
    """One answer of the model: the assistant message and what it cost."""

    message: ChatCompletionMessage
    model: str
    latency_ms: int
    attempts: int
    usage: dict[str, int] = field(default_factory=dict)


def _retry_after(exc: Exception) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms`` or ``retry-after``), if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw) * scale)
        except ValueError:
            continue  # an HTTP date: treat as no hint
    return None


class LLMClient:
    """``await complete(messages, tools)`` -> :class:`Completion`, or :class:`LLMUnavailable`."""

    def __init__(
        self,
        settings: Settings,
        *,
        attempts: int = 3,
        budget: float = 15.0,
        retry_after_cap: float = 5.0,
        backoff: float = 0.5,
        api_key: str | None = None,
        model: str | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.settings = settings
        self.breaker = breaker or CircuitBreaker()  # per client: a restaurant's own key has its own
        self.api_key = api_key or settings.openai_api_key  # a restaurant's own key, else the service's
        self.model = model or settings.openai_model
        self.attempts = attempts
        self.budget = budget
        self.retry_after_cap = retry_after_cap
        self.backoff = backoff
        self._client: AsyncOpenAI | None = None

    @property
    def client(self) -> AsyncOpenAI:
        """The SDK client, created on first use."""
        if self._client is None:
            import openai

            self._client = openai.AsyncOpenAI(
                api_key=self.api_key or "not-set",
                base_url=self.settings.openai_base_url or None,
                max_retries=0,
                timeout=self.settings.openai_timeout,
            )
        return self._client

    async def close(self) -> None:
        """Close the SDK client's connections (if it was ever created)."""
        if self._client is not None:
            await self._client.close()
            self._client = None

    def _classify(self, exc: Exception) -> tuple[bool, int | None]:
        """(worth retrying, HTTP status) for an SDK error."""
        import openai

        if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
            return True, None
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            return status in (408, 409, 429) or status >= 500, status
        return False, None

    async def complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> Completion:
        """Ask the model once (retrying transient failures); raises :class:`LLMUnavailable`, at once while
        the circuit breaker is open."""
        if not self.breaker.allow():
            raise LLMUnavailable(
                f"circuit open: the model failed {self.breaker.failures} times in a row; not asked again for "
                f"{self.breaker.retry_in():.0f}s",
                attempts=0,
                latency_ms=0,
                circuit_open=True,
            )
        try:
            completion = await self._complete(messages, tools)
        except LLMUnavailable as exc:
            if exc.status is None or exc.status in (408, 409, 429) or exc.status >= 500:
                self.breaker.failed()  # an outage: timeouts, connection errors, 5xx, 429, empty answers
            else:
                self.breaker.succeeded()  # the model answered, with a refusal: it is up
            raise
        self.breaker.succeeded()
        return completion

    async def _complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None) -> Completion:
        import openai

        started = time.monotonic()
        deadline = started + self.budget
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages}
        if tools:
            kwargs["tools"] = tools
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline - time.monotonic()
            try:
                response = await self.client.chat.completions.create(
                    **kwargs, timeout=max(0.05, min(self.settings.openai_timeout, remaining))
                )
            except openai.OpenAIError as exc:
                retry, status = self._classify(exc)
                elapsed_ms = int((time.monotonic() - started) * 1000)
                reason = f"{exc.__class__.__name__}: {exc}"
                if not retry or attempt >= self.attempts:
                    raise LLMUnavailable(reason, attempts=attempt, latency_ms=elapsed_ms, status=status) from exc
                hint = _retry_after(exc) if status == 429 else None
                if hint is not None:
                    delay = min(hint, self.retry_after_cap)
                else:
                    base = self.backoff * 2 ** (attempt - 1)
                    delay = base / 2 + random.uniform(0, base / 2)
                if time.monotonic() + delay >= deadline - 0.05:
                    raise LLMUnavailable(
                        reason + " (retry budget spent)", attempts=attempt, latency_ms=elapsed_ms, status=status
                    ) from exc
                log.info("LLM attempt %d failed (%s); retrying in %.2fs", attempt, reason, delay)
                await asyncio.sleep(delay)
                continue
            if not response.choices:
                raise LLMUnavailable(
                    "the model returned no choices",
                    attempts=attempt,
                    latency_ms=int((time.monotonic() - started) * 1000),
                    answered=True,
                )
            usage = response.usage
            return Completion(
                message=response.choices[0].message,
                model=response.model or self.model,
                latency_ms=int((time.monotonic() - started) * 1000),
                attempts=attempt,
                usage={
                    "prompt_tokens": usage.prompt_tokens,
                    "completion_tokens": usage.completion_tokens,
                    "total_tokens": usage.total_tokens,
                }
                if usage
                else {},
            )
