"""Fake outside services (OpenAI, Telegram Bot API, Twilio REST, the example plugin's gateway) as real HTTP servers.

Each fake listens on 127.0.0.1 on a random free port, runs in a daemon thread (so it
works from sync tests and any event loop), speaks the service's wire format and records
every request (``fake.requests``). The code under test uses the real SDK, pointed at the
fake through a base-URL setting:

=====================  ==========================================  ===========================
setting                production default                           value in tests
=====================  ==========================================  ===========================
OPENAI_BASE_URL        ``https://api.openai.com/v1``                ``fake_openai.base_url``
TELEGRAM_API_BASE_URL  ``https://api.telegram.org/bot``             ``fake_telegram.base_url``
TWILIO_API_BASE_URL    ``https://api.twilio.com``                   ``fake_twilio.base_url``
=====================  ==========================================  ===========================

How production code must build each SDK client so that it honours these settings is
written down, with working snippets, in ``tests/fakes/README.md``.
"""

from .base import FakeServer, RecordedRequest, Reply
from .gateway_server import FakeGateway, signed_headers
from .openai_server import Delay, Error, FakeOpenAI, Text, ToolCalls
from .telegram_server import FakeTelegram, callback_query_update, message_update
from .twilio_server import FakeTwilio, inbound_message_params, sign_twilio_request

__all__ = [
    "Delay",
    "Error",
    "FakeGateway",
    "FakeOpenAI",
    "FakeServer",
    "FakeTelegram",
    "FakeTwilio",
    "RecordedRequest",
    "Reply",
    "Text",
    "ToolCalls",
    "callback_query_update",
    "inbound_message_params",
    "message_update",
    "sign_twilio_request",
    "signed_headers",
]
