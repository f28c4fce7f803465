"""The package as a deployment gets it: a wheel installed away from this checkout.

Editable installs (``make``) read everything from the repository, which hides a file the
package forgets to ship; here the wheel is built, installed into a directory of its own and
run from an empty working directory, so only what the wheel carries is there.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import empty_postgres_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from this checkout and installed (without its dependencies) into a
    directory of its own; returns that directory."""
    # Built from a copy of the checkout's files: a build/ directory left by an earlier build would
    # otherwise lend the wheel what the package's own settings leave out.
    source = tmp_path_factory.mktemp("source")
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in files:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
    )
    [wheel] = out.glob("*.whl")
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", str(wheel), "--no-deps", "-q", "--target", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_wheel_carries_the_migrations_and_the_pages(installed_wheel: Path):
    tracked = subprocess.run(
        ["git", "ls-files", "migrations/models"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked, "no migrations tracked?"
    for path in tracked:
        assert (installed_wheel / path).is_file(), f"{path} is not in the wheel"
    for page in ("api/dashboard_ui/static/app.js", "channels/webchat/static/widget.js"):
        assert (installed_wheel / page).is_file(), f"{page} is not in the wheel"


async def test_the_installed_wheel_migrates_postgresql_from_an_empty_directory(installed_wheel: Path, tmp_path):
    import asyncpg

    async with empty_postgres_database("tobeout_wheel") as url:
        env = {
            **os.environ,
            "PYTHONPATH": str(installed_wheel),
            "TOBEOUT_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": url,
        }
        where = await asyncio.to_thread(_run, ["-c", "import core.db; print(core.db.MIGRATIONS_DIR)"], tmp_path, env)
        assert Path(where.stdout.strip()).is_relative_to(installed_wheel)  # the wheel's copy, not this checkout's
        done = await asyncio.to_thread(
            _run, ["-c", "import sys; from api.cli import main; sys.exit(main())", "db", "upgrade"], tmp_path, env
        )
        assert done.returncode == 0, done.stdout + done.stderr
        con = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            applied = await con.fetchval("SELECT count(*) FROM aerich")
            guard = await con.fetchval("SELECT count(*) FROM pg_constraint WHERE contype = 'x'")
        finally:
            await con.close()
    assert applied == len(list((installed_wheel / "migrations" / "models").glob("*.py")))
    assert guard >= 1  # the exclusion constraint that refuses double bookings came with them
