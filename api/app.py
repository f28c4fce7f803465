"""The Quart application factory: ``create_app(settings)``.

Plugins are loaded and their settings checked while the app is built (a bad setting stops
it with one line). Connections (database, cache, bus, plugins' clients) are opened in
``before_serving``, where the runtime collects the integration types and channel adapters
and builds the conversation engine, and closed in ``after_serving``; nothing connects at
import time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from pathlib import Path

from quart import Quart
from quart_schema import QuartSchema

from api.activities import blueprint as activities_blueprint
from api.auth import blueprint as auth_blueprint
from api.booking import blueprint as booking_blueprint
from api.cache_invalidation import install_cache_invalidation
from api.conversations import blueprint as conversations_blueprint
from api.dashboard import blueprint as dashboard_blueprint
from api.dashboard_ui import blueprint as dashboard_ui_blueprint
from api.dashboard_ui import icon_blueprint
from api.docs import blueprint as docs_blueprint
from api.errors import register_error_handlers
from api.events import blueprint as events_blueprint
from api.guest_ui.api import blueprint as manage_blueprint
from api.guest_ui.page import blueprint as guest_ui_blueprint
from api.guests import blueprint as guests_blueprint
from api.headers import install_security_headers
from api.health import blueprint as health_blueprint
from api.integrations import blueprint as integrations_blueprint
from api.json_provider import install_fast_json
from api.observability import install_observability
from api.openapi import ApiDocument
from api.reports import blueprint as reports_blueprint
from api.reservations import blueprint as reservations_blueprint
from api.restaurants import blueprint as restaurants_blueprint
from api.security import init_security, openapi_security_schemes
from api.staff import blueprint as staff_blueprint
from api.tables import blueprint as tables_blueprint
from api.timeslots import blueprint as timeslots_blueprint
from api.validation import install_edge_validation
from api.waitlist import blueprint as waitlist_blueprint
from core import db
from core.bootstrap import start_runtime, stop_runtime
from core.config import Settings, load_settings
from core.events import DomainEvent
from core.plugins import (
    PluginConfig,
    call_hook_each,
    check_plugin_settings,
    locate_plugins_file,
    make_plugin_manager,
    read_plugins_file,
)
from core.runtime import Runtime, make_runtime
from core.version import version
from core.worker import Worker, WorkerUnhealthy, runs_in_serve

log = logging.getLogger(__name__)


class App(Quart):
    """The ToBeOut app: a Quart app with its :class:`core.runtime.Runtime` and its worker loop."""

    runtime: Runtime
    worker: InServeWorker


def load_plugin_config(settings: Settings) -> PluginConfig:
    """The plugins file of ``settings`` (or ``./plugins.toml``, or none: built-in defaults), parsed."""
    return read_plugins_file(locate_plugins_file(settings.plugins_file))


def create_app(
    settings: Settings | None = None,
    *,
    plugin_config: PluginConfig | None = None,
    extra_plugins: Iterable[object] = (),
    entry_points: bool = True,
    clock: Callable[[], datetime] | None = None,
    run_worker: bool | None = None,
) -> App:
    """Build the app for ``settings`` (default: from the environment).

    Raises :class:`core.errors.ConfigurationError` when a plugin fails to load or one of
    its settings is wrong (one line naming the plugin and the key). ``run_worker``: whether
    serving also runs the worker loop (:mod:`core.worker`); ``None`` decides from its
    ``in_serve`` setting (on the embedded SQLite default it does).
    """
    settings = settings or load_settings()
    plugin_config = plugin_config or load_plugin_config(settings)
    log.info("%s", plugin_config.describe())
    pm = make_plugin_manager(plugin_config, entry_points=entry_points, extra=extra_plugins)
    checked = check_plugin_settings(pm, plugin_config)
    runtime = make_runtime(settings, pm, plugin_config.settings, checked)
    if clock is not None:
        runtime.clock = clock

    app = App(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=1024 * 1024,
        QUART_AUTH_COOKIE_SECURE=settings.production,
        QUART_AUTH_COOKIE_SAMESITE="Lax",
        QUART_AUTH_COOKIE_NAME="tobeout_session",
        QUART_SCHEMA_PYDANTIC_DUMP_OPTIONS={"by_alias": True, "mode": "json"},
        SSE_MAX_PER_CREDENTIAL=settings.sse_max_per_credential,
        SSE_MAX_PER_ADDRESS=settings.sse_max_per_address,
        SSE_SLOT_SECONDS=settings.sse_slot_seconds,
    )
    app.runtime = runtime
    install_edge_validation(app)  # before any route: the bounded <int:...> converter
    QuartSchema(
        app,
        openapi_path="/openapi.json",
        swagger_ui_path=None,  # served by api.docs, without a CDN
        redoc_ui_path=None,
        scalar_ui_path=None,
        info={"title": "ToBeOut API", "version": "1"},
        convert_casing=False,
        security_schemes=openapi_security_schemes(),
        openapi_provider_class=ApiDocument,  # every operation's error answers
    )
    install_fast_json(app)  # after QuartSchema, which installs its own provider
    init_security(app)
    register_error_handlers(app)
    install_security_headers(app, production=settings.production)
    app.register_blueprint(health_blueprint)
    app.register_blueprint(docs_blueprint)
    app.register_blueprint(auth_blueprint)
    app.register_blueprint(staff_blueprint)
    app.register_blueprint(restaurants_blueprint)
    app.register_blueprint(tables_blueprint)
    app.register_blueprint(guests_blueprint)
    app.register_blueprint(waitlist_blueprint)
    app.register_blueprint(integrations_blueprint)
    app.register_blueprint(activities_blueprint)
    app.register_blueprint(reservations_blueprint)
    app.register_blueprint(booking_blueprint)
    app.register_blueprint(events_blueprint)
    app.register_blueprint(dashboard_blueprint)
    app.register_blueprint(dashboard_ui_blueprint)
    app.register_blueprint(icon_blueprint)
    app.register_blueprint(timeslots_blueprint)
    app.register_blueprint(conversations_blueprint)
    app.register_blueprint(reports_blueprint)
    app.register_blueprint(manage_blueprint)
    app.register_blueprint(guest_ui_blueprint)
    install_cache_invalidation(app)
    install_observability(app)
    pm.hook.tobeout_register_routes(app=app, runtime=runtime)
    worker = app.worker = InServeWorker(runtime, run_worker)

    @app.before_serving
    async def _start() -> None:
        log.info(
            "ToBeOut %s starting: environment %s, database %s, redis %s, log format %s",
            version(),
            settings.env,
            db.safe_url(settings.database_url),
            db.safe_url(settings.redis_url) if settings.redis_url else "none (in-process cache, locks and events)",
            settings.log_format,
        )
        await db.init_db(settings.database_url)
        if settings.is_sqlite:
            await db.prepare_sqlite_schema()
        try:
            await runtime.bus.start()
            runtime.bus.add_handler(_plugin_event_handler(runtime))
            await start_runtime(runtime)
            await call_hook_each(pm, "tobeout_startup", runtime=runtime)
            worker.start()
        except BaseException:  # startup refused (a plugin, a setting): leave nothing open behind
            await stop_runtime(runtime)
            await runtime.bus.close()
            await runtime.cache.close()
            await db.close_db()
            raise

    @app.after_serving
    async def _stop() -> None:
        try:
            await worker.stop()
            await call_hook_each(pm, "tobeout_shutdown", raise_errors=False, runtime=runtime)
            await stop_runtime(runtime)
        finally:
            await runtime.bus.close()
            await runtime.cache.close()
            await db.close_db()

    return app


class InServeWorker:
    """The worker loop in this process (``tobeout worker``, or the server on the embedded default),
    started after the plugins and stopped before them.

    ``give_up`` (set by ``tobeout worker``): the loop ends with :class:`core.worker.WorkerUnhealthy`
    after ``max_failed_polls`` polls that could not work (see :attr:`task`); ``heartbeat_file``: a file
    touched after every poll that worked.
    """

    def __init__(self, runtime: Runtime, run: bool | None) -> None:
        self.runtime = runtime
        self.run = runs_in_serve(runtime) if run is None else run
        self.give_up = False
        self.heartbeat_file: Path | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._worker: Worker | None = None

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The polling task while it runs (it ends early only when the worker gave up)."""
        return self._task

    def start(self) -> None:
        """Start polling in the background (when this process runs the worker)."""
        if self.run:
            self._stop.clear()
            self._worker = Worker(self.runtime, heartbeat_file=self.heartbeat_file)
            self._task = asyncio.get_running_loop().create_task(
                self._worker.run_forever(self._stop, give_up=self.give_up), name="tobeout-worker"
            )
            log.info("the worker runs in this process (reminders, reservation lifecycle, guest outbox)")

    async def stop(self) -> None:
        """Let the poll in progress finish, then stop (and remove the heartbeat row)."""
        if self._task is not None:
            self._stop.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=30)
            except WorkerUnhealthy:
                pass  # reported by whoever watched the task
            except Exception:
                log.exception("the in-process worker did not stop cleanly")
            self._task = None
        if self._worker is not None:
            await self._worker.forget()
            self._worker = None


def _plugin_event_handler(runtime: Runtime) -> Callable[[DomainEvent], Awaitable[None]]:
    async def handle(event: DomainEvent) -> None:
        await call_hook_each(runtime.plugins, "tobeout_domain_event", raise_errors=False, event=event, runtime=runtime)

    return handle
