"""Shared pieces of the benchmarks: throwaway PostgreSQL databases, percentiles, CPU time from /proc."""

from __future__ import annotations

import contextlib
import os
import statistics
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

from core import db

ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@contextlib.asynccontextmanager
async def throwaway_database(prefix: str = "tobeout_bench") -> AsyncIterator[str]:
    """Create and migrate a fresh PostgreSQL database; drop it afterwards. Yields its URL."""
    admin = await asyncpg.connect(ADMIN_URL.replace("postgres://", "postgresql://", 1))
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    head = ADMIN_URL.rsplit("/", 1)[0]
    url = f"{head}/{name}"
    try:
        await db.upgrade(url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50, p99 and mean of ``samples_ms`` (milliseconds), rounded."""
    ordered = sorted(samples_ms)
    if not ordered:
        return {"p50": 0.0, "p99": 0.0, "mean": 0.0, "n": 0}
    q = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else [ordered[0]] * 99
    mean = round(statistics.fmean(ordered), 2)
    return {"p50": round(q[49], 2), "p99": round(q[98], 2), "mean": mean, "n": len(ordered)}


def _process_table() -> dict[int, tuple[int, str, float]]:
    """Every process: pid -> (parent pid, command name, user + system CPU seconds so far)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    table: dict[int, tuple[int, str, float]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = entry.read_text()
        except OSError:
            continue
        name, _, rest = text.partition(" (")[2].rpartition(") ")
        fields = rest.split()
        if len(fields) > 12:
            table[int(entry.parent.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / tick)
    return table


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its live descendants (Linux /proc; 0 elsewhere)."""
    table = _process_table()
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += table[current][2] if current in table else 0.0
        todo.extend(child for child, (parent, _, _) in table.items() if parent == current)
    return total


def named_cpu_seconds(name: str) -> float:
    """User + system CPU seconds of the live processes called ``name`` (``postgres``, ``redis-server``)."""
    return sum(cpu for _, comm, cpu in _process_table().values() if comm == name)
