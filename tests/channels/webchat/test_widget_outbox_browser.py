"""A real browser on the demo page of a real `tobeout serve` on the embedded database (no worker process):
the open widget shows a staff change, a message left while the page was closed appears when it is reopened,
and the reminder the server's own worker sends is answered with the widget's Confirm button."""

from __future__ import annotations

import asyncio
import json
import math
import sqlite3
import urllib.request
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar

from core.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.channels.webchat.test_widget_browser import CHROMIUM_ARGS, _chromium


class Staff:
    """The demo owner signed in to the staff API over HTTP, with a cookie jar."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.call("POST", "/api/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest"},
        )
        with self.opener.open(request, timeout=15) as response:
            return json.loads(response.read() or b"{}")


def _instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def test_the_widget_shows_staff_changes_and_the_embedded_servers_reminder(demo_server):
    executable = _chromium()
    from playwright.async_api import async_playwright

    base, database = demo_server
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = await browser.new_context()
            page = await context.new_page()
            await page.goto(base + "/")
            await page.click("[data-tobeout=open]")
            log = page.locator("[data-tobeout=log]")
            await log.get_by_text("booking assistant").wait_for(timeout=15_000)

            async def say(text: str, expect: str) -> None:
                await page.fill("[data-tobeout=input]", text)
                await page.click("[data-tobeout=send]")
                await log.get_by_text(expect).last.wait_for(timeout=15_000)

            await say("Table for 2 tomorrow at 7pm", "What name")
            await say("Anna", "phone number")
            await say("+44 7700 900555", "for Anna")
            await page.locator("[data-tobeout=choices] button", has_text="Yes").click()
            await log.get_by_text("is booked").wait_for(timeout=15_000)
            with sqlite3.connect(database) as conn:
                [rid] = conn.execute("SELECT id FROM reservations WHERE source = 'webchat'").fetchone()

            # Staff move the booking: the open widget shows it without the guest writing anything.
            staff = Staff(base)
            staff.call("PATCH", f"/api/reservations/{rid}", {"time": "20:00"})
            await log.get_by_text(f"your reservation #{rid} has been changed to").wait_for(timeout=15_000)

            # A change while the page is closed is shown when the guest comes back.
            await page.close()
            staff.call("PATCH", f"/api/reservations/{rid}", {"guests": 3})
            page = await context.new_page()
            await page.goto(base + "/")
            log = page.locator("[data-tobeout=log]")
            await log.get_by_text("3 guests").first.wait_for(timeout=15_000)

            # Reminders: one moment between the booking and now (minutes only, so wait for one to pass).
            with sqlite3.connect(database) as conn:
                starts, created = conn.execute(
                    "SELECT starts_at, created_at FROM reservations WHERE id = ?", (rid,)
                ).fetchone()
            start, made = _instant(starts), _instant(created)
            minutes = math.ceil((start - made).total_seconds() / 60) - 1
            moment = start - timedelta(minutes=minutes)
            await asyncio.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()) + 0.2)
            profile = staff.call("PUT", "/api/restaurants/profile", {"reminderMinutes": [minutes]})
            assert profile["reminderMinutes"] == [minutes]
            await log.get_by_text(f"a reminder of your reservation #{rid}").wait_for(timeout=20_000)
            await page.locator("[data-tobeout=choices] button", has_text="Confirm").click()
            await log.get_by_text("is confirmed").wait_for(timeout=15_000)
        finally:
            await browser.close()

    with sqlite3.connect(database) as conn:
        status, reminded = conn.execute(
            "SELECT status, confirmation_1h OR confirmation_2h FROM reservations WHERE id = ?", (rid,)
        ).fetchone()
        rows = conn.execute("SELECT kind, status FROM guest_outbox WHERE reservation_id = ? ORDER BY id", (rid,))
        kinds, statuses = zip(*rows.fetchall(), strict=True)
    assert (status, reminded) == ("confirmed", 1)
    assert kinds == ("notification", "notification", "reminder") and set(statuses) == {"delivered"}
