"""Twilio's inbound WhatsApp webhooks as Twilio sends them: form posts signed with the SDK's RequestValidator."""

from __future__ import annotations

from typing import Any

from tests.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC, WA_SENDER, Env
from tests.fakes import inbound_message_params, sign_twilio_request

GUEST_PHONE = "+447700900123"


async def connect_sender(env: Env) -> dict[str, Any]:
    """Save the Twilio credentials through the API, as an owner would."""
    return await env.save(
        "whatsapp", {"accountSid": ACCOUNT_SID, "authToken": AUTH_TOKEN, "fromNumber": WA_SENDER, "enabled": True}
    )


def path(env: Env) -> str:
    return f"/channels/whatsapp/{env.restaurant_id}/webhook"


def inbound(text: str, phone: str = GUEST_PHONE, **extra: str) -> dict[str, str]:
    return inbound_message_params(ACCOUNT_SID, f"whatsapp:{phone}", f"whatsapp:{WA_SENDER}", text, **extra)


async def post_inbound(
    env: Env, params: dict[str, str], *, token: str = AUTH_TOKEN, signature: str | None = None, url: str | None = None
) -> Any:
    """POST ``params`` signed for the public URL (``PUBLIC_BASE_URL`` + path), as Twilio would."""
    url = url or f"{PUBLIC}{path(env)}"
    sig = sign_twilio_request(url, params, token) if signature is None else signature
    headers = {"X-Twilio-Signature": sig} if sig else {}
    return await env.app.test_client().post(path(env), form=params, headers=headers)


def sent_bodies(fake: Any, phone: str = GUEST_PHONE) -> list[str]:
    return [m["Body"] for m in fake.sent_messages(ACCOUNT_SID) if m["To"] == f"whatsapp:{phone}"]
