"""Table utilisation: seated minutes over open minutes, per table, over the range.

Seated minutes are the real minutes (start to end, as booked) of the bookings that sat at the
table: seated or completed, archived ones included, by the booking's local date; a combined
booking counts for each of its tables. Open minutes are the minutes of the restaurant's opening
hours (exceptions included) over the range's days, in elapsed time, so a service on the night
the clocks change counts its real length. Every table of the restaurant has a row.
"""

from __future__ import annotations

from core.booking.availability import load_setting
from core.booking.hours import service_intervals
from core.models import Table
from core.reports.period import Period
from core.reports.sql import EFFECTIVE_STATUS, dialect, rows
from core.reports.table import Report, Value, rate

COLUMNS = ["table", "bookings", "seated_minutes", "open_minutes", "utilisation"]


async def open_minutes(period: Period) -> int:
    """The minutes the restaurant is open over ``period``'s days (by its hours and exceptions)."""
    rules = (await load_setting(period.restaurant_id)).rules
    seconds = sum(
        (closes - opens).total_seconds() for day in period.days() for opens, closes in service_intervals(day, rules)
    )
    return int(seconds // 60)


async def utilisation_report(period: Period) -> Report:
    """The ``utilisation`` report of ``period`` (see the module docstring)."""
    d = dialect()
    seconds = d.seconds_between("r.starts_at", "r.ends_at")
    sql = f"""SELECT a.table_id AS table_id, COUNT(*) AS n, SUM({seconds}) AS seconds
FROM reservation_tables a JOIN reservations r ON r.id = a.reservation_id AND r.restaurant_id = $1
WHERE a.restaurant_id = $1 AND r.date >= $2 AND r.date <= $3 AND {EFFECTIVE_STATUS} IN ('seated', 'completed')
GROUP BY a.table_id"""
    found = {
        int(row["table_id"]): row
        for row in await rows(sql, [period.restaurant_id, d.param_date(period.start), d.param_date(period.end)])
    }
    opened = await open_minutes(period)
    tables = await Table.filter(restaurant_id=period.restaurant_id).order_by("name", "id").values("id", "name")
    table: list[list[Value]] = []
    for t in tables:
        row = found.get(int(t["id"]))
        seated = int(round(float(row["seconds"] or 0) / 60)) if row else 0
        table.append([str(t["name"]), int(row["n"]) if row else 0, seated, opened, rate(seated, opened)])
    seated_all = sum(int(r[2] or 0) for r in table)
    totals = {
        "seated_minutes": seated_all,
        "open_minutes": opened * len(table),
        "utilisation": rate(seated_all, opened * len(table)),
    }
    return Report("utilisation", period, COLUMNS, table, totals)
