"""The ``tobeout`` command line: serve, db upgrade, create-user, demo-data, plugins."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from api.http_guard import BODY_SECONDS, HEADER_SECONDS
from api.serving import MAX_CONCURRENCY
from core import db
from core.config import Settings, load_settings
from core.errors import DomainError
from core.logs import configure_logging
from core.plugins import check_plugin_settings, describe_plugins, effective_settings, make_plugin_manager
from core.version import version

T = TypeVar("T")
#: The commands that refuse to start, in one line, when the database cannot be reached.
NEEDS_DATABASE = frozenset({"serve", "worker", "db", "create-user", "demo-data", "status"})


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from api.serving import ServeOptions, serve

    options = ServeOptions(
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=args.access_log,
        grace=args.grace,
        header_timeout=args.header_timeout,
        body_timeout=args.body_timeout,
        limit_concurrency=args.limit_concurrency,
    )
    return serve(options, settings)


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    import signal

    from api.app import create_app
    from core.worker import WorkerUnhealthy

    # The same startup as the server (database, cache, bus, plugins), without serving HTTP.
    app = create_app(settings, run_worker=True)
    app.worker.give_up = True
    app.worker.heartbeat_file = args.heartbeat_file

    async def run() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await app.startup()
        print("ToBeOut worker running: reminders, reservation lifecycle, guest outbox (stop with SIGTERM)", flush=True)
        stopped = loop.create_task(stop.wait())
        watched = [stopped, *([app.worker.task] if app.worker.task is not None else [])]
        try:
            done, _ = await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
            failed = app.worker.task if app.worker.task in done else None
            if failed is not None and isinstance(failed.exception(), WorkerUnhealthy):
                print(f"tobeout worker: {failed.exception()}; exiting so that it is restarted", file=sys.stderr)
                return 3
            return 0
        finally:
            stopped.cancel()
            await app.shutdown()

    import uvloop  # the servers' loop too (uvicorn's); asyncpg and the channels' HTTP clients spend less CPU on it

    return uvloop.run(run())


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    applied = asyncio.run(db.upgrade(settings.database_url))
    kind = "SQLite (created from the models)" if settings.is_sqlite else "PostgreSQL (aerich migrations)"
    if applied:
        print(f"{kind}: applied {', '.join(applied)}")
    else:
        print(f"{kind}: already up to date")
    return 0


async def _with_db(settings: Settings, coro_factory: Callable[[], Awaitable[T]]) -> T:
    await db.init_db(settings.database_url)
    try:
        if settings.is_sqlite:
            await db.prepare_sqlite_schema()
        return await coro_factory()
    finally:
        await db.close_db()


def _create_user(args: argparse.Namespace, settings: Settings) -> int:
    from core.accounts import create_user, find_restaurant
    from core.models import User, UserRole

    password = os.environ.get("TOBEOUT_PASSWORD") or getpass.getpass("Password (8+ characters): ")

    async def run() -> User:
        restaurant = await find_restaurant(args.restaurant) if args.restaurant else None
        return await create_user(
            email=args.email, name=args.name, password=password, role=UserRole(args.role), restaurant=restaurant
        )

    user = asyncio.run(_with_db(settings, run))
    print(f"created user {user.id} <{user.email}> role={user.role.value}")
    return 0


def _demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from core.demo import load_demo_data

    summary = asyncio.run(_with_db(settings, load_demo_data))
    print(summary)
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from datetime import UTC, datetime

    from core.status import describe, service_status

    status = asyncio.run(_with_db(settings, lambda: service_status(datetime.now(UTC))))
    print(json.dumps(status.to_dict(), indent=2) if args.json else describe(status))
    return 0


def _plugins(args: argparse.Namespace, settings: Settings) -> int:
    from api.app import load_plugin_config

    config = load_plugin_config(settings)
    pm = make_plugin_manager(config)
    checked = check_plugin_settings(pm, config)
    print(f"# {config.describe()}")
    for row in describe_plugins(pm):
        print(f"{row['name']:<32} {row['version']:<20} {row['module']}")
        model = checked.get(row["name"])
        for key, value in (effective_settings(model) if model is not None else {}).items():
            print(f"    {key} = {value!r}")
    for name in sorted(config.disabled):
        print(f"{name:<32} {'(enabled = false)':<20}")
    return 0


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds between 0 and 3600, got {text!r}")
    return seconds


def _positive_count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, including sub-commands that plugins add."""
    parser = argparse.ArgumentParser(prog="tobeout", description="ToBeOut restaurant booking service")
    parser.add_argument("--version", action="version", version=f"tobeout {version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the API, the channels and the demo page (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=1, help="processes sharing the port (PostgreSQL and Redis only; default 1)"
    )
    serve.add_argument(
        "--grace",
        type=int,
        default=30,
        help="seconds requests in flight may take to finish on SIGTERM/SIGINT (default 30)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--header-timeout",
        type=_positive_seconds,
        default=HEADER_SECONDS,
        help=f"seconds a client has to send a request's line and headers, else 408 (default {HEADER_SECONDS:g})",
    )
    serve.add_argument(
        "--body-timeout",
        type=_positive_seconds,
        default=BODY_SECONDS,
        help=f"seconds a client has to send a request's body after its headers (default {BODY_SECONDS:g})",
    )
    serve.add_argument(
        "--limit-concurrency",
        type=_positive_count,
        default=MAX_CONCURRENCY,
        help=f"connections and requests one process holds at once; beyond, 503 (default {MAX_CONCURRENCY})",
    )
    serve.set_defaults(handler=_serve)
    worker = sub.add_parser("worker", help="run the scheduled work: reminders, no-shows, the guest outbox")
    worker.add_argument(
        "--heartbeat-file",
        type=Path,
        help="touch this file after every poll that worked (for a liveness probe that checks its age)",
    )
    worker.set_defaults(handler=_worker)
    dbp = sub.add_parser("db", help="database schema")
    dbsub = dbp.add_subparsers(dest="db_command", required=True)
    dbsub.add_parser("upgrade", help="bring the database to the current schema").set_defaults(handler=_db_upgrade)
    cu = sub.add_parser("create-user", help="create a staff user (password from TOBEOUT_PASSWORD or a prompt)")
    cu.add_argument("--email", required=True)
    cu.add_argument("--name", required=True)
    cu.add_argument("--role", choices=["admin", "restaurant", "staff"], required=True)
    cu.add_argument("--restaurant", help="restaurant id or exact name (not for admins)")
    cu.set_defaults(handler=_create_user)
    status = sub.add_parser("status", help="the workers' heartbeats, the outbox backlog and the oldest due message")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=_status)
    sub.add_parser("demo-data", help="load the demo restaurant (idempotent)").set_defaults(handler=_demo_data)
    sub.add_parser("plugins", help="list the loaded plugins with versions and effective settings").set_defaults(
        handler=_plugins
    )
    try:
        from api.app import load_plugin_config

        pm = make_plugin_manager(load_plugin_config(load_settings()))
        pm.hook.tobeout_register_commands(subparsers=sub)
    except DomainError:
        pass  # reported when the command runs and loads settings itself
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tobeout`` console script."""
    configure_logging()
    try:
        args = build_parser().parse_args(argv)  # --version and --help answer before any setting is read
        settings = load_settings()
        if args.command in NEEDS_DATABASE:
            asyncio.run(db.check_reachable(settings.database_url))  # one line and exit 2 when it is not
        return int(args.handler(args, settings) or 0)
    except DomainError as exc:
        print(f"tobeout: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
