"""The booking benchmark's PostgreSQL side: what the engine sends for one booking, and pgbench
replaying the same statements (``bench/booking_transaction.sql``) for comparison."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import connections

SCRIPT = Path(__file__).with_name("booking_transaction.sql")
#: asyncpg's pool sends this (one simple query) whenever a connection goes back to the pool.
RESET_MARK = "pg_advisory_unlock_all"
#: asyncpg's one-off type introspection on a fresh connection (the first int[] parameter).
_DRIVER_MARKS = ("typeinfo_tree", "set_config('jit'")


async def capture_statements(book: Callable[[], Awaitable[Any]]) -> list[str]:
    """Every statement the default connection's pool sends while ``book()`` runs, in order
    (asyncpg's query loggers on each pooled connection: BEGIN, COMMIT and resets included)."""
    pool = connections.get("default")._pool  # type: ignore[attr-defined]
    held = [await pool.acquire() for _ in range(pool._maxsize)]  # every connection of the pool opened
    for proxy in held:
        await pool.release(proxy)
    raw = [holder._con for holder in pool._holders if holder._con is not None]
    seen: list[str] = []

    def log(record: Any) -> None:
        seen.append(" ".join(record.query.split()))

    for con in raw:
        con.add_query_logger(log)
    try:
        await book()
        await asyncio.sleep(0.05)  # loggers are called soon after each query, not during it
    finally:
        for con in raw:
            con.remove_query_logger(log)
    return seen


_TABLE = re.compile(r"\b(?:FROM|INTO|JOIN|(?<!KEY )(?<!FOR )UPDATE)\s+([A-Za-z_][\w.]*)", re.IGNORECASE)
_FLAGS = ("FOR NO KEY UPDATE", "SKIP LOCKED", "PG_ADVISORY_XACT_LOCK", "RETURNING")


def shape(sql: str) -> str:
    """A statement reduced to what must agree between the engine and the script: its verb, the
    tables it reads or writes, and its locking clauses (parameters and expressions differ)."""
    text = " ".join(sql.replace('"', "").split())
    verb = text.split(" ", 1)[0].rstrip(";").upper()
    flags = [flag.lower() for flag in _FLAGS if flag in text.upper()]
    return " ".join([verb, *_TABLE.findall(text), *flags])


def script_statements(path: Path = SCRIPT) -> list[str]:
    """The SQL of the script's booking path (meta-commands, comments and the ROLLBACKs of the
    'engine would try another table' branches left out)."""
    out = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("--", "\\")) or line == "ROLLBACK;":
            continue
        out.append(re.sub(r"\s*\\[ag]set.*$", "", line))
    return out


def compare_statements(engine: list[str]) -> dict:
    """Whether the engine's statements (resets left out) and the script's have the same shapes in
    the same order; both lists of shapes, and how many resets the engine's pool sent."""
    ours = [shape(s) for s in engine if not any(mark in s for mark in (RESET_MARK, *_DRIVER_MARKS))]
    theirs = [shape(s) for s in script_statements()]
    return {
        "match": ours == theirs,
        "engine": ours,
        "pgbench": theirs,
        "pool_resets": sum(RESET_MARK in s for s in engine),
    }


def _pgbench() -> str | None:
    found = shutil.which("pgbench") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    return str(found) if found else None


async def _bookings(dsn: str) -> int:
    con = await asyncpg.connect(dsn)
    try:
        return int(await con.fetchval("SELECT count(*) FROM reservations WHERE source = 'pgbench'"))
    finally:
        await con.close()


async def run_pgbench(url: str, defines: dict[str, Any], clients: int, seconds: int) -> dict | None:
    """pgbench running the script with ``clients`` connections for ``seconds``: its transactions per
    second (script runs, rollbacks included) and the bookings per second actually written."""
    binary = _pgbench()
    if binary is None:
        return None
    dsn = url.replace("postgres://", "postgresql://", 1)
    before = await _bookings(dsn)
    load = os.getloadavg()[0]
    command = [
        binary,
        "-n",
        "-M",
        "prepared",
        "-c",
        str(clients),
        "-j",
        str(min(clients, os.cpu_count() or 1)),
        "-T",
        str(seconds),
        "-f",
        str(SCRIPT),
    ]
    command += [f"-D{key}={value}" for key, value in defines.items()]
    out = await asyncio.to_thread(subprocess.run, [*command, dsn], capture_output=True, text=True, timeout=seconds + 60)
    booked = await _bookings(dsn) - before

    def number(pattern: str) -> float | None:
        found = re.search(pattern, out.stdout)
        return float(found.group(1)) if found else None

    runs = number(r"number of transactions actually processed: (\d+)")
    return {
        "clients": clients,
        "tps": number(r"tps = ([0-9.]+)"),
        "runs": runs,
        "booked": booked,
        "bookings_per_second": round(booked / seconds, 1),
        "rolled_back": None if runs is None else int(runs) - booked,
        "latency_avg_ms": number(r"latency average = ([0-9.]+) ms"),
        "failed": number(r"number of failed transactions: (\d+)"),
        "load_average_1m": round(load, 2),
        "stderr": out.stderr.strip()[-400:] or None,
    }
