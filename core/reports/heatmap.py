"""When the covers are: weekday × hour of the booked local start, over the range.

Covers of the bookings that were not canceled and not a no-show, by the weekday of their local
date (``monday`` ... ``sunday``) and the hour of their local start time, so a 19:00 booking is at
19 whatever the daylight-saving offset. One row per weekday and hour (168 rows, zeros included).
"""

from __future__ import annotations

from core.booking.hours import WEEKDAYS
from core.reports.period import Period
from core.reports.sql import EFFECTIVE_STATUS, dialect, rows
from core.reports.table import Report, Value

COLUMNS = ["weekday", "hour", "bookings", "covers"]


async def heatmap_report(period: Period) -> Report:
    """The ``heatmap`` report of ``period`` (see the module docstring)."""
    d = dialect()
    weekday, hour = d.weekday_of("r.date"), d.hour_of("r.time")
    sql = f"""SELECT {weekday} AS weekday, {hour} AS hour, COUNT(*) AS n, SUM(r.guests) AS guests
FROM reservations r
WHERE r.restaurant_id = $1 AND r.date >= $2 AND r.date <= $3
  AND {EFFECTIVE_STATUS} NOT IN ('canceled', 'no_show')
GROUP BY 1, 2"""
    found = {
        (int(row["weekday"]), int(row["hour"])): row
        for row in await rows(sql, [period.restaurant_id, d.param_date(period.start), d.param_date(period.end)])
    }
    table: list[list[Value]] = []
    busiest: tuple[int, int, int] = (0, 0, -1)
    for day in range(7):
        for hour_of_day in range(24):
            row = found.get((day, hour_of_day))
            covers = int(row["guests"] or 0) if row else 0
            table.append([WEEKDAYS[day], hour_of_day, int(row["n"]) if row else 0, covers])
            if covers > busiest[2]:
                busiest = (day, hour_of_day, covers)
    totals: dict[str, Value] = {
        "covers": sum(int(r[3] or 0) for r in table),
        "busiest_weekday": WEEKDAYS[busiest[0]] if busiest[2] > 0 else None,
        "busiest_hour": busiest[1] if busiest[2] > 0 else None,
    }
    return Report("heatmap", period, COLUMNS, table, totals)
