"""The widget's Book tab in a real browser, used from the keyboard alone, on the demo page of a real
`tobeout serve` (the page's CSP applies): tabs, labelled fields, the free times as buttons, a refusal
read out and focused, then a booking with source `form`. Debian's Chromium through Playwright.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import date
from pathlib import Path

from tests.api.test_dashboard_browser import Console, _test_day
from tests.channels.webchat.test_widget_browser import CHROMIUM_ARGS, _chromium

SHOTS = os.environ.get("TOBEOUT_SCREENSHOTS")


async def focused(page) -> str:
    """What has the keyboard focus: its data-tobeout name, role or text."""
    return await page.evaluate(
        "(() => { const e = document.activeElement; return e.dataset.tobeout || e.getAttribute('role') ||"
        " e.textContent.trim(); })()"
    )


async def tab_until(page, wanted: str, limit: int = 40, key: str = "Tab") -> None:
    for _ in range(limit):
        if await focused(page) == wanted:
            return
        await page.keyboard.press(key)
    raise AssertionError(f"Tab never reached {wanted!r} (last: {await focused(page)!r})")


async def test_a_visitor_books_from_the_form_with_the_keyboard_alone(demo_server):
    executable = _chromium()
    from playwright.async_api import async_playwright

    base, database = demo_server
    day = date.fromisoformat(_test_day())
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = await browser.new_context(locale="en-US", viewport={"width": 1024, "height": 768})
            page = await context.new_page()
            console = Console(page)
            await page.goto(base + "/")
            await page.locator("[data-tobeout=open]").focus()
            await page.keyboard.press("Enter")
            assert await focused(page) == "input"  # the chat's message box, as before

            # The tabs: one stop in the Tab order, the arrows move between them.
            await tab_until(page, "tab-chat", limit=6, key="Shift+Tab")  # back past the greeting's buttons
            await page.keyboard.press("ArrowRight")
            book_tab = page.locator("[data-tobeout=tab-book]")
            assert await focused(page) == "tab-book" and await book_tab.get_attribute("aria-selected") == "true"
            assert await page.get_by_role("tab", name="Book").count() == 1
            panel = page.get_by_role("tabpanel", name="Book")
            await panel.get_by_label("Date").wait_for()
            assert await page.locator("[data-tobeout=log]").is_hidden()

            # Date (typed into the date field, month/day/year in en-US), then the party size.
            await page.keyboard.press("Tab")
            assert await focused(page) == "book-date"
            await page.keyboard.type(f"{day:%m%d%Y}")
            assert await page.get_by_label("Date").input_value() == day.isoformat()
            await tab_until(page, "book-party", limit=4)  # past the field's own month/day/year stops
            await page.keyboard.press("ArrowDown")  # 2 -> 3
            assert await page.locator("[data-tobeout=book-party]").input_value() == "3"
            times = page.locator("[data-tobeout=book-times] button")
            await page.get_by_role("status").filter(has_text=re.compile(r"^\d+ free times")).wait_for()
            assert "19:30" in await times.all_inner_texts()

            # Submitting without a time is refused aloud (role=alert) and the focus goes to the times.
            await tab_until(page, "book-submit")
            await page.keyboard.press("Enter")
            result = page.locator("[data-tobeout=book-result]")
            await result.get_by_text("Choose a time.").wait_for()
            assert await result.get_attribute("role") == "alert"
            assert await page.evaluate("document.activeElement.textContent") == "12:00"

            # Pick 19:30 from the keyboard, then name and e-mail; Enter submits.
            await tab_until(page, "19:30")
            await page.keyboard.press("Enter")
            assert await times.filter(has_text="19:30").get_attribute("aria-pressed") == "true"
            await tab_until(page, "book-name")
            await page.keyboard.type("Olga Keys")
            await tab_until(page, "book-email")
            await page.keyboard.type("olga.keys@example.com")
            assert await page.get_by_label("E-mail").input_value() == "olga.keys@example.com"
            if SHOTS:
                await page.screenshot(path=str(Path(SHOTS) / "widget-book.png"))
            await page.keyboard.press("Enter")
            done = page.locator("[data-tobeout=book-done] [role=status]")
            await done.get_by_text("Booked:").wait_for(timeout=15_000)
            assert "19:30" in await done.inner_text() and "3 guests" in await done.inner_text()
            assert await page.evaluate("document.activeElement.getAttribute('role')") == "status"
            manage = page.get_by_role("link", name="Change or cancel")
            assert "/manage/" in (await manage.get_attribute("href") or "")
            calendar = page.get_by_role("link", name="Add to calendar")
            assert (await calendar.get_attribute("href") or "").endswith("/calendar.ics")
            if SHOTS:
                await page.screenshot(path=str(Path(SHOTS) / "widget-book-done.png"))
            console.assert_clean()
        finally:
            await browser.close()

    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT r.date, r.time, r.guests, g.name, g.email FROM reservations r JOIN guests g ON g.id = r.guest_id "
            "WHERE r.source = 'form'"
        ).fetchall()
    assert rows == [(day.isoformat(), "19:30:00", 3, "Olga Keys", "olga.keys@example.com")]
