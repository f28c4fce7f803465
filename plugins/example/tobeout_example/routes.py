"""The gateway's inbound webhook: ``POST /channels/example/<restaurantId>/webhook``.

The gateway posts ``{"messageId", "from", "text"}`` signed with the restaurant's secret
(:mod:`tobeout_example.signing`). Anything not signed with it, or signed too long ago, is a
403 and nothing is processed. A verified message goes to the conversation engine, which
handles a redelivered ``messageId`` once; the replies come back in the response,
``{"replies": [{"text", "choices"}]}`` (``[]`` for a redelivery).
"""

from __future__ import annotations

import re
import time

import pydantic
from pydantic import BaseModel, ConfigDict, Field
from quart import Blueprint, ResponseReturnValue, current_app, jsonify, request

from core.conversation.types import InboundMessage
from core.runtime import runtime_of
from tobeout_example import signing
from tobeout_example.settings import NAME, ExampleSettings, load_gateway

blueprint = Blueprint("example_channel", __name__)
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class InboundSms(BaseModel):
    """What the gateway posts."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    message_id: str = Field(alias="messageId", min_length=1, max_length=200)
    sender: str = Field(alias="from", min_length=1, max_length=100)
    text: str = Field(max_length=2000)


@blueprint.post(f"/channels/{NAME}/<int:restaurant_id>/webhook")
async def webhook(restaurant_id: int) -> ResponseReturnValue:
    """One inbound message for the restaurant, verified, answered with the engine's replies."""
    runtime = runtime_of(current_app)
    raw = await request.get_data(as_text=False)
    body = raw if isinstance(raw, bytes) else raw.encode()  # the exact bytes the signature covers
    gateway = await load_gateway(runtime, restaurant_id)
    tolerance = runtime.options(NAME, ExampleSettings).signature_tolerance_seconds
    given = request.headers.get(signing.HEADER, "")
    if gateway is None or not gateway.secret or not signing.verify(gateway.secret, body, given, time.time(), tolerance):
        return jsonify({"message": f"Wrong, missing or expired {signing.HEADER}."}), 403
    if not gateway.usable:
        return jsonify({"replies": [], "ignored": "the channel is switched off"}), 200
    try:
        sms = InboundSms.model_validate_json(body)
    except pydantic.ValidationError as exc:
        errors = [{"path": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        return jsonify({"message": "Send JSON {messageId, from, text}.", "errors": errors}), 400
    replies = await runtime.engine.handle(
        InboundMessage(
            restaurant_id=restaurant_id,
            channel=NAME,
            sender_id=sms.sender,
            chat_id=sms.sender,
            text=sms.text,
            message_id=sms.message_id,
            phone=sms.sender if E164.match(sms.sender) else None,  # the gateway vouches for the number
        )
    )
    return jsonify({"replies": [reply.to_dict() for reply in replies]})
