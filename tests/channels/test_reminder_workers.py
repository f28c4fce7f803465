"""200 reminders fall due while no worker runs; three ``tobeout worker`` processes start on one PostgreSQL and
Redis, one is killed with SIGKILL mid-run: every guest is reminded exactly once, except at most the one message
the killed worker was sending (which the outbox sends again: see core/outbox/__init__.py for why that side)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from core.booking.service import BookingRequest, BookingService
from core.events import EventBus
from core.models import AiActivity, Guest, GuestIdentity, OutboxMessage, Reservation, Restaurant, Table
from tests.api.helpers import CSRF, register_owner
from tests.channels.conftest import BOT_TOKEN
from tests.serving import service_env

ROOT = Path(__file__).resolve().parents[2]
COUNT, TABLES = 200, 30
WORKER_SETTINGS = """
[plugins."channels.telegram"]
enabled = true
[plugins."plugins.reminders"]
enabled = true
[plugins."core.worker"]
enabled = true
poll_seconds = 0.3
batch_size = 5
lease_seconds = 2
send_timeout_seconds = 2
"""


def _zone_at_noon(now: datetime) -> str:
    """A fixed-offset zone where it is about noon now, so the test does not depend on the time of day."""
    offset = 12 - now.hour
    return f"Etc/GMT{-offset:+d}"


async def _restaurant_with_200_due_bookings(app, fake_telegram) -> tuple[int, list[int]]:
    owner = app.test_client()
    rid = (await register_owner(owner, restaurant_name="Many Reminders"))["restaurant"]["id"]
    response = await owner.post(
        "/api/integrations/telegram", json={"botToken": BOT_TOKEN, "enabled": True}, headers=CSRF
    )
    assert response.status_code == 200, await response.get_data(as_text=True)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    hours = {
        d: [{"open": "08:00", "close": "23:00"}]
        for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    }
    await Restaurant.filter(id=rid).update(
        timezone=_zone_at_noon(now),
        opening_hours=hours,
        slot_interval_minutes=15,
        min_notice_minutes=0,
        avg_reservation_duration=15,
        reminder_minutes=[120],
    )
    for i in range(TABLES):
        await Table.create(restaurant_id=rid, name=f"T{i}", min_guests=1, max_guests=2)
    # Booked yesterday (the service's clock), starting within the next two hours: every reminder is already due.
    service = BookingService(EventBus(), clock=lambda: now - timedelta(days=1))
    first = now + timedelta(minutes=15 - now.minute % 15 + 15)
    ids = []
    for i in range(COUNT):
        guest = await Guest.create(restaurant_id=rid, name=f"Guest {i}", language="en")
        await GuestIdentity.create(
            restaurant_id=rid, guest_id=guest.id, channel="telegram", external_id=str(50_000 + i)
        )
        start = first + timedelta(minutes=15 * (i // TABLES))
        local = start.astimezone(ZoneInfo(_zone_at_noon(now)))
        request = BookingRequest(date=local.date(), time=local.time(), guests=2, duration=15, guest_id=guest.id)
        ids.append((await service.create(rid, request)).id)
    return rid, ids


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    tobeout = str(Path(sys.executable).parent / "tobeout")
    return subprocess.Popen([tobeout, "worker"], env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)


async def test_three_workers_one_killed_send_every_reminder_once(
    app_factory, postgres_url, redis_url, fake_telegram, tmp_path
):
    app = await app_factory(postgres_url, env={"TELEGRAM_API_BASE_URL": fake_telegram.base_url})
    rid, ids = await _restaurant_with_200_due_bookings(app, fake_telegram)
    assert await OutboxMessage.all().count() == 0  # no worker ran: nothing was sent yet

    plugins = tmp_path / "plugins.toml"
    plugins.write_text(WORKER_SETTINGS)
    env = service_env(
        0,
        postgres_url,
        tmp_path / "var",
        redis_url=redis_url,
        TELEGRAM_API_BASE_URL=fake_telegram.base_url,
        TOBEOUT_PLUGINS_FILE=str(plugins),
        LOG_LEVEL="INFO",
    )
    fake_telegram.delay_next(BOT_TOKEN, "sendMessage", 0.03, times=10_000)  # each send takes a little time
    workers = [_start_worker(env, tmp_path / f"worker{i}.log") for i in range(3)]
    try:
        sent = lambda: fake_telegram.sent_messages(BOT_TOKEN)  # noqa: E731
        await fake_telegram.wait_until(lambda: len(sent()) >= 40, timeout=45)
        workers[0].send_signal(signal.SIGKILL)  # mid-run, most likely in the middle of a send
        workers[0].wait(timeout=10)
        deadline = asyncio.get_running_loop().time() + 45
        while await OutboxMessage.filter(status="sent").count() < COUNT:
            assert asyncio.get_running_loop().time() < deadline, [p.read_text()[-2000:] for p in tmp_path.glob("*.log")]
            await asyncio.sleep(0.3)
    finally:
        for worker in workers[1:]:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()

    per_chat = Counter(str(m["chat_id"]) for m in fake_telegram.sent_messages(BOT_TOKEN))
    assert set(per_chat) == {str(50_000 + i) for i in range(COUNT)}  # every guest was reminded
    repeated = {chat: n for chat, n in per_chat.items() if n > 1}
    assert sum(n - 1 for n in repeated.values()) <= 1, repeated  # at most the killed worker's message in flight
    rows = await OutboxMessage.filter(kind="reminder").values("status", "reservation_id")
    assert len(rows) == COUNT and {r["status"] for r in rows} == {"sent"}
    assert await Reservation.filter(id__in=ids, confirmation_2h=True).count() == COUNT
    resent = await AiActivity.filter(restaurant_id=rid, type="reminder").values_list("metadata", flat=True)
    assert len([m for m in resent if m.get("resent")]) == len(repeated) or not repeated
    assert workers[1].returncode == 0 and workers[2].returncode == 0  # the others stopped cleanly on SIGTERM
