"""The WhatsApp webhook: ``POST /channels/whatsapp/<restaurantId>/webhook`` (Twilio, form-encoded, signed).

Verified and answered as every Twilio channel's (:func:`channels.common.twilio_channel.webhook`).
"""

from __future__ import annotations

from quart import Blueprint, Response, current_app
from quart_schema import hide

from channels.common.twilio_channel import webhook as twilio_webhook
from channels.whatsapp.plugin import channel_of
from core.runtime import runtime_of

blueprint = Blueprint("whatsapp_channel", __name__)


@blueprint.post("/channels/whatsapp/<int:restaurant_id>/webhook")
@hide
async def webhook(restaurant_id: int) -> Response:
    """One inbound WhatsApp message for the restaurant's Twilio sender."""
    return await twilio_webhook(channel_of(runtime_of(current_app)), restaurant_id)
