"""The guest's manage page by weight (issue 20: at most 50 KB), run by hand:

    .venv/bin/python -m bench manage

Builds the app in this process on a throwaway SQLite database with the demo restaurant, books one
table through the booking engine and asks for its manage page (``/manage/<token>``) in every
language the page speaks, then for what the page loads (its stylesheet and script) and for the
booking's ``.ics``. Reports each body's bytes as served (uncompressed) and gzip-compressed (level 6,
what a proxy in front typically sends), and the page's total.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import re
import tempfile
from datetime import timedelta
from pathlib import Path

LIMIT = 50 * 1024


def _row(name: str, body: bytes) -> tuple[str, int, int]:
    return name, len(body), len(gzip.compress(body, 6))


async def _measure() -> list[tuple[str, int, int]]:
    from api.app import create_app
    from api.guest_ui import texts
    from core.booking.manage_link import manage_url
    from core.booking.service import BookingRequest, BookingService, GuestInput
    from core.config import load_settings
    from core.demo import load_demo_data
    from core.models import Restaurant

    with tempfile.TemporaryDirectory() as scratch:
        settings = load_settings(
            {
                "TOBEOUT_VAR_DIR": scratch,
                "DATABASE_URL": f"sqlite://{Path(scratch) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench-secret-" + "x" * 32,
                "PUBLIC_BASE_URL": "https://book.example.com",
            }
        )
        app = create_app(settings, run_worker=False)
        async with app.test_app():
            await load_demo_data()
            restaurant = await Restaurant.all().order_by("id").first()
            assert restaurant is not None
            runtime = app.runtime
            day = (runtime.clock() + timedelta(days=7)).date()
            service = BookingService(runtime.bus, runtime.clock)
            guest = GuestInput(name="Mila Petrova", phone="+447700900777")
            reservation = await service.create(
                restaurant.id, BookingRequest(date=day, time="13:00", guests=4, guest=guest)
            )
            path = manage_url("", settings.secret_key, reservation)
            client = app.test_client()
            rows = []
            assets: list[str] = []
            for language in texts.languages():
                response = await client.get(f"{path}?lang={language}")
                assert response.status_code == 200, response.status_code
                html = await response.get_data()
                rows.append(_row(f"page ({language})", html))
                assets = re.findall(r'(?:src|href)="(/manage/static/[^"]+)"', html.decode())
            for asset in sorted(assets):
                rows.append(_row(asset.rsplit("/", 1)[1], await (await client.get(asset)).get_data()))
            ics = await client.get(path.replace("/manage/", "/api/manage/") + "/calendar.ics")
            rows.append(_row("booking .ics", await ics.get_data()))
            return rows


def main(argv: list[str]) -> int:
    """Print each body's size and the page's total against the goal."""
    argparse.ArgumentParser(prog="python -m bench manage", description=__doc__).parse_args(argv)
    rows = asyncio.run(_measure())
    print(f"{'what':<22}{'bytes':>9}{'gzip':>9}")
    for name, raw, packed in rows:
        print(f"{name:<22}{raw:>9}{packed:>9}")
    pages = [r for r in rows if r[0].startswith("page")]
    largest = max(pages, key=lambda r: r[1])
    assets = [r for r in rows if r[0].endswith((".css", ".js"))]
    total = largest[1] + sum(r[1] for r in assets)
    total_gzip = largest[2] + sum(r[2] for r in assets)
    verdict = "within" if total <= LIMIT else "OVER"
    print(f"page total (largest language + css + js): {total} bytes, {total_gzip} gzip — {verdict} {LIMIT}")
    return 0 if total <= LIMIT else 1
