"""Every pluggy hook of ToBeOut, each with when it runs and what it returns.

Hook names carry the ``tobeout_`` prefix. Implementations may be plain or
``async def`` functions: the caller collects the results and awaits any
awaitable (see :func:`core.plugins.call_hook`). None of these hooks is
``firstresult``, so an ``async def`` implementation is always safe.

``runtime`` is the :class:`core.runtime.Runtime` of the running service: settings,
cache, event bus, plugin manager and clock.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("tobeout")
hookimpl = pluggy.HookimplMarker("tobeout")


@hookspec
def tobeout_startup(runtime: Any) -> Any:
    """Called once when the service starts, after the database, cache and bus are up
    and before the first request. Open clients, start background tasks here.
    May be ``async``. A plugin that raises here stops startup with its name."""


@hookspec
def tobeout_shutdown(runtime: Any) -> Any:
    """Called once when the service stops, before the database is closed. Close what
    ``tobeout_startup`` opened. May be ``async``; errors are logged, not raised."""


@hookspec
def tobeout_register_routes(app: Any, runtime: Any) -> None:
    """Called while the Quart ``app`` is built, to add the plugin's blueprints
    (a channel's webhook, a widget's static files). Returns nothing."""


@hookspec
def tobeout_channels(runtime: Any) -> list[Any] | Any:
    """Return the channel adapters this plugin provides: objects with a ``name``
    (``"telegram"``) and ``async send(restaurant_id, chat_id, replies)`` that
    delivers :class:`core.conversation.types.Reply` objects to a chat, raising
    :class:`core.errors.ChannelError` on failure. Called once at startup; the
    notifier uses them to tell guests about staff changes."""


@hookspec
def tobeout_conversation_tools(runtime: Any) -> list[Any] | Any:
    """Return extra :class:`core.conversation.tools.Tool` objects the LLM may call
    (name, description, JSON-schema parameters, ``async handler(context, args)``).
    Called once at startup. The built-in booking tools come from this same hook."""


@hookspec
def tobeout_domain_event(event: Any, runtime: Any) -> Any:
    """Called for every :class:`core.events.DomainEvent` published in this process
    (reservation created, updated, canceled, status changed; table and hours
    changed), after it is committed. Notify guests or other systems here. May be
    ``async``; a failure is logged and never undoes the change."""


@hookspec
def tobeout_readiness(runtime: Any) -> dict[str, Any] | Any:
    """Return ``{check_name: {"ok": bool, "detail": str}}`` for ``/readyz``
    (e.g. a channel's credentials). May be ``async``. Called on every readiness probe;
    keep it cheap (cache the result of remote checks)."""


@hookspec
def tobeout_register_commands(subparsers: Any) -> None:
    """Called while the ``tobeout`` command line is built; add sub-commands with
    ``subparsers.add_parser(name)`` and ``parser.set_defaults(handler=fn)`` where
    ``fn(args, settings)`` returns an exit code (e.g. ``tobeout telegram poll``)."""


@hookspec
def tobeout_integration_saving(
    restaurant_id: int, type: str, values: dict[str, Any], enabled: Any, runtime: Any
) -> Any:
    """Called by ``POST /api/integrations/{type}`` before the restaurant's settings of that
    ``type`` (``"telegram"``, ``"whatsapp"``...) are stored. ``values`` are the request's
    camelCase values (secrets in plain text; a key that is absent, ``None`` or masked keeps
    the stored value, ``""`` removes it); ``enabled`` is the requested switch (``None`` when
    not sent). A channel checks the credentials with its service and registers its webhook
    here. Return ``None`` or a dict of extra values stored with them and shown to staff (the
    bot's username, the webhook URL, ``status``: ``{"ok", "detail"}``); a secret among them
    goes in as ``{"encrypted": SecretBox(...).encrypt(value)}``. Raise
    ``core.errors.ValidationError`` (400) when the service refused the credentials or
    ``core.errors.ChannelError`` (502) when it could not be reached: nothing is stored then.
    May be ``async``."""


@hookspec
def tobeout_worker_jobs(runtime: Any) -> list[Any] | Any:
    """Return the jobs the worker runs on every poll (``tobeout worker``, or the loop inside
    ``tobeout serve`` on the embedded database): objects with a ``name``, an ``order``
    (lower runs first; the core's lifecycle is 50 and its outbox delivery 90) and
    ``async run(now) -> int`` (how much it did). A job that queues guest messages of its own
    ``kind`` in :mod:`core.outbox` may also have ``async check(message, now) -> str | None``
    (None to send it, else why not any more) and ``async after_sent(message)``. Called once
    when the worker starts. The core's own jobs come from this hook too (``trylast``)."""


@hookspec
def tobeout_conversation_commands(runtime: Any) -> dict[str, Any] | Any:
    """Return ``{name: async handler(context, argument) -> list[Reply]}``: a guest message
    ``/name argument`` (typically a quick reply's value, such as a reminder's
    ``/reminder confirm 12``) is answered by the handler instead of the LLM or the guided
    flow. ``context`` is the turn's :class:`core.conversation.tools.ToolContext` (act only as
    ``context.guest`` in ``context.restaurant``). Called once, when the engine first needs them."""
