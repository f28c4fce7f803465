"""Fixtures for driving the conversation engine: a restaurant, a fixed clock, engines and chats."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.conversation.engine import ConversationEngine
from core.conversation.types import InboundMessage, Reply
from core.models import Restaurant, Table
from core.plugins import PluginConfig, make_plugin_manager
from core.runtime import make_runtime
from tests.clock import NOW, OPEN_ALL_WEEK, Clock  # noqa: F401 (re-exported to the tests)
from tests.conftest import make_settings


async def make_restaurant(name: str = "Chez Test", tables: tuple = ((1, 2), (2, 4), (4, 6)), **fields) -> Restaurant:
    values = {
        "name": name,
        "address": "1 Test Street, London",
        "phone": "+442079460000",
        "timezone": "Europe/London",
        "opening_hours": OPEN_ALL_WEEK,
        "avg_reservation_duration": 120,
        "min_notice_minutes": 30,
        "max_advance_days": 60,
        "slot_interval_minutes": 30,
    }
    values.update(fields)
    restaurant = await Restaurant.create(**values)
    for i, (low, high) in enumerate(tables, start=1):
        await Table.create(restaurant=restaurant, name=f"T{i}", min_guests=low, max_guests=high)
    return restaurant


@pytest.fixture
async def restaurant(db) -> Restaurant:
    return await make_restaurant()


@pytest.fixture
def engine_factory(tmp_path: Path, clock: Clock):
    """``engine_factory(env={...}, options={...}, llm=..., extra_plugins=[...], cache=...)`` -> a ConversationEngine.

    Each call builds a fresh runtime (its own in-process cache, as a restarted process would).
    ``options`` are the engine's plugins.toml settings. The test brings the database
    (``db``, ``pg_db`` or ``restaurant``): the engine uses Tortoise's connection.
    """
    engines: list[ConversationEngine] = []

    def build(*, env: dict | None = None, options: dict | None = None, llm=None, extra_plugins=(), cache=None):
        settings = make_settings(tmp_path, f"sqlite://{tmp_path}/unused.sqlite3", **(env or {}))
        builtin = PluginConfig(("core.conversation.builtin_tools",), frozenset(), {})
        pm = make_plugin_manager(builtin, entry_points=False, extra=extra_plugins)
        runtime = make_runtime(settings, pm, {"core.conversation.builtin_tools": dict(options or {})})
        if cache is not None:
            runtime.cache = cache
        runtime.clock = clock
        engine = ConversationEngine(runtime, llm=llm)
        engines.append(engine)
        return engine

    yield build
    # engines' LLM clients are closed by the tests that create them (they need the loop)


@dataclass
class Chat:
    """One guest's chat with the engine on one channel."""

    engine: ConversationEngine
    restaurant_id: int
    channel: str = "webchat"
    chat_id: str = "session-1"
    sender_id: str | None = None
    phone: str | None = None
    name: str | None = None
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    transcript: list[tuple[str, list[Reply]]] = field(default_factory=list)

    def message(self, text: str, message_id: str | None = None) -> InboundMessage:
        return InboundMessage(
            restaurant_id=self.restaurant_id,
            channel=self.channel,
            sender_id=self.sender_id or self.chat_id,
            chat_id=self.chat_id,
            text=text,
            message_id=message_id or f"{self.chat_id}-{next(self.ids)}",
            sender_name=self.name,
            phone=self.phone,
        )

    async def send(self, text: str, message_id: str | None = None) -> list[Reply]:
        replies = await self.engine.handle(self.message(text, message_id))
        self.transcript.append((text, replies))
        return replies

    async def say(self, text: str) -> str:
        """Send ``text``; the reply texts joined (asserts there is at least one reply)."""
        replies = await self.send(text)
        assert replies, f"no reply to {text!r}"
        return "\n".join(r.text for r in replies)


def choices(replies: list[Reply]) -> list[tuple[str, str]]:
    return [(c.label, c.value) for r in replies for c in r.choices]


@pytest.fixture
async def llm_engine(engine_factory, fake_openai):
    """``llm_engine(**kwargs)`` -> an engine whose LLM is the fake OpenAI server (see ``engine_factory``)."""
    engines = []

    def build(**kwargs):
        env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake_openai.base_url, "OPENAI_TIMEOUT": "0.5"}
        options = {"llm_budget_seconds": 2}
        engine = engine_factory(env=env, options=options, **kwargs)
        engines.append(engine)
        return engine

    yield build
    for engine in engines:
        await engine.close()
