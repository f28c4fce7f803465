"""No stored secret in any log line, whatever its shape: a run at DEBUG through the real SDKs, grepped.

The service's own logging (core.logs.configure_logging) writes to a buffer at DEBUG while owners
connect a Telegram bot, a WhatsApp sender and the restaurant's OpenAI key, all of shapes no pattern
would recognise, and a guest books through the LLM on Telegram, with one failed send in between.
Every secret, as written and percent-encoded, must be absent from what was logged, while the Bot
API URLs and the failure were logged (masked).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

import pytest

from core import redaction
from tests.channels.conftest import ACCOUNT_SID, WA_SENDER
from tests.channels.telegram.helpers import text_update
from tests.conftest import service_log

# Shapes the old Telegram-only pattern (5+ digit id, 20+ characters) let through, and worse.
ODD_BOT_TOKEN = "42:odd_Tok-3n"
ODD_TWILIO_TOKEN = "tw!l io/auth+tok%en"
ODD_OPENAI_KEY = "key with spaces/and+plus"
SECRETS = (ODD_BOT_TOKEN, ODD_TWILIO_TOKEN, ODD_OPENAI_KEY)


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The service's logging at DEBUG (text) into a buffer."""
    with service_log("text") as buffer:
        yield buffer


def _forms(secret: str) -> set[str]:
    return {secret, quote(secret, safe=""), quote(secret), quote_plus(secret)}


async def test_no_secret_of_any_shape_reaches_a_debug_log(make_env, fake_telegram, fake_twilio, fake_openai, debug_log):
    fake_telegram.add_bot(ODD_BOT_TOKEN, "OddBot", 42)
    fake_twilio.add_account(ACCOUNT_SID, ODD_TWILIO_TOKEN)
    fake_openai.api_key = ODD_OPENAI_KEY
    env = await make_env(llm=True)

    await env.save("telegram", {"botToken": ODD_BOT_TOKEN, "enabled": True})
    await env.save(
        "whatsapp", {"accountSid": ACCOUNT_SID, "authToken": ODD_TWILIO_TOKEN, "fromNumber": WA_SENDER, "enabled": True}
    )
    await env.save("openai", {"apiKey": ODD_OPENAI_KEY, "model": "gpt-4o-mini", "enabled": True})
    secret_header = fake_telegram.webhook(ODD_BOT_TOKEN)["secret_token"]

    slot = {"date": "2026-11-27", "time": "19:30", "guests": 2}
    fake_openai.queue_tool_calls([("create_reservation", {**slot, "name": "Anna Smith", "phone": "+44 7700 900123"})])
    fake_openai.queue_text("Booked for 2 on Friday at 19:30.")
    fake_telegram.fail_next(ODD_BOT_TOKEN, "sendMessage", 502, "Bad Gateway")  # one failure, logged with its URL
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret_header}
    path = f"/channels/telegram/{env.restaurant_id}/webhook"
    update = text_update(5001, "Table for 2 this Friday 7:30pm, Anna, +44 7700 900123")
    assert (await env.app.test_client().post(path, json=update, headers=headers)).status_code == 200
    await env.drain()

    # The guest was answered with the restaurant's own key: the run did use every secret.
    assert fake_openai.chat_requests, "the LLM was never called"
    tried = [c["text"] for c in fake_telegram.calls(ODD_BOT_TOKEN, "sendMessage")]
    assert tried == ["Booked for 2 on Friday at 19:30."]
    logged = debug_log.getvalue()
    assert "Telegram is unreachable (sendMessage)" in logged
    assert "/bot[secret]/sendMessage" in logged  # the Bot API URLs were logged, masked
    assert "getMe" in logged and "setWebhook" in logged
    for secret in (*SECRETS, secret_header):
        for form in _forms(secret):
            assert form not in logged, f"{form!r} is in the log"


def test_a_registered_secret_is_masked_in_messages_arguments_and_tracebacks(debug_log):
    secret = "p@ss:w0rd/odd"
    redaction.register_secret(secret)
    log = logging.getLogger("tests.redaction")
    log.debug("url http://h/bot%s/x and %s", quote(secret, safe=""), secret)
    try:
        raise RuntimeError(f"refused {secret}")
    except RuntimeError:
        log.exception("failed")
    redaction.register_secret("abc")  # too short to mask: ordinary words stay readable
    log.info("abc stays")
    logged = debug_log.getvalue()
    assert secret not in logged and quote(secret, safe="") not in logged
    assert "url http://h/bot[secret]/x and [secret]" in logged
    assert "RuntimeError: refused [secret]" in logged and "abc stays" in logged
    redaction.forget_secret(secret)
    log.info("forgotten %s", secret)
    assert f"forgotten {secret}" in debug_log.getvalue()


def test_a_plugins_url_variable_has_its_password_masked(debug_log, tmp_path):
    from pydantic import Field

    from core.config import EnvironmentSettings, load_settings, plugin_environment

    class Mail(EnvironmentSettings):
        url: str | None = Field(None, validation_alias="TEST_MAIL_URL")

    settings = load_settings(
        {"TEST_MAIL_URL": "smtp://mailer:pa55-w0rd%21odd@mail.example:587", "TOBEOUT_VAR_DIR": str(tmp_path)}
    )
    plugin_environment(settings, Mail)
    logging.getLogger("tests.redaction").warning("login to mail.example as mailer with pa55-w0rd!odd")
    logged = debug_log.getvalue()
    assert "pa55-w0rd" not in logged and "[secret]" in logged


def test_a_record_is_masked_once_even_when_the_mask_holds_a_registered_value(debug_log):
    """A secret that is the word "secret" (a test's Twilio token is) must not turn the mask into
    "[[secret]]" on each further handler."""
    second = io.StringIO()
    handler = logging.StreamHandler(second)
    redaction.install_secret_filter(handler)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        redaction.register_secret("secret")
        redaction.register_secret("tok-4242")
        logging.getLogger("tests.redaction").warning("token tok-4242 sent")
    finally:
        root.removeHandler(handler)
        redaction.forget_secret("secret")
        redaction.forget_secret("tok-4242")
    assert "token [secret] sent" in debug_log.getvalue()
    assert second.getvalue() == "token [secret] sent\n"
