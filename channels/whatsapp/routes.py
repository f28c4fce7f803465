"""The WhatsApp webhook: ``POST /channels/whatsapp/<restaurantId>/webhook`` (Twilio, form-encoded).

Twilio signs each request with the account's auth token over the exact URL it called and
the form fields (``X-Twilio-Signature``). The URL is rebuilt from ``PUBLIC_BASE_URL`` (plus
the path and query), so the check holds behind a proxy that changes host or scheme. A bad or
missing signature is a 403 and nothing is processed. A verified message is answered at once
with an empty TwiML ``<Response/>``; the replies go out through the REST API in the background.
"""

from __future__ import annotations

from quart import Blueprint, Response, current_app, request
from quart_schema import hide

from channels.whatsapp.channel import WhatsAppChannel
from channels.whatsapp.plugin import channel_of
from channels.whatsapp.settings import load_config
from channels.whatsapp.twilio_client import form_dict, valid_signature
from core.runtime import runtime_of

blueprint = Blueprint("whatsapp_channel", __name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def channel() -> WhatsAppChannel:
    """This process's :class:`channels.whatsapp.channel.WhatsAppChannel`."""
    return channel_of(runtime_of(current_app))


def public_url() -> str:
    """The URL Twilio called, as configured in its console: ``PUBLIC_BASE_URL`` + path (+ query)."""
    base = runtime_of(current_app).settings.public_base_url
    query = request.query_string.decode("latin-1")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def twiml() -> Response:
    return Response(EMPTY_TWIML, status=200, content_type="text/xml; charset=utf-8")


@blueprint.post("/channels/whatsapp/<int:restaurant_id>/webhook")
@hide
async def webhook(restaurant_id: int) -> Response:
    """One inbound WhatsApp message for the restaurant's Twilio sender."""
    config = await load_config(runtime_of(current_app), restaurant_id)
    form = await request.form
    signature = request.headers.get("X-Twilio-Signature", "")
    settings_header = request.headers.get("X-Twilio-Webhooks-Signature-Settings")
    if (
        config is None
        or not config.auth_token
        or not valid_signature(config.auth_token, public_url(), form, signature, settings_header)
    ):
        return Response("Invalid or missing X-Twilio-Signature.", status=403, content_type="text/plain")
    if config.usable and "MessageStatus" not in form:  # status callbacks carry no guest message
        await channel().accept(config, form_dict(form))
    return twiml()
