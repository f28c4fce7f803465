"""Twilio's inbound SMS webhooks as Twilio sends them, and the SMS the fake Twilio received."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import CSRF
from tests.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC, SMS_NUMBER, Env
from tests.fakes import inbound_message_params, sign_twilio_request

GUEST_PHONE = "+447700900555"


async def connect_sms(env: Env) -> dict[str, Any]:
    """Save the Twilio credentials and number through the API, as an owner would."""
    return await env.save(
        "sms", {"accountSid": ACCOUNT_SID, "authToken": AUTH_TOKEN, "fromNumber": SMS_NUMBER, "enabled": True}
    )


def path(env: Env) -> str:
    return f"/channels/sms/{env.restaurant_id}/webhook"


def inbound(text: str, phone: str = GUEST_PHONE, **extra: str) -> dict[str, str]:
    return inbound_message_params(ACCOUNT_SID, phone, SMS_NUMBER, text, **extra)


async def post_inbound(env: Env, params: dict[str, str], *, token: str = AUTH_TOKEN) -> Any:
    """POST ``params`` signed for the public URL with ``token``, as Twilio would."""
    signature = sign_twilio_request(f"{PUBLIC}{path(env)}", params, token)
    return await env.app.test_client().post(path(env), form=params, headers={"X-Twilio-Signature": signature})


def texts_to(fake: Any, phone: str = GUEST_PHONE) -> list[str]:
    """The bodies of the SMS sent to ``phone`` (from the restaurant's number), oldest first."""
    return [m["Body"] for m in fake.sent_messages(ACCOUNT_SID) if m["To"] == phone and m["From"] == SMS_NUMBER]


async def book_by_staff(env: Env, guest: dict[str, Any], day: str = "2026-11-27", at: str = "19:30") -> dict[str, Any]:
    """A booking staff take on the phone, through the API."""
    body = {"date": day, "time": at, "guests": 2, "guest": guest}
    response = await env.owner.post("/api/booking/create", json=body, headers=CSRF)
    assert response.status_code == 201, await response.get_data(as_text=True)
    return await response.get_json()


async def messages_of(env: Env, reservation_id: int) -> list[dict[str, Any]]:
    """What staff see was sent about the booking."""
    response = await env.owner.get(f"/api/reservations/{reservation_id}/messages")
    assert response.status_code == 200
    return await response.get_json()
