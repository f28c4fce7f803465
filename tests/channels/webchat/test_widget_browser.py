"""A real browser books a table through the widget on the demo page of a real `tobeout serve`.

Python Playwright drives the system's Chromium by its executable path (never
`playwright install`). Without Chromium the test is skipped, except under CI=true.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import urllib.request
from pathlib import Path

from tests.conftest import unavailable

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    unavailable("Chromium", "no chromium executable found (install Debian's chromium package)")
    raise AssertionError("unreachable")


async def test_a_visitor_books_through_the_widget(demo_server):
    executable = _chromium()
    from playwright.async_api import async_playwright

    base, database = demo_server
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = await browser.new_page()
            await page.goto(base + "/")
            await page.click("[data-tobeout=open]")
            log = page.locator("[data-tobeout=log]")
            await log.get_by_text("booking assistant").wait_for(timeout=15_000)
            assert await page.locator(".tbo-guest").count() == 0  # the bot greets; nothing is sent for the guest
            await page.locator("[data-tobeout=choices] button", has_text="Book a table").click()

            async def say(text: str, expect: str) -> None:
                await page.fill("[data-tobeout=input]", text)
                await page.click("[data-tobeout=send]")
                await log.get_by_text(expect).last.wait_for(timeout=15_000)

            await say("Table for 2 tomorrow at 7pm", "What name")
            await say("Anna <b>Bold</b>", "phone number")
            await say("+44 7700 900555", "for Anna")
            # What the guest typed is shown as text, never as markup.
            assert await page.locator(".tbo-msg b").count() == 0
            await page.locator("[data-tobeout=choices] button", has_text="Yes").click()
            await log.get_by_text("is booked").wait_for(timeout=15_000)
            # The session survives a reload: the transcript is still there.
            await page.reload()
            await page.locator("[data-tobeout=log]").get_by_text("is booked").wait_for(timeout=15_000)
        finally:
            await browser.close()

    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT r.guests, r.time, g.name, g.phone FROM reservations r JOIN guests g ON g.id = r.guest_id "
            "WHERE r.source = 'webchat'"
        ).fetchall()
    assert rows == [(2, "19:00:00", "Anna <b>Bold</b>", "+447700900555")]


async def test_the_widget_speaks_the_browsers_language_follows_the_guest_and_scrolls(demo_server):
    executable = _chromium()
    from playwright.async_api import async_playwright
    from playwright.async_api import expect as playwright_expect  # no string predicates: the page CSP forbids eval

    base, _ = demo_server
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = await browser.new_context(locale="ru-RU")
            page = await context.new_page()
            await page.goto(base + "/")
            button = page.locator("[data-tobeout=open]")
            await playwright_expect(button).not_to_have_text("Book a table")
            assert await button.text_content() == "Забронировать столик"
            await button.click()
            log = page.locator("[data-tobeout=log]")
            await log.get_by_text("помощник ресторана").wait_for(timeout=15_000)
            assert await page.locator(".tbo-guest").count() == 0
            assert await page.get_attribute("[data-tobeout=input]", "placeholder") == "Напишите сообщение…"
            assert await page.locator("[data-tobeout=send]").text_content() == "Отправить"
            assert await page.evaluate("document.activeElement.dataset.tobeout") == "input"

            async def say(text: str, expect: str) -> None:
                await page.fill("[data-tobeout=input]", text)
                await page.press("[data-tobeout=input]", "Enter")
                await log.get_by_text(expect).last.wait_for(timeout=15_000)

            # the guest switches to English: the bot and the widget follow
            await say("What are your opening hours?", "Our opening hours")
            await playwright_expect(page.locator("[data-tobeout=send]")).to_have_text("Send")
            for _ in range(6):  # enough messages to scroll
                await say("where are you located?", "We're at")
            await page.reload()
            await log.get_by_text("We're at").last.wait_for(timeout=15_000)
            if not await page.locator("[data-tobeout=panel]").is_visible():
                await page.click("[data-tobeout=open]")
            at_bottom = await page.evaluate(
                "(() => { const l = document.querySelector('[data-tobeout=log]');"
                " return l.scrollHeight > l.clientHeight && l.scrollTop + l.clientHeight >= l.scrollHeight - 2; })()"
            )
            assert at_bottom, "after a reload the latest message is in view"
            # Esc closes the panel and gives the focus back to the button
            await page.focus("[data-tobeout=input]")
            await page.keyboard.press("Escape")
            assert not await page.locator("[data-tobeout=panel]").is_visible()
            assert await page.evaluate("document.activeElement.dataset.tobeout") == "open"
            assert await button.get_attribute("aria-expanded") == "false"
        finally:
            await browser.close()


def test_the_demo_snippet_uses_the_services_address(demo_server):
    base, _ = demo_server
    with urllib.request.urlopen(base + "/", timeout=5) as response:
        page = response.read().decode()
    assert f'&lt;script src="{base}/widget.js"' in page
