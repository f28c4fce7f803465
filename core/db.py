"""Database connection: Tortoise init/close, connection URLs, schema preparation.

PostgreSQL (production) gets its schema from the aerich migrations in ``migrations/``,
including the btree_gist exclusion constraints that make overlapping bookings of one
table impossible. The embedded SQLite default is created from the models directly,
with triggers standing in for the PostgreSQL CHECK constraints.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tortoise import BaseDBAsyncClient, Tortoise, connections

from core import storage
from core.errors import ConfigurationError
from core.storage import orm

MODEL_MODULES = ["core.models"]
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# SQLite cannot add CHECK constraints to an existing table; these triggers enforce the same rules.
_SQLITE_CHECKS = {
    "tables_capacity": (
        "tables",
        "NEW.min_guests <= 0 OR NEW.min_guests > NEW.max_guests",
        "check_guest_capacity: min_guests must be positive and at most max_guests",
    ),
    "reservations_guests": ("reservations", "NEW.guests <= 0", "check_guest_count: guests must be positive"),
    "reservations_interval": (
        "reservations",
        "NEW.ends_at <= NEW.starts_at",
        "check_interval: a reservation must end after it starts",
    ),
}


def normalise_url(url: str) -> str:
    """Turn the URL forms people write (``postgresql://``) into the one Tortoise expects."""
    if url.startswith("postgresql://"):
        return "postgres://" + url[len("postgresql://") :]
    return url


async def _keep_session(connection: Any) -> None:
    """Reset hook of the PostgreSQL pool: nothing to do.

    ToBeOut keeps no session state on a connection (no LISTEN, no session-level advisory
    locks, no SET outside a transaction, no held cursors), and asyncpg itself rolls back a
    transaction left open before this hook runs; so the default ``RESET ALL`` round trip on
    every release of a connection is skipped.
    """


def _connection(url: str) -> str | dict[str, Any]:
    if is_sqlite(url):
        return url
    from tortoise.backends.base.config_generator import expand_db_url

    config = expand_db_url(url)
    config["credentials"]["reset"] = _keep_session
    return config


#: Every migration runs with these on its connection (``tobeout db upgrade``): a migration that would wait
#: more than a second for a lock (a long query holds the table) gives up instead of queueing every booking
#: behind it, and no statement of a migration runs longer than ten minutes.
MIGRATION_SETTINGS = {"lock_timeout": "1s", "statement_timeout": "10min"}


def tortoise_config(database_url: str, *, with_aerich: bool = True, migrating: bool = False) -> dict[str, Any]:
    """The Tortoise configuration for ``database_url`` (aerich's models included for migrations;
    ``migrating``: the connection carries :data:`MIGRATION_SETTINGS`)."""
    url = normalise_url(database_url)
    modules = MODEL_MODULES + (["aerich.models"] if with_aerich else [])
    connection = _connection(url)
    if migrating and isinstance(connection, dict):
        server_settings = connection["credentials"].setdefault("server_settings", {})
        server_settings.update(MIGRATION_SETTINGS)
    return {
        "connections": {"default": connection},
        "apps": {"models": {"models": modules, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


def is_sqlite(database_url: str) -> bool:
    """True when ``database_url`` names the embedded SQLite database."""
    return database_url.startswith("sqlite:")


def _ensure_sqlite_dir(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        Path(database_url[len("sqlite://") :]).parent.mkdir(parents=True, exist_ok=True)


_open: dict[str, int] = {}


async def init_db(database_url: str) -> None:
    """Connect Tortoise as the process-wide default (call once per process, e.g. in ``before_serving``).

    Several apps in one process (tests of two instances) share the one connection: each
    ``init_db`` is matched by a ``close_db``, and the last one closes it.
    """
    if _open:
        if database_url not in _open:
            raise ConfigurationError(f"this process is already connected to another database than {database_url}")
        _open[database_url] += 1
        return
    _ensure_sqlite_dir(database_url)
    orm.fresh_context()
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    storage.select()
    _open[database_url] = 1


async def close_db() -> None:
    """Close every database connection opened by :func:`init_db` and release the global context."""
    for url in list(_open):
        _open[url] -= 1
        if _open[url] > 0:
            return
        del _open[url]
    await Tortoise.close_connections()
    storage.forget()
    orm.fresh_context()


async def fetch_dicts(sql: str, args: Sequence[object]) -> list[dict[str, Any]]:
    """The rows of a hand-written ``sql`` on the default connection (the transaction's inside one), as dicts.
    Write parameters as PostgreSQL's ``$1``, ``$2``...; on SQLite they become ``?1``, ``?2``..., which bind
    the same way (a parameter may appear more than once)."""
    return list(await connections.get("default").execute_query_dict(storage.storage().sql.params(sql), list(args)))


def safe_url(url: str) -> str:
    """``url`` without its password (and query), fit for a log line: ``postgres://tobeout@db:5432/tobeout``."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite" or not parts.hostname:
        return url.split("?", 1)[0]
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{user}{parts.hostname}{port}{parts.path}"


async def check_reachable(database_url: str, timeout: float = 10.0) -> None:
    """Connect once to PostgreSQL (nothing to do on SQLite); :class:`ConfigurationError` in one line when it
    cannot be reached, so a process refuses to start with the reason rather than a traceback."""
    if is_sqlite(database_url):
        return
    import asyncpg

    dsn = normalise_url(database_url).replace("postgres://", "postgresql://", 1).split("?", 1)[0]
    try:
        connection = await asyncpg.connect(dsn, timeout=timeout)
    except Exception as exc:
        reason = str(exc).strip() or exc.__class__.__name__
        raise ConfigurationError(
            f"cannot reach the database at {safe_url(database_url)}: {reason} (is PostgreSQL running, and is "
            "DATABASE_URL right?)"
        ) from None
    await connection.close()


async def ping() -> None:
    """Run a trivial query; raises if the database cannot be reached."""
    await connections.get("default").execute_query("SELECT 1")


async def reset_pool() -> None:
    """Drop the PostgreSQL pool's connections so the next query opens fresh ones (after a server restart
    or a killed backend); nothing to do on SQLite. Never raises: a database still away fails the next query."""
    try:
        conn = connections.get("default")
    except Exception:
        return
    try:
        await orm.expire_pool(conn)
    except Exception as exc:
        logging.getLogger(__name__).warning("could not reset the database pool: %s", exc)


async def prepare_sqlite_schema() -> None:
    """Create missing SQLite tables from the models, plus the triggers for the CHECK rules."""
    await Tortoise.generate_schemas(safe=True)
    conn = connections.get("default")
    await _add_sqlite_columns(conn)
    for name, (table, condition, message) in _SQLITE_CHECKS.items():
        for event in ("INSERT", "UPDATE"):
            await conn.execute_script(
                f"CREATE TRIGGER IF NOT EXISTS {name}_{event.lower()} BEFORE {event} ON {table} "
                f"FOR EACH ROW WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            )


#: Columns added to existing tables after their creation (generate_schemas only creates missing tables):
#: table -> [(column, definition)], mirroring the PostgreSQL migrations.
_SQLITE_ADDED_COLUMNS = {
    "guests": [
        ("name_folded", "VARCHAR(255) NOT NULL DEFAULT ''"),
        ("phone_digits", "VARCHAR(50) NOT NULL DEFAULT ''"),
        ("tags", "JSON NOT NULL DEFAULT '[]'"),  # migration 10
    ],
    "restaurants": [
        ("no_show_grace_minutes", "INT NOT NULL DEFAULT 15"),  # migration 12
        ("waitlist_hold_minutes", "INT NOT NULL DEFAULT 10"),
        ("correction_window_minutes", "INT NOT NULL DEFAULT 180"),
        ("seating_window_minutes", "INT NOT NULL DEFAULT 60"),
        ("handoff_wait_minutes", "INT"),  # migration 15; NULL: the service's default
    ],
    "reservations": [("tags", "JSON NOT NULL DEFAULT '[]'")],  # migration 10
}


async def _add_sqlite_columns(conn: BaseDBAsyncClient) -> None:
    """Add the columns an older SQLite file lacks; guests' search keys are then filled in by saving them."""
    for table, columns in _SQLITE_ADDED_COLUMNS.items():
        _, rows = await conn.execute_query(f'PRAGMA table_info("{table}")')
        present = {row["name"] for row in rows}
        missing = [(name, spec) for name, spec in columns if name not in present]
        for name, spec in missing:
            await conn.execute_script(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {spec}')
        if missing and table == "guests":
            from core.models import Guest

            for guest in await Guest.all():
                await guest.save(update_fields=["name", "phone"])


async def upgrade(database_url: str, *, location: Path = MIGRATIONS_DIR) -> list[str]:
    """Bring the database to the current schema; returns what was applied (empty when up to date).

    PostgreSQL runs the aerich migrations (of ``location``), each in a transaction on a connection with
    :data:`MIGRATION_SETTINGS`; SQLite is created from the models.
    """
    if is_sqlite(database_url):
        await init_db(database_url)
        try:
            await prepare_sqlite_schema()
        finally:
            await close_db()
        return ["sqlite schema"]
    import asyncpg
    from aerich import Command

    orm.fresh_context()
    try:
        async with Command(
            tortoise_config=tortoise_config(database_url, migrating=True), app="models", location=str(location)
        ) as command:
            await command.init()
            return await command.upgrade(run_in_transaction=True)
    except asyncpg.exceptions.LockNotAvailableError:
        raise ConfigurationError(
            f"a migration waited more than {MIGRATION_SETTINGS['lock_timeout']} for a table lock (a long query or "
            "transaction holds it) and was rolled back; the migrations before it stay applied. Run "
            "tobeout db upgrade again when it is over (pg_stat_activity shows what runs)."
        ) from None
    finally:
        orm.fresh_context()


def database_url_from_env() -> str:
    """The ``DATABASE_URL`` aerich's own CLI should use (``tobeout`` itself goes through config)."""
    return os.environ.get("DATABASE_URL", "sqlite://var/tobeout.sqlite3")


#: For aerich's command line (``[tool.aerich]`` in pyproject.toml).
TORTOISE_ORM = tortoise_config(database_url_from_env())
