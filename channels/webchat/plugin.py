"""Hook implementations of the web chat channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from channels.webchat.settings import WebchatSettings
from core.hookspecs import hookimpl
from core.runtime import ChannelAdapter, Runtime

if TYPE_CHECKING:
    from quart import Quart

CHANNEL = "webchat"


@hookimpl
def tobeout_plugin_settings() -> type[WebchatSettings]:
    """``session_messages_per_minute``, ``address_messages_per_minute``."""
    return WebchatSettings


@hookimpl
def tobeout_register_routes(app: Quart, runtime: Runtime) -> None:
    """Mount the widget, the demo page, the messages endpoint and the booking form's endpoints."""
    from channels.webchat.form import blueprint as form_blueprint
    from channels.webchat.routes import blueprint

    app.register_blueprint(blueprint)
    app.register_blueprint(form_blueprint)


@hookimpl
def tobeout_channels(runtime: Runtime) -> list[ChannelAdapter]:
    """The web chat adapter: notifications wait in the visitor's outbox until the widget fetches them."""
    from channels.webchat.outbox import WebchatAdapter

    return [WebchatAdapter(runtime)]
