"""The SMS webhook: ``POST /channels/sms/<restaurantId>/webhook`` (Twilio, form-encoded, signed).

Verified and answered as every Twilio channel's (:func:`channels.common.twilio_channel.webhook`).
"""

from __future__ import annotations

from quart import Blueprint, Response, current_app
from quart_schema import hide

from channels.common.twilio_channel import webhook as twilio_webhook
from channels.sms.plugin import channel_of
from core.runtime import runtime_of

blueprint = Blueprint("sms_channel", __name__)


@blueprint.post("/channels/sms/<int:restaurant_id>/webhook")
@hide
async def webhook(restaurant_id: int) -> Response:
    """One inbound text message to the restaurant's Twilio number."""
    return await twilio_webhook(channel_of(runtime_of(current_app)), restaurant_id)
