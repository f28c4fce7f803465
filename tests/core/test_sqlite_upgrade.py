"""An embedded SQLite file from before the guest search keys gets them (and their values) on startup."""

from __future__ import annotations

from pathlib import Path

from core import db


async def test_an_older_sqlite_file_gains_the_guest_search_keys(tmp_path: Path) -> None:
    from tortoise import connections

    from core.models import Guest, Restaurant

    url = f"sqlite://{tmp_path}/old.sqlite3"
    await db.upgrade(url)
    await db.init_db(url)
    try:
        conn = connections.get("default")
        restaurant = await Restaurant.create(name="Old")
        await conn.execute_script('ALTER TABLE "guests" DROP COLUMN "name_folded"')
        await conn.execute_script('ALTER TABLE "guests" DROP COLUMN "phone_digits"')
        await conn.execute_script(
            "INSERT INTO guests (restaurant_id, name, phone, language, created_at, tags) "
            f"VALUES ({restaurant.id}, 'Мария  Иванова', '+447700900555', 'ru', '2026-01-01 00:00:00', '[]')"
        )
        await db.prepare_sqlite_schema()
        guest = await Guest.get(name="Мария  Иванова")
        assert (guest.name_folded, guest.phone_digits) == ("мария иванова", "447700900555")
        await db.prepare_sqlite_schema()  # a second start changes nothing
    finally:
        await db.close_db()
