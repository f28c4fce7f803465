"""Hook implementations of the web chat channel."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookimpl

CHANNEL = "webchat"


@hookimpl
def tobeout_register_routes(app: Any, runtime: Any) -> None:
    """Mount the widget, the demo page and the messages endpoint."""
    from channels.webchat.routes import blueprint

    app.register_blueprint(blueprint)


@hookimpl
def tobeout_channels(runtime: Any) -> list[Any]:
    """The web chat adapter: notifications wait in the visitor's outbox until the widget fetches them."""
    from channels.webchat.outbox import WebchatAdapter

    return [WebchatAdapter(runtime)]
