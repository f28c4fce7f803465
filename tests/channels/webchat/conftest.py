"""Fixtures of the web chat tests: ``demo_server``, a real ``tobeout serve`` with the demo data, as ``make run`` has."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving import ROOT, ServerPool, free_port, run_tobeout


@pytest.fixture
def demo_server(tmp_path: Path, tobeout_servers: ServerPool) -> Iterator[tuple[str, Path]]:
    """`tobeout db upgrade`, `demo-data` and `serve` on an embedded SQLite database, as `make run` does.

    Yields the base URL and the database file.
    """
    port = free_port()
    env = {
        **os.environ,
        "TOBEOUT_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite://{tmp_path}/var/demo.sqlite3",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "TOBEOUT_PLUGINS_FILE": str(ROOT / "plugins.toml"),
    }
    for key in ("OPENAI_API_KEY", "REDIS_URL"):
        env.pop(key, None)
    for command in (["db", "upgrade"], ["demo-data"]):
        run_tobeout(command, env, ROOT)
    with tobeout_servers.start(port, env, ROOT) as server:
        yield server.base, tmp_path / "var" / "demo.sqlite3"
