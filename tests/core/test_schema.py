"""The schema: constraints hold at the database, migrations match the models."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from tortoise.exceptions import IntegrityError, OperationalError

from core import db as core_db
from core.models import Guest, Reservation, ReservationStatus, Restaurant, Table

START = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


async def _restaurant_with_table() -> tuple[Restaurant, Table, Guest]:
    restaurant = await Restaurant.create(name="Schema Test")
    table = await Table.create(restaurant=restaurant, name="T1", min_guests=1, max_guests=4)
    guest = await Guest.create(restaurant=restaurant, name="Ann", phone="+447700900001")
    return restaurant, table, guest


async def _insert(restaurant, table, guest, start, minutes=120, status=ReservationStatus.CONFIRMED, guests=2):
    return await Reservation.create(
        restaurant=restaurant,
        guest=guest,
        table=table,
        date=date(2026, 12, 1),
        time=time(start.hour, start.minute),
        duration=minutes,
        guests=guests,
        status=status,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
    )


async def test_overlapping_active_reservations_on_one_table_fail_at_the_database(pg_db):
    restaurant, table, guest = await _restaurant_with_table()
    await _insert(restaurant, table, guest, START)
    with pytest.raises(IntegrityError):
        await _insert(restaurant, table, guest, START + timedelta(minutes=30))
    assert await Reservation.filter(table=table).count() == 1


async def test_back_to_back_and_inactive_reservations_are_allowed(pg_db):
    restaurant, table, guest = await _restaurant_with_table()
    await _insert(restaurant, table, guest, START)
    await _insert(restaurant, table, guest, START + timedelta(minutes=120))
    await _insert(restaurant, table, guest, START + timedelta(minutes=30), status=ReservationStatus.CANCELED)
    assert await Reservation.filter(table=table).count() == 3


async def test_check_constraints_hold_on_both_backends(db):
    restaurant, table, guest = await _restaurant_with_table()
    with pytest.raises((IntegrityError, OperationalError)):
        await Table.create(restaurant=restaurant, name="bad", min_guests=5, max_guests=2)
    with pytest.raises((IntegrityError, OperationalError)):
        await Table.create(restaurant=restaurant, name="bad", min_guests=0, max_guests=2)
    with pytest.raises((IntegrityError, OperationalError)):
        await _insert(restaurant, table, guest, START, guests=0)
    assert await Table.filter(restaurant=restaurant).count() == 1


async def test_deleting_a_table_keeps_its_reservations(db):
    restaurant, table, guest = await _restaurant_with_table()
    reservation = await _insert(restaurant, table, guest, START)
    await table.delete()
    await reservation.refresh_from_db()
    assert reservation.table_id is None


def test_migrations_match_the_models(postgres_url):
    """On the migrated database, `tobeout db upgrade` is a no-op and aerich finds nothing to migrate."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": postgres_url}
    bin_dir = Path(sys.executable).parent
    again = subprocess.run(
        [bin_dir / "tobeout", "db", "upgrade"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert "already up to date" in again.stdout
    before = set(core_db.MIGRATIONS_DIR.glob("models/*.py"))
    drift = subprocess.run(
        [bin_dir / "aerich", "migrate", "--name", "drift_check"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    created = set(core_db.MIGRATIONS_DIR.glob("models/*.py")) - before
    for path in created:
        path.unlink()
    assert drift.returncode == 0, drift.stderr
    assert "No changes detected" in drift.stdout, drift.stdout
    assert not created
