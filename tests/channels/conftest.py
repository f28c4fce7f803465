"""Fixtures for the channel tests: the fake services, an app pointed at them, a restaurant and its owner.

The app runs on PostgreSQL with the real ``plugins.toml`` (Telegram, WhatsApp and the
notifications plugin on), a fixed clock, and the real SDKs talking to the fakes through
``TELEGRAM_API_BASE_URL``, ``TWILIO_API_BASE_URL`` and ``OPENAI_BASE_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from channels.email.plugin import EMAIL
from channels.sms.plugin import SMS
from channels.telegram.plugin import TELEGRAM
from channels.whatsapp.plugin import WHATSAPP
from core.models import Restaurant, Table
from core.plugins import PluginConfig, read_plugins_file
from plugins.notifications.plugin import NOTIFIER
from tests.api.helpers import CSRF, register_owner
from tests.clock import NOW, OPEN_ALL_WEEK, Clock  # noqa: F401 (re-exported to the tests)
from tests.fakes import FakeTelegram, FakeTwilio
from tests.fakes.smtp_server import FakeMailbox

PLUGINS_TOML = Path(__file__).resolve().parents[2] / "plugins.toml"
BOT_TOKEN = "777000:AAHtestTokenForChezTest_abcdefghij"
BOT_ID = 777000
ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "twilio-auth-token-0123456789abcdef"
WA_SENDER = "+14155238886"
PUBLIC = "http://tobeout.test"
SMS_NUMBER = "+14155550100"
MAIL_FROM = "Chez Test <bookings@cheztest.example>"
CHANNEL_PLUGINS = ("channels.telegram", "channels.whatsapp", "channels.sms", "channels.email", "plugins.notifications")


@pytest.fixture
def fake_telegram():
    with FakeTelegram() as fake:
        fake.add_bot(BOT_TOKEN, "ChezTestBot", BOT_ID)
        yield fake


@pytest.fixture
def fake_twilio():
    with FakeTwilio() as fake:
        fake.add_account(ACCOUNT_SID, AUTH_TOKEN)
        yield fake


@pytest.fixture
def mailbox():
    """A real SMTP server (aiosmtpd) on a free local port; ``mailbox.messages`` are the e-mails it received."""
    with FakeMailbox() as box:
        yield box


@dataclass
class Env:
    """A started app, its restaurant and the owner's signed-in test client."""

    app: Any
    owner: Any
    restaurant_id: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def runtime(self) -> Any:
        return self.app.runtime

    @property
    def telegram(self) -> Any:
        return self.app.runtime.stash[TELEGRAM]

    @property
    def whatsapp(self) -> Any:
        return self.app.runtime.stash[WHATSAPP]

    @property
    def sms(self) -> Any:
        return self.app.runtime.stash[SMS]

    @property
    def email(self) -> Any:
        return self.app.runtime.stash[EMAIL]

    @property
    def notifier(self) -> Any:
        return self.app.runtime.stash[NOTIFIER]

    async def drain(self) -> None:
        """Wait for the background work of the channels and the notifier."""
        for _ in range(3):  # work may start more work (an update -> an event -> a notification)
            for key in (TELEGRAM, WHATSAPP, SMS, EMAIL, NOTIFIER):
                worker = self.app.runtime.stash.get(key)
                if worker is not None:
                    await worker.drain()

    async def save(self, type_: str, body: dict[str, Any], expect: int = 200) -> dict[str, Any]:
        response = await self.owner.post(f"/api/integrations/{type_}", json=body, headers=CSRF)
        assert response.status_code == expect, await response.get_data(as_text=True)
        return await response.get_json()


def plugin_config(**overrides: dict[str, Any]) -> PluginConfig:
    """The real plugins.toml, with some plugins' settings changed (e.g. fast retries)."""
    config = read_plugins_file(PLUGINS_TOML)
    enabled = config.enabled + tuple(p for p in CHANNEL_PLUGINS if p not in config.enabled)
    settings = {name: dict(values) for name, values in config.settings.items()}
    for name, values in overrides.items():
        settings.setdefault(name, {}).update(values)
    return PluginConfig(enabled, config.disabled, settings)


FAST_NOTIFICATIONS = {"plugins.notifications": {"backoff_seconds": 0.05, "max_attempts": 3}}


@pytest.fixture
def make_env(app_factory, postgres_url, fake_telegram, fake_twilio, fake_openai, mailbox, clock):
    """``await make_env(llm=False, options={...}, mail=False)`` -> :class:`Env` with a restaurant open 12:00-23:00
    every day; with ``mail`` the service's default mail server is the test's ``mailbox`` (SMTP_URL, MAIL_FROM)."""

    async def build(*, llm: bool = False, options: dict | None = None, mail: bool = False) -> Env:
        env = {
            "TELEGRAM_API_BASE_URL": fake_telegram.base_url,
            "TWILIO_API_BASE_URL": fake_twilio.base_url,
            "PUBLIC_BASE_URL": PUBLIC,
        }
        if mail:
            env.update(SMTP_URL=mailbox.url, MAIL_FROM=MAIL_FROM)
        if llm:
            env.update(OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=fake_openai.base_url, OPENAI_TIMEOUT="2")
        config = plugin_config(**{**FAST_NOTIFICATIONS, **(options or {})})
        app = await app_factory(postgres_url, env=env, clock=clock, plugin_config=config)
        owner = app.test_client()
        registered = await register_owner(owner, restaurant_name="Chez Test")
        rid = registered["restaurant"]["id"]
        await Restaurant.filter(id=rid).update(
            address="1 Test Street, London",
            phone="+442079460000",
            timezone="Europe/London",
            opening_hours=OPEN_ALL_WEEK,
            avg_reservation_duration=120,
            min_notice_minutes=30,
            max_advance_days=60,
            slot_interval_minutes=30,
        )
        for i, (low, high) in enumerate(((1, 2), (2, 4), (4, 6)), start=1):
            await Table.create(restaurant_id=rid, name=f"T{i}", min_guests=low, max_guests=high)
        return Env(app, owner, rid)

    return build
