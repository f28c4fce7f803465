"""The bookings of a range one by one, for a CSV export: read in batches, never all at once.

Each row is what an owner would put in a spreadsheet (no guest's name or contact): id, local
date and time, party size, status as it ended, source, main table, when it was booked and the lead
time in hours. Rows come in ``(date, id)`` order, read ``batch`` at a time by keyset pagination,
so memory stays bounded however long the range.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from core.reports.period import Period
from core.reports.sql import EFFECTIVE_STATUS, dialect, rows
from core.reports.table import Value, day_key

COLUMNS = ["id", "date", "time", "guests", "status", "source", "table", "booked_at", "lead_hours"]
BATCH = 2000


async def reservation_rows(period: Period, batch: int = BATCH) -> AsyncIterator[list[Value]]:
    """Every booking of ``period``'s local dates, as rows of :data:`COLUMNS`."""
    d = dialect()
    hours = f"({d.seconds_between('r.created_at', 'r.starts_at')} / 3600.0)"
    sql = f"""SELECT r.id AS id, r.date AS day, r.time AS time, r.guests AS guests, {EFFECTIVE_STATUS} AS status,
  r.source AS source, t.name AS table_name, r.created_at AS booked_at, {hours} AS lead
FROM reservations r LEFT JOIN tables t ON t.id = r.table_id AND t.restaurant_id = $1
WHERE r.restaurant_id = $1 AND r.date >= $2 AND r.date <= $3 AND (r.date > $2 OR (r.date = $2 AND r.id > $4))
ORDER BY r.date, r.id
LIMIT {int(batch)}"""
    after: tuple[date, int] = (period.start, 0)
    while True:
        found = await rows(sql, [period.restaurant_id, d.param_date(after[0]), d.param_date(period.end), after[1]])
        for row in found:
            yield _row(row)
        if len(found) < batch:
            return
        after = (day_key(found[-1]["day"]), int(found[-1]["id"]))


def _row(row: dict[str, Any]) -> list[Value]:
    booked = row["booked_at"]
    return [
        int(row["id"]),
        day_key(row["day"]).isoformat(),
        str(row["time"])[:5],
        int(row["guests"]),
        str(row["status"]),
        row["source"],
        row["table_name"],
        booked.isoformat() if hasattr(booked, "isoformat") else str(booked),
        round(float(row["lead"]), 1) if row["lead"] is not None else None,
    ]
