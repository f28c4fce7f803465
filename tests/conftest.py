"""Shared fixtures: real PostgreSQL and SQLite databases, real Redis, the app with its startup.

PostgreSQL comes from ``TEST_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``):
one throwaway database per test run is created from it, migrated with the real aerich
migrations, emptied before every test and dropped at the end. Redis comes from
``TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/15``), flushed before each test.
When a service is unreachable its tests are skipped with the reason, except under
``CI=true``, where that is a failure.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import logging
import os
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from cryptography.fernet import Fernet

from core import db as core_db
from core.config import Settings, load_settings

if TYPE_CHECKING:
    from quart.testing import QuartClient

    from api.app import App
    from tests.clock import Clock
    from tests.fakes import FakeOpenAI
    from tests.serving import ServerPool

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() == "true"
ENCRYPTION_KEY = Fernet.generate_key().decode()
TABLES = [
    "worker_heartbeats",
    "shared_keys",
    "guest_outbox",
    "processed_messages",
    "conversations",
    "ai_activities",
    "integration_settings",
    "reservation_changes",
    "reservation_tables",
    "reservations",
    "timeslots",
    "guest_identities",
    "guests",
    "tables",
    "staff_sessions",
    "api_tokens",
    "staff_memberships",
    "restaurants",
    "users",
]


def _serialise_ast_parse() -> None:
    """Let one thread at a time build an AST on CPython before 3.11.8.

    Those releases keep the AST constructor's recursion depth in interpreter-wide state
    (python/cpython#106905, fixed in 3.11.8 by #113035). When a thread switch lands inside
    ``ast.parse`` and another thread parses too (traceback formatting parses the failing line,
    and our fake servers and ``to_thread`` workers log exceptions while pytest rewrites or
    formats), the first parse raises ``SystemError: AST constructor recursion depth mismatch``
    and fails a random test. Serialising ``ast.parse`` removes the overlap; newer Pythons are
    left alone.
    """
    if sys.version_info >= (3, 11, 8):
        return
    original = ast.parse
    lock = threading.RLock()

    def parse(*args: Any, **kwargs: Any) -> Any:
        # The garbage collector is held off too: a finalizer run mid-parse (asyncio logging "Task was
        # destroyed but it is pending!" formats a traceback, which parses) nests a second parse in this
        # thread, which the same shared depth counter gets wrong.
        with lock:
            collecting = gc.isenabled()
            gc.disable()
            try:
                return original(*args, **kwargs)
            finally:
                if collecting:
                    gc.enable()

    ast.parse = parse


_serialise_ast_parse()


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """pytest's own log handlers (caplog, the reports' captured logs) mask registered secrets as the service's do."""
    from core.redaction import install_secret_filter

    plugin = config.pluginmanager.get_plugin("logging-plugin")
    for name in ("caplog_handler", "report_handler", "log_cli_handler", "log_file_handler"):
        handler = getattr(plugin, name, None)
        if handler is not None:
            install_secret_filter(handler)


#: ``await app_factory(database_url, env={...}, **create_app_kwargs)`` -> a started app
AppFactory = Callable[..., Awaitable["App"]]


def unavailable(what: str, reason: str) -> None:
    """Skip the test, or fail it under CI=true, because ``what`` is not reachable."""
    message = f"{what} is not reachable ({reason})"
    if IN_CI:
        pytest.fail(f"{message}; CI=true requires it")
    pytest.skip(message)


def _dsn(url: str, database: str | None = None) -> str:
    base = url.replace("postgres://", "postgresql://", 1)
    if database is None:
        return base
    head, _, _ = base.rpartition("/")
    return f"{head}/{database}"


@contextlib.asynccontextmanager
async def empty_postgres_database(prefix: str = "tobeout_test") -> AsyncIterator[str]:
    """A new, empty PostgreSQL database (its ``postgres://`` URL), dropped at the end; skips the test
    (fails it under CI=true) when PostgreSQL is not reachable."""
    import asyncpg

    try:
        admin = await asyncpg.connect(_dsn(TEST_DATABASE_URL), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        unavailable("PostgreSQL", f"{TEST_DATABASE_URL}: {exc}")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _dsn(TEST_DATABASE_URL, name).replace("postgresql://", "postgres://", 1)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="session")
async def postgres_url() -> AsyncIterator[str]:
    """A migrated, throwaway PostgreSQL database for this test run."""
    async with empty_postgres_database() as url:
        await core_db.upgrade(url)
        yield url


@pytest.fixture(scope="session")
async def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An embedded SQLite database file with the schema, for this test run."""
    path = tmp_path_factory.mktemp("sqlite") / "tobeout.sqlite3"
    url = f"sqlite://{path}"
    await core_db.upgrade(url)
    return url


async def _empty_database(url: str) -> None:
    from tortoise import connections

    conn = connections.get("default")
    if core_db.is_sqlite(url):
        for table in TABLES:
            await conn.execute_script(f'DELETE FROM "{table}"')
        await conn.execute_script("DELETE FROM sqlite_sequence")
    else:
        await conn.execute_script(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty test database; tests using it run on both backends."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[str]:
    """Tortoise connected to an empty test database (both backends); yields its URL."""
    await core_db.init_db(db_url)
    await _empty_database(db_url)
    try:
        yield db_url
    finally:
        await core_db.close_db()


@pytest.fixture
async def pg_db(postgres_url: str) -> AsyncIterator[str]:
    """Tortoise connected to an empty PostgreSQL test database; yields its URL."""
    await core_db.init_db(postgres_url)
    await _empty_database(postgres_url)
    try:
        yield postgres_url
    finally:
        await core_db.close_db()


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """A reachable, flushed Redis database for this test."""
    import redis.asyncio as aioredis

    client = aioredis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        await client.flushdb()
    except Exception as exc:
        await client.aclose()
        unavailable("Redis", f"{TEST_REDIS_URL}: {exc}")
    try:
        yield TEST_REDIS_URL
    finally:
        await client.flushdb()
        await client.aclose()


def make_settings(tmp_path: Path, database_url: str, **env: str) -> Settings:
    """Settings for a test app: its own var dir, fixed keys, the given database."""
    values = {
        "TOBEOUT_ENV": "test",
        "TOBEOUT_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "TOBEOUT_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "TOBEOUT_PLUGINS_FILE": str(Path(__file__).resolve().parent.parent / "plugins.toml"),
        "PUBLIC_BASE_URL": "http://tobeout.test",
    }
    values.update(env)
    return load_settings(values)


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    """``settings_factory(database_url, **env)`` builds test settings."""
    return lambda database_url, **env: make_settings(tmp_path, database_url, **env)


@pytest.fixture
async def app_factory(tmp_path: Path) -> AsyncIterator:
    """``await app_factory(database_url, **env)`` -> a started app (``before_serving`` ran); stopped afterwards.

    The database is emptied when the first app of a test starts.
    """
    from api.app import create_app

    started = []
    emptied: set[str] = set()

    async def start(database_url: str, **kwargs: Any) -> App:
        env = kwargs.pop("env", {})
        app = create_app(make_settings(tmp_path, database_url, **env), **kwargs)
        ctx = app.test_app()
        await ctx.__aenter__()
        started.append(ctx)
        if database_url not in emptied:
            await _empty_database(database_url)
            emptied.add(database_url)
        return app

    yield start
    for ctx in reversed(started):
        await ctx.__aexit__(None, None, None)


@pytest.fixture
def clock() -> Clock:
    """A settable clock starting at ``tests.clock.NOW``."""
    from tests.clock import Clock

    return Clock()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A fake OpenAI Chat Completions server on 127.0.0.1 (``base_url`` ends in /v1)."""
    from tests.fakes import FakeOpenAI

    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
async def app(app_factory: AppFactory, postgres_url: str) -> App:
    """The app on PostgreSQL, started."""
    return await app_factory(postgres_url)


@pytest.fixture
def client(app: App) -> QuartClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def tobeout_servers(tmp_path: Path) -> Iterator[ServerPool]:
    """Real ``tobeout serve`` processes for this test (:mod:`tests.serving`), any still running stopped at its end."""
    from tests.serving import ServerPool

    pool = ServerPool(tmp_path / "server-logs")
    try:
        yield pool
    finally:
        pool.stop_all()


@contextlib.contextmanager
def service_log(fmt: str) -> Iterator[io.StringIO]:
    """The service's own logging (``core.logs.configure_logging``) at DEBUG in ``fmt`` into a buffer;
    the root logger's level and handlers restored afterwards."""
    from core.logs import configure_logging

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    buffer = io.StringIO()
    configure_logging("DEBUG", fmt, stream=buffer)
    try:
        yield buffer
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
