"""A fake OpenAI API: ``/v1/chat/completions`` and ``/v1/models`` in the real wire format.

Point the real SDK at it::

    with FakeOpenAI() as fake:
        fake.queue_tool_calls([("check_availability", {"date": "2025-01-03", "party_size": 2})])
        fake.queue_text("Booked!")
        client = openai.AsyncOpenAI(api_key="test", base_url=fake.base_url, max_retries=0)

Which answer a chat completion gets: the next queued spec if any, else the
responder's result (``set_responder``) unless it returns None, else the default text.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .base import FakeServer, RecordedRequest, Reply

DEFAULT_TEXT = "Hello from the fake OpenAI server."


@dataclass
class Text:
    content: str


@dataclass
class ToolCalls:
    calls: list[tuple[str, dict | str]]  # arguments: dict -> JSON, str -> sent verbatim
    content: str | None = None


@dataclass
class Error:
    status: int
    body: Any = None  # None -> OpenAI's {"error": {...}} shape
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Delay:
    seconds: float
    then: Spec | None = None  # None -> the default text


# A responder / queue entry: a spec, a plain str (text), or a dict sent verbatim as the body.
Spec = Text | ToolCalls | Error | Delay | str | dict

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
    500: "server_error",
    503: "server_error",
}


def error_body(status: int, message: str | None = None) -> dict:
    """OpenAI's error envelope for ``status``."""
    kind = _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {
        "error": {
            "message": message or f"Fake OpenAI error {status}",
            "type": kind,
            "param": None,
            "code": kind if status == 429 else None,
        }
    }


class FakeOpenAI(FakeServer):
    def __init__(
        self, *, api_key: str | None = None, model: str = "gpt-4o-mini", default_text: str = DEFAULT_TEXT, **kwargs: Any
    ) -> None:
        """``api_key``: if given, requests with another bearer token get a 401."""
        super().__init__(**kwargs)
        self.api_key = api_key
        self.model = model
        self.default_text = default_text
        self._queue: deque[Spec] = deque()
        self._responder: Callable[[dict], Spec | None] | None = None
        self._qlock = threading.Lock()

    @property
    def base_url(self) -> str:
        """What to pass as ``base_url`` / OPENAI_BASE_URL, e.g. ``http://127.0.0.1:PORT/v1``."""
        return f"{self.url}/v1"

    # ---- scripting -------------------------------------------------------------------
    def queue(self, *specs: Spec) -> None:
        with self._qlock:
            self._queue.extend(specs)

    def queue_text(self, text: str) -> None:
        self.queue(Text(text))

    def queue_tool_calls(self, calls: Iterable[tuple[str, dict | str]], content: str | None = None) -> None:
        """Queue one assistant message calling tools; a str argument is sent as-is (malformed JSON)."""
        self.queue(ToolCalls(list(calls), content))

    def queue_error(
        self, status: int, body: Any = None, *, retry_after: float | None = None, headers: dict[str, str] | None = None
    ) -> None:
        """Queue an HTTP error, e.g. ``queue_error(429, retry_after=1)``; body defaults to OpenAI's shape."""
        hdrs = dict(headers or {})
        if retry_after is not None:
            hdrs["Retry-After"] = str(retry_after)
        self.queue(Error(status, body, hdrs))

    def queue_delay(self, seconds: float, then: Spec | None = None) -> None:
        """Hold the next answer for ``seconds`` (use with a short client ``timeout=``)."""
        self.queue(Delay(seconds, then))

    def set_responder(self, responder: Callable[[dict], Spec | None] | None) -> None:
        """``responder(request_json) -> spec | None`` answers when the queue is empty."""
        self._responder = responder

    def reset(self) -> None:
        with self._qlock:
            self._queue.clear()
        self._responder = None
        self.clear_requests()

    # ---- inspection ------------------------------------------------------------------
    @property
    def chat_requests(self) -> list[dict]:
        """The JSON bodies of every chat completion request, oldest first."""
        return [r.body for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    @property
    def last_chat_request(self) -> dict:
        return self.chat_requests[-1]

    # ---- server ----------------------------------------------------------------------
    def handle(self, request: RecordedRequest) -> Reply:
        if self.api_key is not None and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return Reply(401, error_body(401, "Incorrect API key provided."))
        path = request.path.rstrip("/")
        if request.method == "GET" and path == "/v1/models":
            return Reply(200, {"object": "list", "data": [self._model_json(self.model)]})
        if request.method == "GET" and path.startswith("/v1/models/"):
            return Reply(200, self._model_json(path.rsplit("/", 1)[1]))
        if request.method == "POST" and path == "/v1/chat/completions":
            return self._chat(request)
        return Reply(404, error_body(404, f"Unknown request URL: {request.method} {request.path}"))

    @staticmethod
    def _model_json(model: str) -> dict:
        return {"id": model, "object": "model", "created": 1700000000, "owned_by": "fake-openai"}

    def _chat(self, request: RecordedRequest) -> Reply:
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return Reply(400, error_body(400, "'messages' is a required property"))
        if body.get("stream"):
            return Reply(400, error_body(400, "The fake OpenAI server does not implement streaming."))
        with self._qlock:
            spec = self._queue.popleft() if self._queue else None
        if spec is None and self._responder is not None:
            spec = self._responder(body)
        return self._render(spec, body)

    def _render(self, spec: Spec | None, body: dict) -> Reply:
        if isinstance(spec, Delay):
            self.sleep(spec.seconds)
            return self._render(spec.then, body)
        if isinstance(spec, Error):
            return Reply(spec.status, spec.body if spec.body is not None else error_body(spec.status), spec.headers)
        if isinstance(spec, dict):
            return Reply(200, spec)
        if spec is None:
            spec = Text(self.default_text)
        elif isinstance(spec, str):
            spec = Text(spec)
        if isinstance(spec, Text):
            message = {"role": "assistant", "content": spec.content, "refusal": None}
            finish = "stop"
        elif isinstance(spec, ToolCalls):
            message = {
                "role": "assistant",
                "content": spec.content,
                "refusal": None,
                "tool_calls": [
                    {
                        "id": f"call_{uuid.uuid4().hex[:24]}",
                        "type": "function",
                        "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)},
                    }
                    for name, args in spec.calls
                ],
            }
            finish = "tool_calls"
        else:
            raise TypeError(f"not a FakeOpenAI response spec: {spec!r}")
        return Reply(200, self.completion(message, finish, body))

    def completion(self, message: dict, finish_reason: str, request_body: dict) -> dict:
        """A ``chat.completion`` object wrapping ``message``."""
        prompt_tokens = max(1, len(json.dumps(request_body.get("messages", []))) // 4)
        completion_tokens = max(1, len(json.dumps(message)) // 4)
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request_body.get("model") or self.model,
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
