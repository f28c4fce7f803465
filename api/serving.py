"""Running the HTTP server: ``tobeout serve [--workers N]``, on uvicorn (uvloop + httptools).

Why uvicorn: ``python -m bench servers`` (docs/benchmarks.md, "ASGI server"). The port is bound
here, before any app is built, so a taken port is one line and exit status 2 and "serving on" is
printed only once the socket is ours.

* **One process** (the default): the app is built and served in this process.
* **N processes** (``--workers N``, PostgreSQL and Redis only): this process binds the port and
  supervises; each worker process inherits a socket, builds the app itself from the environment
  and serves. SIGTERM/SIGINT to the supervisor is forwarded to the workers. On Linux each worker has
  a socket of its own on the port (``SO_REUSEPORT``) and the kernel spreads new connections evenly
  over them; on one shared socket whichever worker woke first took most of a burst of connections
  (117 of 200 in ``python -m bench rush``), and its guests waited longest.

Edges (per process): ``--header-timeout`` and ``--body-timeout`` (:mod:`api.http_guard`: a slow client
gets 408 and is disconnected), ``--limit-concurrency`` (503 beyond), :class:`HeaderLimits` (431).

Graceful shutdown (SIGTERM or SIGINT): stop accepting, let requests in flight finish for at most
``grace`` seconds (idle kept-alive connections are left to their client, a proxy, for a few seconds
rather than closed under it: :mod:`api.http_guard`), run the app's shutdown (database pool, Redis), exit
0. A worker that exits on its own (a crash) is reported on stderr and stops the whole serve with status
1: the other workers shut down gracefully, and the process manager (systemd, Kubernetes) restarts the
service with its own backoff, rather than a crash loop hidden inside one serve.
"""

from __future__ import annotations

import errno
import gc
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType
from typing import Any

from api.http_guard import BODY_SECONDS, DRAIN_SECONDS, HEADER_SECONDS, guarded_protocol
from core.config import Settings, load_settings
from core.errors import ConfigurationError
from core.metrics import HTTP_REFUSED

#: Connections waiting to be accepted; above the hundreds of clients a busy host opens at once.
BACKLOG = 2048
#: Seconds an idle kept-alive connection stays open: longer than clients' and proxies' own idle
#: timeouts (httpx 5 s, nginx 60 s), so it is the client that closes, never the server under its feet.
KEEP_ALIVE_SECONDS = 75
#: Default bound on how long requests in flight may take to finish on shutdown.
GRACE_SECONDS = 30
#: Default of ``--limit-concurrency``: connections and requests one process holds at once; beyond, 503.
MAX_CONCURRENCY = 1000
#: Request headers refused with 431: more than this many, or more than this many bytes in all.
MAX_HEADERS = 100
MAX_HEADER_BYTES = 16 * 1024


class HeaderLimits:
    """ASGI middleware: a request with too many or too big headers is answered 431 before the app sees it."""

    def __init__(self, app: Any, max_count: int = MAX_HEADERS, max_bytes: int = MAX_HEADER_BYTES) -> None:
        self.app, self.max_count, self.max_bytes = app, max_count, max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Pass the request on, or answer 431."""
        if scope["type"] == "http":
            headers = scope.get("headers") or []
            size = sum(len(name) + len(value) for name, value in headers)
            if len(headers) > self.max_count or size > self.max_bytes:
                HTTP_REFUSED.labels("headers_too_large").inc()
                body = (
                    f'{{"message": "Request headers too large (at most {self.max_count} headers and '
                    f'{self.max_bytes} bytes).", "code": "headers_too_large"}}'
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 431,
                        "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class ServeOptions:
    """What ``tobeout serve`` was asked for."""

    host: str
    port: int
    workers: int = 1
    access_log: bool = False
    grace: int = GRACE_SECONDS
    header_timeout: float = HEADER_SECONDS
    body_timeout: float = BODY_SECONDS
    limit_concurrency: int = MAX_CONCURRENCY


def check_workers(settings: Settings, workers: int) -> None:
    """Refuse ``workers`` > 1 where one process is the only safe choice (raises :class:`ConfigurationError`)."""
    if workers < 1:
        raise ConfigurationError("--workers must be 1 or more.")
    if workers == 1:
        return
    if settings.is_sqlite:
        raise ConfigurationError(
            "--workers needs PostgreSQL: SQLite has one writer, serve it with one process (no --workers)."
        )
    if not settings.redis_url:
        raise ConfigurationError(
            "--workers needs REDIS_URL: without Redis the throttles, locks and cache live in one process's "
            "memory, so serve with one process (no --workers)."
        )


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; a taken or unusable address is a one-line ConfigurationError."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ConfigurationError(f"cannot serve on {host}: {exc.strerror}.") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigurationError(
                f"port {port} on {host} is already in use (another tobeout serve?); stop it or choose "
                "another with --port."
            ) from None
        raise ConfigurationError(f"cannot serve on port {port} on {host}: {exc.strerror}.") from None
    sock.set_inheritable(True)
    return sock


def worker_sockets(sock: socket.socket, workers: int) -> list[socket.socket]:
    """The listening sockets of ``workers`` processes: ``sock`` (bound by :func:`bind`, which checked that the
    port is free) shared by all of them; on Linux, one ``SO_REUSEPORT`` socket each on the same address
    instead (``sock`` is closed), whose new connections the kernel spreads evenly."""
    if workers < 2 or not sys.platform.startswith("linux") or not hasattr(socket, "SO_REUSEPORT"):
        return [sock] * workers
    address, family = sock.getsockname(), sock.family
    sock.close()
    made: list[socket.socket] = []
    try:
        for _ in range(workers):
            own = socket.socket(family, socket.SOCK_STREAM)
            made.append(own)
            own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            own.bind(address)
            own.listen(BACKLOG)
            own.set_inheritable(True)
    except OSError as exc:  # taken between the check and now
        for own in made:
            own.close()
        raise ConfigurationError(f"cannot serve on {address[0]} port {address[1]}: {exc.strerror}.") from None
    return made


def _uvicorn_server(app: Any, options: ServeOptions) -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, whose SIGTERM/SIGINT means "shut down gracefully and exit 0" (uvicorn
        re-raises the signal after shutdown, which would end the process by that signal)."""

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            super().handle_exit(sig, frame)
            self._captured_signals.clear()
            _tell_streams_to_reconnect()

    config = uvicorn.Config(
        HeaderLimits(app),
        loop="uvloop",
        http=guarded_protocol(options.header_timeout, options.body_timeout, min(DRAIN_SECONDS, options.grace)),
        lifespan="on",
        ws="none",
        access_log=options.access_log,
        log_config=None,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=options.grace,
        backlog=BACKLOG,
        limit_concurrency=options.limit_concurrency,
        server_header=False,
    )
    return Server(config)


def _tell_streams_to_reconnect() -> None:
    """Open event streams end at once on shutdown (told to reconnect elsewhere), so none holds the grace."""
    import asyncio

    from api.events import close_streams

    try:
        asyncio.get_running_loop().call_soon_threadsafe(close_streams)
    except RuntimeError:  # no loop running in this thread: nothing is streaming
        pass


#: Allocations (net of frees) between two collections of the youngest generation (Python's default: 700).
GC_YOUNG_THRESHOLD = 10_000


def tune_gc() -> None:
    """Set the cyclic garbage collector for a server: what was built before serving (modules, the app, its
    plugins) is frozen out of every collection, and the youngest generation is collected after 10,000
    allocations rather than 700. A message allocates hundreds of short-lived objects (rows, models, JSON);
    with the defaults the collector ran 150 times in a 1,000-message rush and took about 5 % of the server's
    CPU, 1 % after (``python -m bench rush``, docs/benchmarks.md). Objects freed by their reference count,
    nearly all of them, are freed at once either way; only reference cycles wait a little longer."""
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, oldest)


def _run(server: Any, sock: socket.socket) -> int:
    """Serve ``sock`` with a server of :func:`_uvicorn_server` until it is told to stop; the exit status."""
    tune_gc()
    try:
        server.run(sockets=[sock])
    except SystemExit as exc:  # uvicorn's way of saying the app's startup failed
        return exc.code if isinstance(exc.code, int) else 1
    return 0 if server.started else 1


def _worker_main(sock: socket.socket, options: ServeOptions) -> None:
    """A worker process: its own app, built from the environment, on the inherited socket."""
    from api.app import create_app
    from core.logs import configure_logging

    configure_logging()
    try:
        code = _run(_uvicorn_server(create_app(load_settings()), options), sock)
    except ConfigurationError as exc:
        print(f"tobeout: {exc.message}", file=sys.stderr, flush=True)
        code = 2
    sys.exit(code)


def announce(options: ServeOptions) -> None:
    """The "serving on" line (printed once the socket is bound)."""
    url = f"http://{options.host}:{options.port}/"
    workers = f", {options.workers} worker processes" if options.workers > 1 else ""
    print(
        f"ToBeOut is serving on {url}  (demo chat: {url} , API docs: {url}docs , health: {url}healthz{workers})",
        flush=True,
    )


def metrics_directory(workers: int) -> Path | None:
    """Make ``PROMETHEUS_MULTIPROC_DIR`` ready before any worker starts: an operator's directory is created
    if missing and emptied of the last run's files; with several workers and none set, a fresh temporary
    one is made and set for them (returned, to be removed at the end). Without it each process would
    answer ``/metrics`` with its own counts only."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        ours = f"_{os.getpid()}.db"  # this process's own files, made as its metrics were defined: kept
        for stale in folder.glob("*.db"):
            if not stale.name.endswith(ours):
                stale.unlink(missing_ok=True)
        return None
    if workers == 1:
        return None
    made = Path(tempfile.mkdtemp(prefix="tobeout-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(made)
    return made


def serve(options: ServeOptions, settings: Settings) -> int:
    """Run ``tobeout serve``; returns the exit status (0 after a graceful shutdown)."""
    check_workers(settings, options.workers)
    sock = bind(options.host, options.port)
    made = metrics_directory(options.workers)
    try:
        if options.workers == 1:
            from api.app import create_app, load_plugin_config

            plugin_config = load_plugin_config(settings)
            print(f"ToBeOut: {plugin_config.describe()}", flush=True)
            app = create_app(settings, plugin_config=plugin_config)
            server = _uvicorn_server(app, options)
            announce(options)
            return _run(server, sock)
        socks = worker_sockets(sock, options.workers)
        try:
            announce(options)
            return Supervisor(socks, options).run()
        finally:
            for own in socks:
                own.close()
    finally:
        sock.close()
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)


class Supervisor:
    """Starts ``options.workers`` processes, one on each of ``socks`` (:func:`worker_sockets`), forwards
    SIGTERM/SIGINT, reports a crashed one."""

    def __init__(self, socks: list[socket.socket], options: ServeOptions) -> None:
        self.socks = socks
        self.options = options
        self.processes: list[BaseProcess] = []
        self.stopping = False

    def _stop(self, sig: int, frame: FrameType | None) -> None:
        self.stopping = True
        for process in self.processes:
            if process.is_alive() and process.pid is not None:
                try:
                    os.kill(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass

    def run(self) -> int:
        """Start the workers and wait; 0 when they all stopped because they were told to, 1 otherwise."""
        context = multiprocessing.get_context("spawn")
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for sock in self.socks:
                process = context.Process(target=_worker_main, args=(sock, self.options), daemon=False)
                process.start()
                self.processes.append(process)
            for sig in previous:
                signal.signal(sig, self._stop)
            failed = self._watch()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 1 if failed else 0

    def _watch(self) -> bool:
        failed = False
        deadline: float | None = None
        while any(process.is_alive() for process in self.processes):
            multiprocessing.connection.wait([p.sentinel for p in self.processes if p.is_alive()], timeout=0.5)
            for process in self.processes:
                if process.exitcode is not None and not self.stopping and not failed:
                    print(
                        f"tobeout: worker process {process.pid} exited with status {process.exitcode}; "
                        "stopping the other workers",
                        file=sys.stderr,
                        flush=True,
                    )
                    failed = True
                    self._stop(signal.SIGTERM, None)
            if self.stopping and deadline is None:
                deadline = time.monotonic() + self.options.grace + 15
            if deadline is not None and time.monotonic() > deadline:
                for process in self.processes:
                    if process.is_alive():
                        process.kill()
        return failed or any(process.exitcode not in (0, None) for process in self.processes)
