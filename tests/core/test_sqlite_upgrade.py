"""An embedded SQLite file from before a column was added gets it on startup: the guest search keys (and their
values), a restaurant's own handoff wait."""

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


async def test_an_older_sqlite_file_gains_the_restaurants_handoff_wait(tmp_path: Path) -> None:
    from tortoise import connections

    from core.models import Restaurant

    url = f"sqlite://{tmp_path}/old.sqlite3"
    await db.upgrade(url)
    await db.init_db(url)
    try:
        await connections.get("default").execute_script('ALTER TABLE "restaurants" DROP COLUMN "handoff_wait_minutes"')
        await db.prepare_sqlite_schema()
        restaurant = await Restaurant.create(name="Old")
        assert (await Restaurant.get(id=restaurant.id)).handoff_wait_minutes is None  # the service's default
        await Restaurant.filter(id=restaurant.id).update(handoff_wait_minutes=20)
        assert (await Restaurant.get(id=restaurant.id)).handoff_wait_minutes == 20
    finally:
        await db.close_db()
