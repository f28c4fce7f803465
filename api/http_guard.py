"""Slow clients cut off inside the server: header and body read deadlines on uvicorn's HTTP protocol.

uvicorn 0.54 closes an idle kept-alive connection (``timeout_keep_alive``) and refuses work beyond
``limit_concurrency`` with 503, but it has no deadline for reading a request: a client that connects and
sends nothing, or one header line every few seconds (slowloris), or half a body, holds its connection for
ever, and each such connection counts against ``limit_concurrency`` until real clients get 503.

:func:`guarded_protocol` returns uvicorn's httptools protocol with two deadlines added:

* **headers**: the request line and every header within ``header_seconds`` of the connection opening
  (or of the first byte of the next request on a kept-alive connection);
* **body**: the whole body within ``body_seconds`` of the headers (counted only while the server is
  reading: when the application is slow to read and the server paused reading, the client is not blamed).

When a deadline passes, the client gets ``408 Request Timeout`` (when no answer was started) and the
connection is closed; the application sees a disconnect. Answers, event streams and kept-alive idle time
are not limited here (the keep-alive timeout covers the idle time).

It also changes how a graceful shutdown treats an **idle kept-alive connection**. uvicorn closes it at
once; but a proxy (nginx keeps connections to its upstreams) may be writing a request on it at that very
moment, and a ``POST`` that meets a closed connection is answered 502 by nginx, which does not retry a
non-idempotent request it already sent (``python -m bench rolling``: 2 of 1,627 bookings in 6 restarts).
Here such a connection is left to its client for ``drain_seconds``: a request that still comes on it is
served and answered with ``Connection: close``, so it is the client that sees the connection end after
an answer; one still idle after ``drain_seconds`` is closed (a proxy closes its idle upstream connections
sooner: deploy/nginx.conf's ``keepalive_timeout``). The listening socket is closed at once as before, so
new connections are refused and a proxy sends them, POSTs included, to another server.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from core.metrics import HTTP_REFUSED

log = logging.getLogger("tobeout.edges")

#: Default seconds to receive a request's line and headers.
HEADER_SECONDS = 10.0
#: Default seconds to receive a request's body once its headers arrived (bodies are at most 1 MB).
BODY_SECONDS = 30.0
#: Default seconds an idle kept-alive connection is left to its client once shutdown begins: longer than
#: the idle timeout deploy/nginx.conf gives its upstream connections (4 s), well inside the grace (30 s).
DRAIN_SECONDS = 6.0


def _timeout_answer(stage: str, seconds: float) -> bytes:
    body = (
        f'{{"message": "The request {stage} did not arrive within {seconds:g} s; send it faster.", '
        '"code": "request_timeout"}'
    ).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode()
    return head + body


class GuardedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with the header and body deadlines of this module."""

    header_seconds: ClassVar[float] = HEADER_SECONDS
    body_seconds: ClassVar[float] = BODY_SECONDS
    drain_seconds: ClassVar[float] = DRAIN_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._draining = False
        # One protocol per connection, made as it opens: its headers deadline starts now.
        self._arm("headers", self.header_seconds)

    def _arm(self, stage: str, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired, stage, seconds)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self, stage: str, seconds: float) -> None:
        self._deadline = None
        if self.transport is None or self.transport.is_closing():
            return
        if stage == "body" and self.flow is not None and self.flow.read_paused:
            self._arm(stage, seconds)  # the application is slow to read, not the client: wait on
            return
        cycle = self.cycle
        if cycle is None or (stage == "headers" and cycle.response_complete) or not cycle.response_started:
            self.transport.write(_timeout_answer(stage, seconds))
        HTTP_REFUSED.labels("header_timeout" if stage == "headers" else "body_timeout").inc()
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        log.info("closed the connection of %s: the request %s took over %g s", client, stage, seconds)
        self.transport.close()

    def on_message_begin(self) -> None:
        """A request starts: its headers deadline runs (unless it already does, from the connection)."""
        super().on_message_begin()
        if self._deadline is None:
            self._arm("headers", self.header_seconds)

    def on_headers_complete(self) -> None:
        """Headers in: the body deadline runs until the request is complete (a request beyond the concurrency
        limit, which uvicorn answers 503 itself, is counted)."""
        self._arm("body", self.body_seconds)
        limit = self.limit_concurrency
        if limit is not None and (len(self.connections) >= limit or len(self.tasks) >= limit):
            HTTP_REFUSED.labels("too_busy").inc()
        super().on_headers_complete()
        if self._draining and self.cycle is not None:
            self.cycle.keep_alive = False  # shutting down: answered with Connection: close, then closed

    def on_message_complete(self) -> None:
        """The whole request arrived: no deadline until the next one starts."""
        self._disarm()
        super().on_message_complete()

    def shutdown(self) -> None:
        """Graceful shutdown of this connection: a request in flight finishes and the connection closes after
        its answer (as uvicorn does); an idle one is not closed under its client's feet but left to it for
        ``drain_seconds`` (see the module's docstring), its next request answered with ``Connection: close``."""
        self._draining = True
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False
            return
        if self.transport.is_closing():
            return
        if self.timeout_keep_alive_task is not None:
            self.timeout_keep_alive_task.cancel()
        self.timeout_keep_alive_task = self.loop.call_later(self.drain_seconds, self.timeout_keep_alive_handler)

    def connection_lost(self, exc: Exception | None) -> None:
        """The connection is gone: drop its deadline."""
        self._disarm()
        super().connection_lost(exc)


def guarded_protocol(
    header_seconds: float = HEADER_SECONDS, body_seconds: float = BODY_SECONDS, drain_seconds: float = DRAIN_SECONDS
) -> type:
    """The protocol class for uvicorn's ``http=`` setting, with these deadlines and this idle drain."""
    return type(
        "GuardedHttpTools",
        (GuardedHttpTools,),
        {
            "header_seconds": float(header_seconds),
            "body_seconds": float(body_seconds),
            "drain_seconds": float(drain_seconds),
        },
    )
