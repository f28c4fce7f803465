"""Real ``tobeout`` processes for the tests that need a served service, started one way.

:func:`free_port` picks a loopback port, :func:`service_env` builds a test deployment's environment,
:class:`ServerPool` starts ``tobeout serve`` (any directory, any extra arguments, several at once),
waits for ``/healthz`` and stops each with SIGTERM, then SIGKILL if it hangs. A server's stdout and
stderr go to a log file: when it does not come up, the error carries the end of that log, so a
startup failure shows what the server said. :func:`run_tobeout` runs a one-off command
(``db upgrade``, ``demo-data``) the same way.

Tests get a pool from the ``tobeout_servers`` fixture (tests/conftest.py), which stops whatever is
still running when the test ends; a module-scoped fixture builds its own ``ServerPool``.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx

ROOT = Path(__file__).resolve().parents[1]
TOBEOUT = Path(sys.executable).with_name("tobeout")
#: The ports this suite's own servers use, unless ``TEST_PORTS`` ("first-last") names others.
DEFAULT_PORTS = (8100, 8399)
#: How much of a failed server's log an error shows.
LOG_TAIL = 6000


class ServerDidNotStart(RuntimeError):
    """``tobeout serve`` exited, or did not answer ``/healthz`` in time; the message ends with its output."""


def _port_range() -> tuple[int, int]:
    spec = os.environ.get("TEST_PORTS", "")
    if not spec:
        return DEFAULT_PORTS
    first, _, last = spec.partition("-")
    return int(first), int(last or first)


def free_port(first: int | None = None, last: int | None = None) -> int:
    """A loopback port free now in ``first..last`` (default: ``TEST_PORTS`` or 8100-8399), else any free port.

    The range is walked from a random point, so concurrent runs seldom try the same port first.
    """
    if first is None or last is None:
        first, last = _port_range()
    ports = list(range(first, last + 1))
    start = random.randrange(len(ports))
    for port in [*ports[start:], *ports[:start], 0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


def service_env(
    port: int, database_url: str, var_dir: Path, *, redis_url: str | None = None, **extra: str
) -> dict[str, str]:
    """The environment of a test deployment serving on ``port``: this process's, plus ``TOBEOUT_ENV=test``,
    fixed keys, the repository's plugins.toml and ``PUBLIC_BASE_URL``; Redis only when ``redis_url`` is
    given, never an OpenAI key. ``extra`` variables are added last (and win)."""
    from tests.conftest import ENCRYPTION_KEY

    env = {
        **os.environ,
        "TOBEOUT_ENV": "test",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "TOBEOUT_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "TOBEOUT_VAR_DIR": str(var_dir),
        "TOBEOUT_PLUGINS_FILE": str(ROOT / "plugins.toml"),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("OPENAI_API_KEY", None)
    env.pop("REDIS_URL", None)
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def run_tobeout(
    args: Sequence[str], env: Mapping[str, str], cwd: Path, *, timeout: float = 120, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``tobeout ARGS`` to the end; with ``check``, a failure raises with its output."""
    done = subprocess.run(
        [str(TOBEOUT), *args], env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    if check and done.returncode != 0:
        raise RuntimeError(
            f"tobeout {' '.join(args)} exited with status {done.returncode}:\n{done.stdout}{done.stderr}"
        )
    return done


class Server:
    """One running ``tobeout serve``: its process, port and log. A context manager that stops it."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    @property
    def base(self) -> str:
        """Its base URL, ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        """What it wrote to stdout and stderr so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_until_healthy(self, timeout: float = 30) -> None:
        """Return once ``/healthz`` answers 200; raise :class:`ServerDidNotStart` if it exits or ``timeout`` passes.

        The deadline only bounds a hang: it is not a timing assertion.
        """
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            if self.process.poll() is not None:
                problem = f"exited with status {self.process.returncode}"
            elif time.monotonic() > deadline:
                problem = f"did not answer /healthz within {timeout:g} s"
            else:
                time.sleep(0.2)
                continue
            self.stop()
            raise ServerDidNotStart(
                f"tobeout serve on port {self.port} {problem}; its output:\n{self.output()[-LOG_TAIL:]}"
            )

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 10) -> int:
        """Send ``sig`` (SIGTERM by default), wait up to ``timeout`` seconds, then kill; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


class ServerPool:
    """The ``tobeout serve`` processes of a test or module, with their logs in ``log_dir``."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: list[Server] = []

    def start(
        self, port: int, env: Mapping[str, str], cwd: Path, *, args: Sequence[str] = (), timeout: float = 30
    ) -> Server:
        """``tobeout serve --port PORT ARGS`` in ``cwd`` with exactly ``env``, once ``/healthz`` answers.

        Raises :class:`ServerDidNotStart` (with the server's output) when it does not come up.
        """
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_dir / f"serve-{port}-{len(self.started)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(TOBEOUT), "serve", "--port", str(port), *args],
                env=dict(env),
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = Server(process, port, log)
        self.started.append(server)
        server.wait_until_healthy(timeout)
        return server

    def stop_all(self) -> None:
        """Stop every server still running, the last started first."""
        for server in reversed(self.started):
            server.stop()
