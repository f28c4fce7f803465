"""How far ahead guests book: the bookings of the range by the time between booking and arrival.

Lead time is the elapsed time from the booking's creation to its start (both instants, so a
daylight-saving change in between counts its real hours). Bookings of the range's local dates,
canceled ones included (they were booked too). Buckets, each ``[low, high)`` in hours.
"""

from __future__ import annotations

from core.reports.period import Period
from core.reports.sql import dialect, rows
from core.reports.table import Report, Value, rate

#: (name, lower bound in hours, upper bound in hours or None).
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("under_2h", 0, 2),
    ("2h_to_1d", 2, 24),
    ("1_to_3d", 24, 72),
    ("3_to_7d", 72, 168),
    ("7_to_14d", 168, 336),
    ("14_to_30d", 336, 720),
    ("30d_plus", 720, None),
)
COLUMNS = ["lead_time", "bookings", "covers", "share"]


async def lead_time_report(period: Period) -> Report:
    """The ``lead_time`` report of ``period`` (see the module docstring)."""
    d = dialect()
    hours = f"({d.seconds_between('r.created_at', 'r.starts_at')} / 3600.0)"
    cases = " ".join(f"WHEN {hours} < {high} THEN '{name}'" for name, _low, high in BUCKETS if high is not None)
    sql = f"""SELECT CASE {cases} ELSE '{BUCKETS[-1][0]}' END AS bucket, COUNT(*) AS n, SUM(r.guests) AS guests
FROM reservations r
WHERE r.restaurant_id = $1 AND r.date >= $2 AND r.date <= $3
GROUP BY 1"""
    found = {
        str(row["bucket"]): row
        for row in await rows(sql, [period.restaurant_id, d.param_date(period.start), d.param_date(period.end)])
    }
    total = sum(int(row["n"]) for row in found.values())
    table: list[list[Value]] = []
    for name, _low, _high in BUCKETS:
        row = found.get(name)
        n = int(row["n"]) if row else 0
        table.append([name, n, int(row["guests"] or 0) if row else 0, rate(n, total)])
    return Report("lead_time", period, COLUMNS, table, {"bookings": total})
