"""An upgrade from the previous release keeps every row: a database made by that release's own code (its
migrations, its demo data and a saved bot token) is upgraded by this one; every table it had keeps its rows,
byte for byte in the columns it had, and the secret still decrypts. While a long read holds a table a new
migration must lock, the migration gives up after its lock_timeout instead of queueing bookings behind it.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import ENCRYPTION_KEY, TEST_DATABASE_URL, _dsn, empty_postgres_database
from tests.serving import ROOT, run_tobeout, service_env

#: main before this release's changes (the release the CHANGELOG calls 0.1.0).
PREVIOUS = "375de51"
TOKEN = "424242:AAH-previous-release-token-abcdefghij"
SAVE_TOKEN = f"""
import asyncio
import sqlite3
from core import db
from core.integrations import save_integration
from core.secrets import SecretBox

async def main():
    await db.init_db({{url!r}})
    await save_integration(1, "telegram", {{"botToken": {TOKEN!r}}}, ["botToken"], SecretBox({ENCRYPTION_KEY!r}))
    await db.close_db()

asyncio.run(main())
"""


def _previous_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "previous"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS], capture_output=True, timeout=60)
    if archive.returncode != 0:
        pytest.skip(f"the previous release's commit {PREVIOUS} is not in this checkout (a shallow clone?)")
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True, timeout=60)
    return tree


def _old(tree: Path, env: dict[str, str], *code: str) -> None:
    """Run the previous release's own code (its modules first on the path) in its tree."""
    done = subprocess.run(
        [sys.executable, "-c", *code], env={**env, "PYTHONPATH": str(tree)}, cwd=tree, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


async def _snapshot(admin: asyncpg.Connection, columns: dict[str, list[str]] | None = None) -> dict[str, tuple]:
    """Per table: its columns, row count and an md5 of its rows (in ``columns`` when given: the old ones)."""
    tables = [
        r["table_name"]
        for r in await admin.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'aerich'"
        )
    ]
    out = {}
    for table in tables:
        names = (columns or {}).get(table) or [
            r["column_name"]
            for r in await admin.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 "
                "ORDER BY ordinal_position",
                table,
            )
        ]
        row_text = "concat_ws('|', " + ", ".join(f'"{n}"::text' for n in names) + ")"
        count, digest = await admin.fetchrow(
            f"SELECT count(*), md5(coalesce(string_agg({row_text}, E'\\n' ORDER BY {row_text}), '')) FROM \"{table}\""
        )
        out[table] = (names, count, digest)
    return out


async def test_an_upgrade_from_the_previous_release_loses_nothing(tmp_path):
    tree = _previous_tree(tmp_path)
    async with empty_postgres_database("tobeout_upgrade") as url:
        env = service_env(0, url, tmp_path / "var")
        _old(tree, env, "import sys; from api.cli import main; sys.exit(main(['db', 'upgrade']))")
        _old(tree, env, "import sys; from api.cli import main; sys.exit(main(['demo-data']))")
        _old(tree, env, SAVE_TOKEN.replace("{url!r}", repr(url)))
        admin = await asyncpg.connect(_dsn(TEST_DATABASE_URL, url.rsplit("/", 1)[1]))
        try:
            before = await _snapshot(admin)
            assert (
                before["reservations"][1] >= 3 and before["guests"][1] >= 4 and before["integration_settings"][1] == 1
            )

            # A long read holds reservations: the migration that must alter it gives up after its lock_timeout.
            reader = await asyncpg.connect(_dsn(TEST_DATABASE_URL, url.rsplit("/", 1)[1]))
            await reader.execute("BEGIN; SELECT count(*) FROM reservations")
            started = time.monotonic()
            refused = await asyncio.to_thread(run_tobeout, ["db", "upgrade"], env, tmp_path, check=False)
            waited = time.monotonic() - started
            await reader.execute("COMMIT")
            await reader.close()
            assert refused.returncode == 2, refused.stdout + refused.stderr
            assert "a migration waited more than 1s for a table lock" in refused.stderr
            print(f"db upgrade gave up after {waited:.1f} s with a long read open (lock_timeout 1s)")

            upgraded = run_tobeout(["db", "upgrade"], env, tmp_path)
            assert "applied" in upgraded.stdout
            after = await _snapshot(admin, {table: names for table, (names, _, _) in before.items()})
        finally:
            await admin.close()
        for table, (names, count, digest) in before.items():
            assert after[table] == (names, count, digest), f"{table} changed in the upgrade"
        assert "worker_heartbeats" in after  # and the new tables are there

        from core import db
        from core.integrations import decrypt_setting, get_integration
        from core.secrets import SecretBox

        await db.init_db(url)
        try:
            assert decrypt_setting(await get_integration(1, "telegram"), "botToken", SecretBox(ENCRYPTION_KEY)) == TOKEN
        finally:
            await db.close_db()
        again = run_tobeout(["db", "upgrade"], env, tmp_path)
        assert "already up to date" in again.stdout


def _sqlite_columns(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(row[1] for row in conn.execute(f'PRAGMA table_info("{t}")')) for t in tables}


async def test_the_embedded_database_of_the_previous_release_gains_every_new_column(tmp_path):
    """`make run` keeps its SQLite file in var/: after an upgrade of the code the file made by the previous
    release must have every column the models now have, with its rows kept, or the demo breaks at the
    first query that names a new column."""
    tree = _previous_tree(tmp_path)
    old_file, fresh_file = tmp_path / "old.sqlite3", tmp_path / "fresh.sqlite3"
    env = service_env(0, f"sqlite://{old_file}", tmp_path / "var")
    _old(tree, env, "import sys; from api.cli import main; sys.exit(main(['db', 'upgrade']))")
    _old(tree, env, "import sys; from api.cli import main; sys.exit(main(['demo-data']))")
    with sqlite3.connect(old_file) as conn:
        before = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ("reservations", "guests")}
    assert before["reservations"] >= 3
    run_tobeout(["db", "upgrade"], env, tmp_path)
    run_tobeout(["db", "upgrade"], service_env(0, f"sqlite://{fresh_file}", tmp_path / "var2"), tmp_path)
    upgraded, fresh = _sqlite_columns(old_file), _sqlite_columns(fresh_file)
    missing = {t: sorted(set(cols) - set(upgraded.get(t, []))) for t, cols in fresh.items()}
    assert {t: cols for t, cols in missing.items() if cols} == {}
    with sqlite3.connect(old_file) as conn:
        after = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ("reservations", "guests")}
    assert after == before
    shown = run_tobeout(["demo-data"], env, tmp_path)  # the new code reads and writes the upgraded file
    assert shown.returncode == 0
