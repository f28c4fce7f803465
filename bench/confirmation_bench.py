"""Confirmations benchmark (issue 20), run by hand:

    .venv/bin/python -m bench confirmations [--rate 16] [--seconds 30] [--json FILE]

On a throwaway PostgreSQL database, in this process: the app (the built-in plugins as
``plugins.toml`` sets them) with one worker loop beside it, a restaurant with its SMS number
connected to the fake Twilio (``tests/fakes``, driven by the twilio SDK) and the service's default
mail server a real SMTP server (aiosmtpd) on a local port. Bookings arrive at ``--rate`` a second
for ``--seconds`` (each started on its schedule, whatever the others are doing), made through the
booking engine as staff make them: half for guests who gave only a phone (confirmed by SMS), half
for guests who gave only an e-mail address (confirmed by e-mail, with the ``.ics``).

Reported: how long after its booking committed each confirmation was handed to Twilio or to the
SMTP server (p50, p95, max), and how many took longer than 5 s (the goal: none).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import percentiles, throwaway_database
from core.booking.service import BookingRequest, BookingService, GuestInput
from core.config import load_settings
from core.models import Restaurant, Table
from core.worker import Worker

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT_SID = "AC" + "0" * 31 + "7"
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
SMS_NUMBER = "+14155550100"
HOURS = {
    day: [{"open": "00:00", "close": "23:59"}]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


async def run(rate: float, seconds: float) -> dict[str, Any]:
    from api.app import create_app
    from tests.fakes import FakeTwilio
    from tests.fakes.smtp_server import FakeMailbox

    total = int(rate * seconds)
    with FakeTwilio() as twilio, FakeMailbox() as mailbox:
        twilio.add_account(ACCOUNT_SID, AUTH_TOKEN)
        async with throwaway_database("tobeout_bench_confirmations") as url:
            settings = load_settings(
                {
                    "TOBEOUT_ENV": "test",
                    "DATABASE_URL": url,
                    "TWILIO_API_BASE_URL": twilio.base_url,
                    "SMTP_URL": mailbox.url,
                    "MAIL_FROM": "Bench <bench@example.com>",
                    "TOBEOUT_VAR_DIR": "/tmp/tobeout-bench-var",
                    "PUBLIC_BASE_URL": "http://bench.test",
                    "TOBEOUT_PLUGINS_FILE": str(ROOT / "plugins.toml"),
                }
            )
            app = create_app(settings, run_worker=False)
            async with app.test_app():
                client = app.test_client()
                csrf = {"X-Requested-With": "XMLHttpRequest"}
                body = {"email": "b@example.com", "password": "bench-password-1", "name": "B", "restaurantName": "CB"}
                rid = int(
                    (await (await client.post("/api/auth/register", json=body, headers=csrf)).get_json())["restaurant"][
                        "id"
                    ]
                )
                sms = {"accountSid": ACCOUNT_SID, "authToken": AUTH_TOKEN, "fromNumber": SMS_NUMBER}
                saved = await client.post("/api/integrations/sms", json=sms, headers=csrf)
                assert saved.status_code == 200, await saved.get_data(as_text=True)
                await Restaurant.filter(id=rid).update(
                    timezone="UTC", opening_hours=HOURS, max_advance_days=90, min_notice_minutes=0
                )
                await Table.bulk_create(
                    [Table(restaurant_id=rid, name=f"T{i}", min_guests=1, max_guests=4) for i in range(60)]
                )
                runtime = vars(app)["runtime"]
                service = BookingService(runtime.bus, runtime.clock)
                stop = asyncio.Event()
                worker = asyncio.create_task(Worker(runtime).run_forever(stop))
                first = datetime.now(UTC).date() + timedelta(days=2)
                committed: dict[str, float] = {}

                async def book(i: int) -> None:
                    day = first + timedelta(days=i // 420)
                    at = f"{8 + 2 * ((i // 60) % 7):02d}:00"  # 60 tables x 7 two-hour sittings a day
                    phone = f"+4477009{i:05d}" if i % 2 == 0 else None
                    email = None if phone else f"guest{i}@bench.example"
                    guest = GuestInput(name=f"Guest {i}", phone=phone, email=email)
                    request = BookingRequest(date=day, time=at, guests=2, duration=60, source="staff", guest=guest)
                    await service.create(rid, request)
                    committed[phone or email or ""] = time.time()

                started = time.perf_counter()
                tasks = []
                for i in range(total):
                    await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
                    tasks.append(asyncio.create_task(book(i)))
                await asyncio.gather(*tasks)
                booking_seconds = time.perf_counter() - started
                for _ in range(600):  # wait for the last confirmations (at most a minute)
                    if len(twilio.sent_messages(ACCOUNT_SID)) + len(mailbox.messages) >= total:
                        break
                    await asyncio.sleep(0.1)
                stop.set()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(worker, 30)
                handed: dict[str, float] = {}
                for request in twilio.requests:
                    to = (request.body or {}).get("To") if isinstance(request.body, dict) else None
                    if request.path.endswith("/Messages.json") and to:
                        handed.setdefault(str(to), request.received_at)
                for message, stamp in zip(mailbox.messages, mailbox.received_at, strict=True):
                    handed.setdefault(str(message["To"]), stamp)
                delays = [(handed[key] - at) * 1000 for key, at in committed.items() if key in handed]
                result = {
                    "rate": rate,
                    "bookings": total,
                    "booking_seconds": round(booking_seconds, 2),
                    "confirmed": len(delays),
                    "by_sms": len(twilio.sent_messages(ACCOUNT_SID)),
                    "by_email": len(mailbox.messages),
                    "delay_ms": percentiles(delays),
                    "max_ms": round(max(delays), 1) if delays else None,
                    "over_5_s": sum(1 for d in delays if d > 5000),
                }
                print(json.dumps(result), flush=True)  # before the app's shutdown, however long that takes
                return result


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench confirmations")
    parser.add_argument("--rate", type=float, default=16.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.rate, args.seconds))
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(__import__("sys").argv[1:]))
