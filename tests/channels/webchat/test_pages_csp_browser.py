"""The demo page, its widget and the API docs work in a real browser under the strict page CSP:
nothing is refused (no inline script or style, no CDN) and everything is styled."""

from __future__ import annotations

from tests.channels.webchat.test_widget_browser import CHROMIUM_ARGS, _chromium


async def test_pages_work_under_the_csp(demo_server):
    executable = _chromium()
    from playwright.async_api import async_playwright

    base, _database = demo_server
    refused: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = await browser.new_page()
            page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
            response = await page.goto(base + "/")
            assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
            button = page.locator("[data-tobeout=open]")
            await button.wait_for(state="visible", timeout=15_000)
            assert await button.evaluate("b => getComputedStyle(b).position") == "fixed", "the widget is styled"
            header = await page.locator("header").evaluate("h => getComputedStyle(h).backgroundColor")
            assert header == "rgb(31, 111, 92)", "the demo page is styled"
            await button.click()
            await page.locator("[data-tobeout=log]").get_by_text("booking assistant").wait_for(timeout=15_000)

            await page.goto(base + "/docs")
            await page.locator(".swagger-ui .info .title").get_by_text("ToBeOut API").wait_for(timeout=20_000)
            await page.locator(".opblock-tag", has_text="reservations").first.wait_for(timeout=10_000)
        finally:
            await browser.close()
    assert refused == [], refused
