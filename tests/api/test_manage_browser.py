"""The guest's manage page in a real browser, 360 px wide, against a real `tobeout serve`.

A guest opens the link from their confirmation, changes the time and the party (picking a free time
the page offers), downloads the .ics, and cancels; a forged link gets a clear page. The service's own
Content-Security-Policy applies (nothing inline, nothing from elsewhere): any violation would show as a
console error. Debian's Chromium through Playwright (never `playwright install`). Set
TOBEOUT_SCREENSHOTS=docs/images to keep the screenshots.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from tests.api.test_dashboard_browser import CSRF, OWNER, Console, _test_day
from tests.channels.webchat.test_widget_browser import CHROMIUM_ARGS, _chromium
from tests.serving import ServerPool, free_port, run_tobeout, service_env

pytestmark = [pytest.mark.browser]
SHOTS = os.environ.get("TOBEOUT_SCREENSHOTS")
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def served(tmp_path: Path, tobeout_servers: ServerPool) -> Iterator[tuple[str, Path, dict[str, str]]]:
    """`tobeout db upgrade`, `demo-data` and `serve` on SQLite, with a known SECRET_KEY."""
    port = free_port()
    database = tmp_path / "var" / "manage.sqlite3"
    env = service_env(port, f"sqlite://{database}", tmp_path / "var")
    for command in (["db", "upgrade"], ["demo-data"]):
        run_tobeout(command, env, tmp_path)
    with tobeout_servers.start(port, env, tmp_path) as server:
        yield server.base, database, env


def book(base: str, day: str, time: str, guests: int) -> dict[str, Any]:
    with httpx.Client(base_url=base, timeout=15, headers=CSRF) as http:
        assert http.post("/api/auth/login", json={"email": OWNER[0], "password": OWNER[1]}).status_code == 200
        body = {
            "date": day,
            "time": time,
            "guests": guests,
            "guest": {"name": "Mila Petrova", "phone": "+447700900777", "language": "en"},
        }
        response = http.post("/api/booking/create", json=body)
        assert response.status_code == 201, response.text
        return response.json()


def link_of(env: dict[str, str], database: Path, reservation_id: int) -> str:
    """The manage link the service would send: signed with its SECRET_KEY for the stored booking."""
    from datetime import datetime

    from core.booking.manage_link import link_expiry, sign_manage_token

    with sqlite3.connect(database) as conn:
        restaurant_id, ends_at = conn.execute(
            "SELECT restaurant_id, ends_at FROM reservations WHERE id = ?", (reservation_id,)
        ).fetchone()
    ends = datetime.fromisoformat(ends_at)
    token = sign_manage_token(env["SECRET_KEY"], restaurant_id, reservation_id, link_expiry(ends))
    return f"{env['PUBLIC_BASE_URL']}/manage/{token}"


def stored(database: Path, reservation_id: int) -> tuple[str, int, str]:
    with sqlite3.connect(database) as conn:
        time, guests, status = conn.execute(
            "SELECT time, guests, status FROM reservations WHERE id = ?", (reservation_id,)
        ).fetchone()
    return time[:5], guests, status


async def shot(page: Any, name: str) -> None:
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


async def fits_the_width(page: Any) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


async def test_a_guest_changes_downloads_and_cancels_from_the_link_at_360px(served, tmp_path):
    base, database, env = served
    day = _test_day()
    reservation = book(base, day, "19:00", 2)
    link = link_of(env, database, reservation["id"])
    executable = _chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = await browser.new_context(viewport=PHONE, locale="en-GB", accept_downloads=True)
            page = await context.new_page()
            console = Console(page)
            response = await page.goto(link)
            assert response is not None and response.status == 200
            assert "script-src 'self'" in (await response.all_headers())["content-security-policy"]
            await page.get_by_role("heading", name="ToBeOut Demo Bistro").wait_for()
            await page.get_by_text("1 Market Street, London").wait_for()
            assert "19:00" in await page.locator('[data-field="when"]').inner_text()
            assert await page.locator('[data-field="party"]').inner_text() == "2 guests"
            await fits_the_width(page)
            await shot(page, "manage-page-360.png")

            # Change: four guests at a free time the page offers.
            await page.get_by_role("button", name="Change").click()
            await page.get_by_role("heading", name="Change your booking").wait_for()
            await page.get_by_label("Guests").select_option("4")
            times = page.locator("#times button")
            await page.locator("#times-status").get_by_text(re.compile(r"^\d+ free times")).wait_for()
            labels = await times.all_inner_texts()
            assert "20:30" in labels, labels
            await times.filter(has_text="20:30").click()
            assert await times.filter(has_text="20:30").get_attribute("aria-pressed") == "true"
            await fits_the_width(page)
            await shot(page, "manage-change-360.png")
            await page.get_by_role("button", name="Save changes").click()
            await page.get_by_text("Done: your booking is changed.").wait_for()
            assert "20:30" in await page.locator('[data-field="when"]').inner_text()
            assert await page.locator('[data-field="party"]').inner_text() == "4 guests"
            assert stored(database, reservation["id"]) == ("20:30", 4, "created")
            assert "/manage/" in page.url  # the address bar holds the fresh link

            # Add to calendar: the .ics of the changed booking.
            async with page.expect_download() as waiting:
                await page.get_by_role("link", name="Add to calendar").click()
            download = await waiting.value
            assert download.suggested_filename == f"booking-{reservation['id']}.ics"
            saved = tmp_path / "booking.ics"
            await download.save_as(saved)
            event = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")[0]
            start = event.decoded("dtstart")
            assert (start.isoformat()[:10], f"{start:%H:%M}", str(start.tzinfo)) == (day, "20:30", "Europe/London")
            assert str(event["summary"]) == "Table for 4 at ToBeOut Demo Bistro"
            assert str(event["location"]) == "1 Market Street, London"

            # Cancel, after confirming.
            await page.get_by_role("button", name="Cancel booking").click()
            await page.get_by_role("heading", name="Cancel this booking?").wait_for()
            await page.get_by_role("button", name="Yes, cancel it").click()
            await page.get_by_text("Your booking is cancelled.").wait_for()
            assert await page.locator('[data-field="status"]').inner_text() == "Cancelled"
            assert not await page.get_by_role("button", name="Change").is_visible()
            assert stored(database, reservation["id"])[2] == "canceled"
            await shot(page, "manage-cancelled-360.png")
            console.assert_clean()

            # The longer words of the other languages still fit the phone's width.
            for language, heading in (("ru", "Ваша бронь"), ("de", "Ihre Reservierung")):
                await page.goto(f"{link}?lang={language}")
                await page.get_by_role("heading", name=heading).wait_for()
                await fits_the_width(page)

            # A forged link: a clear page, not an error of the server.
            forged = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
            bad = await context.new_page()
            answer = await bad.goto(forged)
            assert answer is not None and answer.status == 404
            await bad.get_by_role("heading", name="This link cannot be used").wait_for()
            await bad.get_by_text("This link is not valid").wait_for()
            await fits_the_width(bad)
        finally:
            await browser.close()
