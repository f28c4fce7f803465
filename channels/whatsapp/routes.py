"""The WhatsApp webhook: ``POST /channels/whatsapp/<restaurantId>/webhook`` (Twilio, form-encoded, signed),
verified and answered as every Twilio channel's (:func:`channels.common.twilio_channel.webhook`)."""

from __future__ import annotations

from channels.common.twilio_channel import webhook_blueprint
from channels.whatsapp.plugin import channel_of

blueprint = webhook_blueprint("whatsapp", channel_of)
