"""Every pluggy hook of ToBeOut, each with when it runs and what it returns.

Hook names carry the ``tobeout_`` prefix. Implementations may be plain or
``async def`` functions (unless a hook says it must be plain): the caller collects the
results and awaits any awaitable (see :func:`core.plugins.call_hook`). None of these
hooks is ``firstresult``, so an ``async def`` implementation is always safe.

``runtime`` is the :class:`core.runtime.Runtime` of the running service, the typed
list of what a plugin may use (see docs/plugins.md): settings, cache, event bus,
plugin manager, clock, the plugin's checked settings, the secrets box, the
integration types, the channel adapters, the conversation engine and a stash for the
plugin's own per-process objects.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Mapping, Sequence
from typing import TYPE_CHECKING

import pluggy

from core.jsontypes import JSONLike

if TYPE_CHECKING:
    from pydantic import BaseModel
    from quart import Quart

    from core.conversation.tools import CommandHandler, Tool
    from core.events import DomainEvent
    from core.jobs import Job
    from core.runtime import ChannelAdapter, IntegrationType, Runtime

hookspec = pluggy.HookspecMarker("tobeout")
hookimpl = pluggy.HookimplMarker("tobeout")

#: what ``tobeout_readiness`` and an integration type's ``health`` report: ``{"ok": bool, "detail": str}`` by name
Checks = Mapping[str, Mapping[str, JSONLike]]


@hookspec
def tobeout_plugin_settings() -> type[BaseModel] | None:
    """Return the pydantic model of this plugin's ``plugins.toml`` table (subclass
    :class:`core.plugins.PluginSettings`: unknown keys refused). Called once while the
    app is built, before any other hook; must be a plain function. Startup stops with
    one line naming the plugin and the key when the table has an unknown key or a value
    the model refuses. A plugin without this hook takes no settings. Read the checked
    settings with ``runtime.options(name, Model)``."""


@hookspec
def tobeout_startup(runtime: Runtime) -> Awaitable[None] | None:
    """Called once when the service starts, after the database, cache and bus are up,
    the integration types and channel adapters collected and the conversation engine
    built, and before the first request. Open clients, start background tasks here.
    May be ``async``. A plugin that raises here stops startup with its name."""


@hookspec
def tobeout_shutdown(runtime: Runtime) -> Awaitable[None] | None:
    """Called once when the service stops, before the database is closed. Close what
    ``tobeout_startup`` opened. May be ``async``; errors are logged, not raised."""


@hookspec
def tobeout_register_routes(app: Quart, runtime: Runtime) -> None:
    """Called while the Quart ``app`` is built, to add the plugin's blueprints
    (a channel's webhook, a widget's static files). Returns nothing; must be plain.
    In a request, ``core.runtime.runtime_of(current_app)`` is the runtime."""


@hookspec
def tobeout_integration_types(
    runtime: Runtime,
) -> Sequence[IntegrationType] | Awaitable[Sequence[IntegrationType]] | None:
    """Return the :class:`core.integrations.IntegrationType` objects this plugin declares:
    an outside service a restaurant connects (a channel's bot or account, an API key),
    with its name (the ``{type}`` of ``GET/POST /api/integrations/{type}``), its pydantic
    settings model (``SecretStr`` fields are stored encrypted and answered masked), a
    ``check`` run before a save is stored (credentials checked with the service, webhook
    registered) and a ``health`` check shown by ``GET /api/health``. Called once at startup;
    two plugins declaring one name stop startup. May be ``async``."""


@hookspec
def tobeout_channels(runtime: Runtime) -> Sequence[ChannelAdapter] | Awaitable[Sequence[ChannelAdapter]] | None:
    """Return the channel adapters this plugin provides (:class:`core.runtime.ChannelAdapter`):
    objects with a ``name`` (the ``InboundMessage.channel`` of the guests they reach) and
    ``async send(restaurant_id, chat_id, replies)`` that delivers
    :class:`core.conversation.types.Reply` objects to a chat, raising
    :class:`core.errors.ChannelError` on failure (``retryable``, ``details["retryAfter"]``;
    ``details["window"]`` when a channel's rule forbids the message now: logged, not retried).
    An adapter with ``pull = True`` is never called by the outbox: its guests fetch their
    messages (the web chat). Called once at startup; they are ``runtime.channels`` by name,
    through which the guest outbox (:mod:`core.outbox`) sends notifications and reminders."""


@hookspec
def tobeout_conversation_tools(runtime: Runtime) -> Sequence[Tool] | Awaitable[Sequence[Tool]] | None:
    """Return extra :class:`core.conversation.tools.Tool` objects the LLM may call
    (name, description, JSON-schema parameters, ``async handler(context, args)``).
    Called once at startup, when the engine is built. The built-in booking tools come
    from this same hook (``enabled = false`` on their plugin removes them from the LLM).
    ``Tool.from_model(name, description, ArgsModel, handler, changes_reservation=...)``
    generates the JSON schema from the handler's pydantic argument model; a tool that
    changes a reservation declares it and returns ``{"reservation": {"id": ...}}``."""


@hookspec
def tobeout_domain_event(event: DomainEvent, runtime: Runtime) -> Awaitable[None] | None:
    """Called for every :class:`core.events.DomainEvent` published in this process
    (reservation created, updated, canceled, status changed; table and hours
    changed; an integration's settings saved), after it is committed. Notify guests or
    other systems here. May be ``async``; a failure is logged and never undoes the change."""


@hookspec
def tobeout_readiness(runtime: Runtime) -> Checks | Awaitable[Checks] | None:
    """Return ``{check_name: {"ok": bool, "detail": str}}`` for ``GET /api/health`` (a check that
    is not an integration's: those come from the integration type's ``health``).
    May be ``async``. Called on every readiness probe; keep it cheap (cache the result
    of remote checks)."""


@hookspec
def tobeout_register_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Called while the ``tobeout`` command line is built; add sub-commands with
    ``subparsers.add_parser(name)`` and ``parser.set_defaults(handler=fn)`` where
    ``fn(args, settings)`` returns an exit code (e.g. a channel's ``tobeout <channel> poll``). Must be plain."""


@hookspec
def tobeout_worker_jobs(runtime: Runtime) -> Sequence[Job] | Awaitable[Sequence[Job]] | None:
    """Return the jobs the worker runs on every poll (``tobeout worker``, or the loop inside
    ``tobeout serve`` on the embedded database): objects with a ``name``, an ``order``
    (lower runs first; the core's lifecycle is 50 and its outbox delivery 90) and
    ``async run(now) -> int`` (how much it did). A job that queues guest messages of its own
    ``kind`` in :mod:`core.outbox` may also have ``async check(message, now) -> str | None``
    (None to send it, else why not any more) and ``async after_sent(message)``. Called once
    when the worker starts. The core's own jobs come from this hook too (``trylast``)."""


@hookspec
def tobeout_conversation_commands(
    runtime: Runtime,
) -> Mapping[str, CommandHandler] | Awaitable[Mapping[str, CommandHandler]] | None:
    """Return ``{name: async handler(context, argument) -> list[Reply]}``: a guest message
    ``/name argument`` (typically a quick reply's value, such as a reminder's
    ``/reminder confirm 12``) is answered by the handler instead of the LLM or the guided
    flow. ``context`` is the turn's :class:`core.conversation.tools.ToolContext` (act only as
    ``context.guest`` in ``context.restaurant``). Called once, when the engine first needs them."""
