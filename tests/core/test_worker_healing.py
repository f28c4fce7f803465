"""A ``tobeout worker`` heals: its database connections killed under it (what a PostgreSQL restart does to a
client) ten times, it is back to delivering each time; cut off for good, it exits non-zero; killed while
sending, its claim is free again within one lease; ``tobeout status`` shows it.

The server is shared with other engineers' tests, so it is never restarted here: the worker's backends are
ended with ``pg_terminate_backend`` on its own throwaway database.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from core import db
from core.conversation.types import Reply
from core.integrations import save_integration
from core.models import OutboxMessage, OutboxStatus, Restaurant, WorkerHeartbeat
from core.outbox import enqueue
from core.secrets import SecretBox
from tests.conftest import ENCRYPTION_KEY, TEST_DATABASE_URL, _dsn, empty_postgres_database
from tests.fakes import FakeTelegram
from tests.serving import TOBEOUT, run_tobeout, service_env

TOKEN = "555001:AAH-healing-worker-token-abcdefghij"
CHAT = "9001"
RESTARTS = 10


def _plugins(tmp_path: Path, **worker: object) -> Path:
    lines = ['[plugins."channels.telegram"]', "enabled = true", '[plugins."core.worker"]', "enabled = true"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in {"poll_seconds": 0.3, **worker}.items()]
    path = tmp_path / "plugins.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
async def worker_db() -> AsyncIterator[str]:
    """A migrated database of this test only, Tortoise connected to it, with a restaurant whose bot is saved."""
    async with empty_postgres_database("tobeout_heal") as url:
        await db.upgrade(url)
        await db.init_db(url)
        try:
            restaurant = await Restaurant.create(name="Healing")
            await save_integration(
                restaurant.id, "telegram", {"botToken": TOKEN}, ["botToken"], SecretBox(ENCRYPTION_KEY), enabled=True
            )
            yield url
        finally:
            await db.close_db()


async def _kill_backends(database: str) -> int:
    """End every connection to ``database`` but the test's own admin one; how many."""
    admin = await asyncpg.connect(_dsn(TEST_DATABASE_URL))
    try:
        return int(
            await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()",
                database,
            )
        )
    finally:
        await admin.close()


async def _queue(n: int) -> None:
    restaurant = await Restaurant.get(name="Healing")
    await enqueue(
        restaurant_id=restaurant.id,
        kind="notification",
        dedup_key=f"heal-{n}",
        channel="telegram",
        chat_id=CHAT,
        replies=[Reply(f"message {n}")],
        due=datetime.now(UTC),
    )


async def _until(check, what: str, limit: float = 60) -> float:  # noqa: ANN001 - an async predicate
    """Seconds until ``check()`` holds; fails the test (with ``what``) after ``limit`` (a hang bound, not a goal)."""
    started = time.monotonic()
    while not await check():
        if time.monotonic() - started > limit:
            pytest.fail(f"{what} did not happen within {limit:g} s")
        await asyncio.sleep(0.1)
    return time.monotonic() - started


def _start_worker(
    tmp_path: Path, url: str, fake: FakeTelegram, *args: str, **worker: object
) -> subprocess.Popen[bytes]:
    env = service_env(
        0,
        url,
        tmp_path / "var",
        TELEGRAM_API_BASE_URL=fake.base_url,
        TOBEOUT_PLUGINS_FILE=str(_plugins(tmp_path, **worker)),
    )
    log = (tmp_path / "worker.log").open("ab")
    return subprocess.Popen([str(TOBEOUT), "worker", *args], env=env, cwd=tmp_path, stdout=log, stderr=log)


async def test_a_worker_whose_connections_are_killed_delivers_again_each_time(worker_db, tmp_path):
    database = worker_db.rsplit("/", 1)[1]
    beat = tmp_path / "worker.alive"
    now = datetime.now(UTC)
    for name, silent_days in (("gone:1:worker", 8), ("crashed:2:worker", 2)):  # killed workers' rows
        then = now - timedelta(days=silent_days)
        await WorkerHeartbeat.create(name=name, started_at=then, beat_at=then)
    with FakeTelegram() as fake:
        fake.add_bot(TOKEN, "HealBot", 555001)
        worker = _start_worker(tmp_path, worker_db, fake, "--heartbeat-file", str(beat))
        try:

            async def delivered(n: int) -> bool:
                return f"message {n}" in [c["text"] for c in fake.calls(TOKEN, "sendMessage")]

            await _queue(0)
            await _until(lambda: delivered(0), "the first delivery")
            back_after = []
            for n in range(1, RESTARTS + 1):
                assert await _kill_backends(database) >= 1  # the worker's (and this test's) connections end
                await db.reset_pool()  # this test's own pool heals the same way
                await _queue(n)
                back_after.append(await _until(lambda n=n: delivered(n), f"delivery after kill {n}"))
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            print(f"worker back to delivering after a kill: max {max(back_after):.2f} s, {back_after}")

            async def settled() -> bool:  # the last one marked sent (well within its lease: not by a resend)
                return not await OutboxMessage.filter(status__in=[OutboxStatus.CLAIMED, OutboxStatus.SENDING]).exists()

            await _until(settled, "every delivered row marked sent", limit=10)
            texts = [c["text"] for c in fake.calls(TOKEN, "sendMessage")]
            assert sorted(texts) == sorted(f"message {n}" for n in range(RESTARTS + 1))  # each once
            assert beat.exists()
            env = service_env(0, worker_db, tmp_path / "var")
            status = json.loads(run_tobeout(["status", "--json"], env, tmp_path).stdout)
            states = {w["name"]: w["state"] for w in status["workers"]}
            assert "gone:1:worker" not in states  # silent for over a week: removed when this worker started
            assert states.pop("crashed:2:worker") == "silent"
            [shown] = [w for w in status["workers"] if w["name"] in states]
            assert shown["state"] == "ok" and shown["polls"] > RESTARTS
            assert status["outbox"] == {"pending": 0, "claimed": 0, "sending": 0} and status["due"] == 0
            text = run_tobeout(["status"], env, tmp_path).stdout
            assert "workers: 2" in text and " ok " in text and " silent " in text and "due now: 0" in text
        finally:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=30) == 0
    assert [w.name for w in await WorkerHeartbeat.all()] == ["crashed:2:worker"]  # a clean stop removes its own


async def test_a_worker_that_cannot_reach_its_database_exits_non_zero(worker_db, tmp_path):
    database = worker_db.rsplit("/", 1)[1]
    with FakeTelegram() as fake:
        fake.add_bot(TOKEN, "HealBot", 555001)
        worker = _start_worker(tmp_path, worker_db, fake, max_failed_polls=3)
        admin = await asyncpg.connect(_dsn(TEST_DATABASE_URL))
        try:
            await _until(lambda: WorkerHeartbeat.exists(), "the first heartbeat")
            await admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
            await _kill_backends(database)
            code = await asyncio.to_thread(worker.wait, 60)
        finally:
            await admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
            await admin.close()
            if worker.poll() is None:
                worker.kill()
            await db.reset_pool()  # this test's own connections were ended too
    output = (tmp_path / "worker.log").read_text()
    assert code == 3, output
    assert "tobeout worker: the worker could not work for 3 polls in a row" in output


async def test_a_killed_workers_claim_is_free_within_one_lease_and_renewed_while_it_lives(worker_db, tmp_path):
    with FakeTelegram() as fake:
        fake.add_bot(TOKEN, "HealBot", 555001)
        fake.delay_next(TOKEN, "sendMessage", 300)  # the first worker hangs in its send
        first = _start_worker(tmp_path, worker_db, fake, send_timeout_seconds=120)
        try:
            await _queue(1)
            await _until(lambda: OutboxMessage.filter(status=OutboxStatus.SENDING).exists(), "the first worker's send")
            sending = await OutboxMessage.get(status=OutboxStatus.SENDING)
            lease_end = sending.claimed_until
            await _until(
                lambda: OutboxMessage.filter(id=sending.id, claimed_until__gt=lease_end).exists(),
                "a renewal of the lease while the worker lives",
            )
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            killed_at = datetime.now(UTC)
            held = await OutboxMessage.get(id=sending.id)
            assert (held.claimed_until - killed_at).total_seconds() <= 20  # the default lease, no more
            second = _start_worker(tmp_path, worker_db, fake)
            try:
                took = await _until(
                    lambda: OutboxMessage.filter(id=sending.id, status=OutboxStatus.SENT).exists(),
                    "the second worker's resend",
                )
            finally:
                second.send_signal(signal.SIGTERM)
                second.wait(timeout=30)
            print(f"a killed worker's message was sent by another {took:.1f} s after the kill")
        finally:
            if first.poll() is None:
                os.kill(first.pid, signal.SIGKILL)


class _SendThenLoseTheDatabase:
    """A channel that accepts every message, and the first time ends the database connections right after:
    the moment between the row becoming ``sending`` and ``sent`` that a restarting PostgreSQL can hit."""

    name = "healtest"

    def __init__(self, database: str) -> None:
        self.database = database
        self.sent: list[str] = []

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        self.sent.append(replies[0].text)
        if len(self.sent) == 1:
            assert await _kill_backends(self.database) >= 1


async def test_a_message_whose_sent_mark_loses_the_database_is_marked_on_a_fresh_connection(worker_db, tmp_path):
    """The channel took the message, then the connections died: the living process marks it ``sent`` on a new
    connection at once instead of leaving it ``sending`` to be sent again when its lease runs out."""
    import pluggy

    from core.outbox import DeliveryOptions, Dispatcher
    from core.runtime import make_runtime
    from tests.conftest import make_settings

    channel = _SendThenLoseTheDatabase(worker_db.rsplit("/", 1)[1])
    runtime = make_runtime(make_settings(tmp_path, worker_db), pluggy.PluginManager("tobeout"))
    runtime.channels = {channel.name: channel}
    restaurant = await Restaurant.get(name="Healing")
    for n in range(2):
        await enqueue(
            restaurant_id=restaurant.id,
            kind="notification",
            dedup_key=f"mark-{n}",
            channel=channel.name,
            chat_id=CHAT,
            replies=[Reply(f"message {n}")],
            due=datetime.now(UTC),
        )
    dispatcher = Dispatcher(runtime, DeliveryOptions(), worker="heal-test")
    assert await dispatcher.run_due(10) == 2
    assert sorted(channel.sent) == ["message 0", "message 1"]
    rows = await OutboxMessage.filter(restaurant_id=restaurant.id).order_by("id")
    assert [row.status for row in rows] == [OutboxStatus.SENT, OutboxStatus.SENT]
    assert await dispatcher.run_due(10) == 0  # nothing left to send again
    assert sorted(channel.sent) == ["message 0", "message 1"]
