"""Shared plumbing for the fake outside services: a stdlib threaded HTTP server.

Each fake is a real HTTP server on 127.0.0.1 (random free port) running
``ThreadingHTTPServer.serve_forever`` in a daemon thread, so it works from sync
tests and from any asyncio event loop alike (the SDKs talk to it over TCP).
Subclasses implement :meth:`FakeServer.handle`, which receives a parsed
:class:`RecordedRequest` and returns a :class:`Reply`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class RecordedRequest:
    """One request as the fake received it (header names lower-cased)."""

    method: str
    path: str
    query: dict[str, Any]
    headers: dict[str, str]
    body: Any  # dict for JSON / form / multipart bodies, str otherwise, None if empty
    raw: bytes = b""
    received_at: float = field(default_factory=time.time)


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON, str -> text, bytes -> as is
    headers: dict[str, str] = field(default_factory=dict)


def _pairs_to_dict(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Form pairs to a dict; a repeated key becomes a list of its values."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            out[key] = out[key] if isinstance(out[key], list) else [out[key]]
            out[key].append(value)
        else:
            out[key] = value
    return out


def parse_body(content_type: str, raw: bytes) -> Any:
    """Parse a request body by its Content-Type: JSON, url-encoded form or multipart."""
    if not raw:
        return None
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/json":
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")
    if ctype == "application/x-www-form-urlencoded":
        return _pairs_to_dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    if ctype == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
        pairs = []
        for part in message.iter_parts():
            payload = part.get_payload(decode=True) or b""
            is_file = part.get_filename() is not None
            value = payload if is_file else payload.decode(part.get_content_charset() or "utf-8")
            pairs.append((part.get_param("name", header="content-disposition"), value))
        return _pairs_to_dict(pairs)
    return raw.decode("utf-8", "replace")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes; with Nagle's algorithm the body waited for the client's
    # delayed ACK of the headers, about 40 ms a response, which no real server costs its clients.
    disable_nagle_algorithm = True
    server: _Server

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _dispatch(self) -> None:
        raw = self._read_body()
        url = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=url.path,
            query=_pairs_to_dict(parse_qsl(url.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=parse_body(self.headers.get("Content-Type", ""), raw),
            raw=raw,
        )
        fake = self.server.fake
        fake._record(request)
        try:
            reply = fake.handle(request)
        except Exception as exc:  # a bug in the fake: say so loudly to the client
            reply = Reply(599, {"fake_server_error": repr(exc)})
        self._write(reply)

    def _write(self, reply: Reply) -> None:
        body, ctype = reply.body, "application/json"
        if isinstance(body, (dict, list, bool)) or body is None:
            body = b"" if body is None else json.dumps(body).encode()
        elif isinstance(body, str):
            body, ctype = body.encode(), "text/plain; charset=utf-8"
        self.send_response(reply.status)
        headers = {"Content-Type": ctype, **reply.headers, "Content-Length": str(len(body))}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default (5) resets bursts of concurrent connections
    fake: FakeServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut kept-alive client connections, so a stopped fake really stops answering."""
        with self.sockets_lock:
            sockets, self.open_sockets = self.open_sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out and hang up are expected in these tests


class FakeServer:
    """Base class: start/stop, request recording, and a stop-aware sleep."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._address = (host, port)
        self._lock = threading.RLock()
        self._requests: list[RecordedRequest] = []
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------------------
    def start(self) -> FakeServer:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self._address, _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in self.sleep()
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self):
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Root URL of the server, e.g. ``http://127.0.0.1:54321``."""
        return f"http://127.0.0.1:{self.port}"

    # ---- recording -------------------------------------------------------------------
    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Poll ``predicate()`` without blocking the event loop; return its first truthy value.

        For asserting on work the code under test does in the background, e.g.
        ``await fake.wait_until(lambda: fake.sent_messages(token))``.
        """
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result or time.monotonic() >= deadline:
                if not result:
                    raise AssertionError(f"condition not met within {timeout}s")
                return result
            await asyncio.sleep(0.01)

    # ---- for subclasses --------------------------------------------------------------
    def sleep(self, seconds: float) -> None:
        """Delay a reply; returns early when the server is stopping."""
        self._stopping.wait(seconds)

    def handle(self, request: RecordedRequest) -> Reply:  # pragma: no cover - abstract
        raise NotImplementedError
