"""The Reports page in a real browser (Debian's Chromium) against real `tobeout serve` processes on PostgreSQL
and Redis: the numbers the owner sees are the API's, in English and Russian, at 1440 and 390 wide, printable,
with a CSV download for every chart. Fixtures and helpers from :mod:`tests.api.test_dashboard_browser`."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from tests.api.test_dashboard_browser import Servers, browser, servers, settle, shot, signed_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis]
SECTIONS = ["bookings", "channels", "lead_time", "heatmap", "utilisation", "bot", "reminders"]


def _range(running: Servers) -> tuple[str, str]:
    day = date.fromisoformat(running.day)
    return (day - timedelta(days=6)).isoformat(), (day + timedelta(days=1)).isoformat()


async def test_reports_show_the_api_figures_with_charts_tables_and_csv(browser, servers):  # noqa: F811
    api = servers.api
    start, end = _range(servers)
    for n, (time_, guests) in enumerate((("18:30", 2), ("19:00", 4), ("20:00", 6))):
        api.book(f"Report Guest {n}", f"+44 20 7946 07{n:02d}", servers.day, time_, guests)
    expected = api.call("GET", f"/api/reports/bookings?from={start}&to={end}")
    channels = api.call("GET", f"/api/reports/channels?from={start}&to={end}")
    path = f"/dashboard/reports?from={start}&to={end}"
    async with signed_in(browser, servers, path, viewport=(1440, 900)) as (page, console):
        await page.locator(".reports-body[aria-busy=false] section[data-report=reminders]").wait_for()
        assert await page.locator("section.report").evaluate_all("s => s.map(x => x.dataset.report)") == SECTIONS
        for name in SECTIONS:  # every chart is an SVG drawn by the page, with its table and its CSV link
            section = page.locator(f"section[data-report={name}]")
            if name == "bot":  # the demo has no conversations: said so, no empty chart
                assert await section.locator(".empty").inner_text() == "Nothing in this range."
            else:
                assert await section.locator("figure svg.chart").count() == 1, name
                assert await section.locator("table.report-numbers tbody tr").count() >= 1, name
            href = await section.locator("a.csv-link").get_attribute("href")
            assert href.startswith(f"/api/reports/{name}?") and "format=csv" in href
        kpis = await page.locator("section[data-report=bookings] .kpi dd").all_inner_texts()
        assert kpis[:2] == [str(expected["totals"]["bookings"]), str(expected["totals"]["covers"])]
        total = await page.locator("section[data-report=bookings] tfoot td").all_inner_texts()
        assert total[:3] == ["Total", str(expected["totals"]["bookings"]), str(expected["totals"]["covers"])]
        shown = await page.locator("section[data-report=channels] tbody tr").evaluate_all(
            "rows => rows.map(r => [r.cells[0].textContent, r.cells[1].textContent])"
        )
        names = {"staff": "Staff", "webchat": "Web chat", "telegram": "Telegram", "unknown": "Not recorded"}
        assert shown == [[names.get(row[0], row[0]), str(row[1])] for row in channels["rows"]]
        assert float(await page.locator(".reports-page").get_attribute("data-draw-ms")) >= 0

        download = await page.request.get(
            servers.base + await page.locator("section[data-report=bookings] a.csv-link").get_attribute("href")
        )
        assert download.status == 200 and download.headers["content-type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(await download.text())))
        assert lines[0][:3] == ["period", "bookings", "covers"] and len(lines) == 1 + len(expected["rows"])

        await page.click("button[data-by=week]")
        await page.locator(".reports-page[data-range=custom] .reports-body[aria-busy=false]").wait_for()
        await settle(page)
        weeks = await page.locator("section[data-report=bookings] tbody tr").count()
        assert weeks == len(api.call("GET", f"/api/reports/bookings?from={start}&to={end}&by=week")["rows"])
        assert "by=week" in page.url
        await page.click("button[data-by=day]")
        await settle(page)
        await shot(page, "reports-1440", full_page=True)

        await page.emulate_media(media="print")
        assert await page.locator(".reports-page").is_visible()
        assert not await page.locator(".top").is_visible() and not await page.locator("a.csv-link").first.is_visible()
        assert await page.locator("section[data-report=heatmap] svg.chart").is_visible()
        await page.emulate_media(media="screen")
        console.assert_clean()


async def test_reports_in_russian_on_a_phone(browser, servers):  # noqa: F811
    start, end = _range(servers)
    path = f"/dashboard/reports?from={start}&to={end}"
    async with signed_in(browser, servers, path, locale="ru-RU", viewport=(390, 844)) as (page, console):
        await page.locator(".reports-body[aria-busy=false] section[data-report=reminders]").wait_for()
        assert await page.locator(".reports-page h1").inner_text() == "Отчёты"
        assert await page.locator("section[data-report=channels] h2").inner_text() == "Откуда приходят брони"
        assert await page.locator("button[data-range=custom]").get_attribute("aria-pressed") == "true"
        assert await page.locator("a.csv-link").first.inner_text() == "Скачать CSV"
        # nothing wider than the phone but the tables, which scroll inside their own box
        wide = await page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= 390, wide
        for name in ("bookings", "lead_time", "heatmap", "utilisation", "reminders"):
            box = await page.locator(f"section[data-report={name}] svg.chart").bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, name
        await page.click("button[data-range=month]")
        await page.locator(".reports-page[data-range=month] .reports-month input").wait_for()
        await settle(page)
        await shot(page, "reports-390-ru")
        for name in ("channels", "heatmap", "bot"):
            await page.locator(f"section[data-report={name}]").scroll_into_view_if_needed()
            await shot(page, f"reports-390-ru-{name}")
        console.assert_clean()
