"""A transaction that cannot start leaves nothing behind (core.storage.orm.in_transaction), and it is the one
way the code opens a transaction."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import pytest
from tortoise import connections

from core import db as core_db
from core.models import Restaurant
from core.storage.orm import in_transaction

ROOT = Path(__file__).resolve().parents[2]


async def test_a_transaction_whose_begin_fails_gives_back_the_connection(sqlite_url: str) -> None:
    # Connected in the test itself (not a fixture): it connects a second time, in its own context.
    await core_db.init_db(sqlite_url)
    try:
        await Restaurant.all().count()  # connected
        await connections.get("default")._connection.close()  # the database went away: BEGIN fails
        for _ in range(2):
            # Tortoise's own context keeps the connection's lock after the first failure (and the task's
            # pointer to the failed transaction): the second would wait for ever instead of failing.
            async with asyncio.timeout(5):
                with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises for a closed connection
                    async with in_transaction():
                        pass
    finally:
        await core_db.close_db()
    await core_db.init_db(sqlite_url)
    try:
        async with in_transaction():
            await Restaurant.create(name="After a failed BEGIN", timezone="Europe/London")
        assert await Restaurant.filter(name="After a failed BEGIN").count() == 1
    finally:
        await core_db.close_db()


def test_every_transaction_is_opened_through_the_storage_seam() -> None:
    """``tortoise.transactions`` is imported by the adapter alone, so no code gets the unmended one."""
    importers = []
    for package in ("core", "api", "channels", "plugins"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "core" / "storage" / "orm.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.ImportFrom) and node.module == "tortoise.transactions":
                    importers.append(str(path.relative_to(ROOT)))
    assert importers == []
