"""The waitlist end to end with two real ``tobeout worker`` processes, one killed in the middle of an offer.

A Friday-night slot is full; Anna (Telegram, through the fake Bot API server) and a web-chat guest wait for it.
Two workers listen on the Redis bus. A cancellation frees a table: one worker claims Anna's entry, holds the
table and starts sending her the offer; Telegram holds that request, and the worker is killed with SIGKILL
while it waits. Telegram had not accepted that request (it answers 502 after the hold), so the offer has not
reached Anna; the surviving worker takes the offer over when the killed one's lease runs out. Then: exactly
one offer reached Anna, the hold was kept, her "yes" books it; the next freed table goes to the web-chat
guest, whose "yes" books it too; no slot and no party was offered twice.

(A request Telegram did accept, whose answer a killed worker never read, may reach the guest twice: the
outbox resends what it cannot know was sent. core/outbox/__init__.py says why; tests/channels/test_reminder_workers.py
bounds it to one message.)
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core.models import (
    Guest,
    GuestIdentity,
    OutboxMessage,
    Reservation,
    ReservationStatus,
    WaitlistEntry,
    WorkerHeartbeat,
)
from tests.api.helpers import CSRF, create_table, register_owner
from tests.channels.conftest import BOT_TOKEN
from tests.channels.telegram.helpers import GUEST_ID, SECRET_HEADER
from tests.channels.test_reminder_workers import _start_worker
from tests.fakes import callback_query_update
from tests.serving import service_env

WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WORKER_SETTINGS = """
[plugins."channels.telegram"]
enabled = true
send_timeout_seconds = 20
[plugins."plugins.waitlist"]
enabled = true
listen = true
[plugins."core.worker"]
enabled = true
poll_seconds = 0.3
lease_seconds = 2
send_timeout_seconds = 20
"""
#: How long the fake Bot API holds the first offer before refusing it: the window in which a worker is killed.
HELD = 6.0


async def _eventually(check: Any, what: str, timeout: float = 30.0, logs: Path | None = None) -> Any:
    """Poll the async ``check()`` until it returns something truthy (fails naming ``what``)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await check()
        if found:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}", _log_tails(logs) if logs else [])
        await asyncio.sleep(0.1)


def _log_tails(folder: Path) -> list[str]:
    """The end of every worker's log in ``folder``."""
    return [p.read_text()[-1500:] for p in sorted(folder.glob("*.log"))]


async def _call(client: Any, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
    response = await client.open(path, method=method, json=body, headers=CSRF)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def test_two_workers_one_killed_mid_offer_offer_once_and_yes_books(
    app_factory, postgres_url, redis_url, fake_telegram, tmp_path
):
    env_vars = {"TELEGRAM_API_BASE_URL": fake_telegram.base_url, "REDIS_URL": redis_url}
    app = await app_factory(postgres_url, env=env_vars)
    owner = app.test_client()
    rid = (await register_owner(owner, restaurant_name="Friday Night"))["restaurant"]["id"]
    hours = {d: [{"open": "12:00", "close": "23:00"}] for d in WEEK}
    await _call(owner, "PUT", "/api/restaurants/profile", {"openingHours": hours, "timezone": "Europe/London"})
    tables = [await create_table(owner, minGuests=1, maxGuests=2) for _ in range(2)]
    await _call(owner, "POST", "/api/integrations/telegram", {"botToken": BOT_TOKEN, "enabled": True})
    day = (datetime.now(ZoneInfo("Europe/London")) + timedelta(days=2)).date().isoformat()
    full = []
    for n, table in enumerate(tables):  # both tables taken at 20:00 by phone bookings
        body = {"date": day, "time": "20:00", "guests": 2, "tableId": table["id"]}
        body["guest"] = {"name": f"Phone {n}", "phone": f"+44 7700 90070{n}"}
        full.append(await _call(owner, "POST", "/api/booking/create", body, expect=201))

    # Anna waits on Telegram (first), a web-chat guest after her.
    anna = await Guest.create(restaurant_id=rid, name="Anna", language="en")
    await GuestIdentity.create(restaurant_id=rid, guest_id=anna.id, channel="telegram", external_id=str(GUEST_ID))
    wanted = {"guests": 2, "date": day, "timeFrom": "20:00", "timeTo": "20:00"}
    first = await _call(owner, "POST", "/api/waitlist", {**wanted, "guestId": anna.id}, expect=201)
    web, session, said = app.test_client(), "web-session-killed-worker", iter(range(1, 100))

    async def say(text: str) -> list[dict[str, Any]]:
        body = {"sessionId": session, "text": text, "messageId": f"message-{next(said):04d}"}
        response = await web.post(f"/channels/webchat/{rid}/messages", json=body)
        assert response.status_code == 200, await response.get_data(as_text=True)
        return (await response.get_json())["replies"]

    joined = await say(f"/waitlist join {day} 20:00 2")
    assert joined[0]["text"].startswith("I've put you on the waitlist")
    second = [e for e in (await _call(owner, "GET", "/api/waitlist"))["items"] if e["id"] != first["id"]][0]
    assert (second["channel"], second["chatId"]) == ("webchat", session)
    sent_before = len(fake_telegram.sent_messages(BOT_TOKEN, GUEST_ID))

    plugins = tmp_path / "plugins.toml"
    plugins.write_text(WORKER_SETTINGS)
    worker_env = service_env(
        0,
        postgres_url,
        tmp_path / "var",
        redis_url=redis_url,
        TELEGRAM_API_BASE_URL=fake_telegram.base_url,
        TOBEOUT_PLUGINS_FILE=str(plugins),
        LOG_LEVEL="INFO",
    )
    workers = [_start_worker(worker_env, tmp_path / f"worker{i}.log") for i in range(2)]
    by_pid = {w.pid: w for w in workers}
    try:
        # Both are up and listening once each has polled (the listener starts at the first poll).
        await _eventually(lambda: _polled(by_pid), "both workers to poll", logs=tmp_path)
        fake_telegram.fail_next(BOT_TOKEN, "sendMessage", 502, "Bad Gateway: upstream timed out", delay=HELD)

        await _call(owner, "POST", f"/api/booking/cancel/{full[0]['id']}")  # T1 is free at 20:00 again
        sending = await _eventually(_offer_being_sent, "the offer to be sent", logs=tmp_path)
        offerer = by_pid[int(str(sending.claimed_by).split(":")[1])]
        offerer.send_signal(signal.SIGKILL)  # while Telegram holds its request
        offerer.wait(timeout=10)
        survivor = next(w for w in workers if w is not offerer)
        assert len(fake_telegram.sent_messages(BOT_TOKEN, GUEST_ID)) == sent_before  # it had not reached Anna

        # The survivor takes the offer over once the killed worker's lease ran out.
        await _eventually(_offer_sent, "the offer row to be sent", timeout=60, logs=tmp_path)
        offers = fake_telegram.sent_messages(BOT_TOKEN, GUEST_ID)[sent_before:]
        assert len(offers) == 1 and "a table is free for you" in offers[0]["text"], offers
        offered = await _call(owner, "GET", f"/api/waitlist/{first['id']}")
        assert offered["status"] == "offered" and offered["reservationId"]
        assert (await _call(owner, "GET", f"/api/waitlist/{second['id']}"))["status"] == "waiting"
        hold = await Reservation.get(id=offered["reservationId"]).prefetch_related("allocations")
        assert (hold.status, hold.guest_id, [a.table_id for a in hold.allocations]) == (
            ReservationStatus.CREATED,
            anna.id,
            [tables[0]["id"]],
        )
        free = await _call(owner, "GET", f"/api/booking/availability?date={day}&time=20:00&guests=2")
        assert free["available"] is False  # the hold keeps the table through the kill

        # Anna says yes on Telegram: booked.
        press = callback_query_update(GUEST_ID, f"/waitlist accept {first['id']}", update_id=70)
        secret = fake_telegram.webhook(BOT_TOKEN)["secret_token"]
        answer = await app.test_client().post(
            f"/channels/telegram/{rid}/webhook", json=press, headers={SECRET_HEADER: secret}
        )
        assert answer.status_code == 200
        await fake_telegram.wait_until(
            lambda: fake_telegram.sent_messages(BOT_TOKEN, GUEST_ID)[-1]["text"].startswith("Done!"), timeout=15
        )
        assert (await _call(owner, "GET", f"/api/waitlist/{first['id']}"))["status"] == "booked"
        assert (await Reservation.get(id=hold.id)).status == ReservationStatus.CONFIRMED

        # The next freed table goes to the web-chat guest, offered by the survivor; "yes" books it.
        await _call(owner, "POST", f"/api/booking/cancel/{full[1]['id']}")

        async def web_offer() -> list[dict[str, Any]]:
            response = await web.get(f"/channels/webchat/{rid}/messages?sessionId={session}")
            return (await response.get_json())["replies"]

        [offer] = await _eventually(web_offer, "the web-chat offer", logs=tmp_path)
        assert offer["text"].startswith("Friday Night: good news, a table is free for you")
        done = await say("yes")
        assert done[0]["text"].startswith("Done! Your reservation #")
        booked = await _call(owner, "GET", f"/api/waitlist/{second['id']}")
        assert booked["status"] == "booked"
        reservation = await Reservation.get(id=booked["reservationId"]).prefetch_related("allocations")
        assert reservation.status == ReservationStatus.CONFIRMED
        assert [a.table_id for a in reservation.allocations] == [tables[1]["id"]]
        assert survivor.poll() is None  # still running
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()

    # No slot and no party offered twice: one offer per party (a worker that claimed the web-chat guest for the
    # first table, already held for Anna, put the guest back without an offer), each on its own table.
    rows = await OutboxMessage.filter(kind="waitlist_offer").values("payload", "chat_id")
    assert sorted((r["payload"]["entryId"], r["chat_id"]) for r in rows) == [
        (first["id"], str(GUEST_ID)),
        (second["id"], session),
    ]
    holds = await WaitlistEntry.filter(restaurant_id=rid).values_list("reservation_id", flat=True)
    assert len(set(holds)) == 2 and hold.id in holds
    assert len(fake_telegram.sent_messages(BOT_TOKEN, GUEST_ID)[sent_before:]) == 2  # the offer, then "Done!"
    assert survivor.returncode == 0 and offerer.returncode == -signal.SIGKILL


async def _polled(by_pid: dict[int, subprocess.Popen]) -> bool:
    """True once every worker wrote its heartbeat (named host:pid:role) after a poll."""
    names = await WorkerHeartbeat.filter(polls__gt=0).values_list("name", flat=True)
    return {int(str(name).split(":")[1]) for name in names} >= set(by_pid)


async def _offer_being_sent() -> OutboxMessage | None:
    return await OutboxMessage.filter(kind="waitlist_offer", status="sending").first()


async def _offer_sent() -> bool:
    return await OutboxMessage.filter(kind="waitlist_offer", status="sent").exists()
