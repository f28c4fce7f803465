"""Bookings and covers by day or week: how many, in which status, no-shows, late cancellations, party size.

Counted by the booking's local date (the day of the visit). Definitions, each row and the totals:

* ``bookings``: every reservation of the day, whatever its status (archived ones count as how they ended);
* ``covers``: guests of the bookings that were not canceled and not a no-show (expected or served);
* ``no_show_rate``: no-shows over the bookings that were not canceled (the guests expected);
* ``late_canceled``: cancellations recorded less than :data:`LATE_CANCEL_HOURS` before the start
  (or after it); ``late_cancel_rate`` is their share of all bookings;
* ``avg_party``: the mean party size of the bookings that were not canceled.
"""

from __future__ import annotations

from collections import defaultdict

from core.reports.period import Period
from core.reports.sql import dialect, ended, rows
from core.reports.table import Report, Value, day_key, rate

LATE_CANCEL_HOURS = 24
STATUSES = ("created", "confirmed", "seated", "completed", "canceled", "no_show")
COLUMNS = [
    "period",
    "bookings",
    "covers",
    *STATUSES,
    "late_canceled",
    "no_show_rate",
    "late_cancel_rate",
    "avg_party",
]


async def bookings_report(period: Period) -> Report:
    """The ``bookings`` report of ``period`` (see the module docstring)."""
    d = dialect()
    late = d.seconds_between("c.created_at", "r.starts_at")
    sql = f"""WITH late AS (
  SELECT DISTINCT c.reservation_id AS id
  FROM reservation_changes c JOIN reservations r ON r.id = c.reservation_id AND r.restaurant_id = $1
  WHERE c.restaurant_id = $1 AND c.type = 'reservation.canceled' AND r.date >= $2 AND r.date <= $3
    AND {late} < {LATE_CANCEL_HOURS * 3600}
)
SELECT r.date AS day, r.status AS status, r.archived_from AS archived_from, COUNT(*) AS n, SUM(r.guests) AS guests,
  SUM(CASE WHEN late.id IS NULL THEN 0 ELSE 1 END) AS late
FROM reservations r LEFT JOIN late ON late.id = r.id
WHERE r.restaurant_id = $1 AND r.date >= $2 AND r.date <= $3
GROUP BY r.date, r.status, r.archived_from"""
    found = await rows(sql, [period.restaurant_id, d.param_date(period.start), d.param_date(period.end)])
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in found:
        counts = groups[period.bucket(day_key(row["day"])).isoformat()]
        status = ended(str(row["status"]), row["archived_from"])
        counts[status] += int(row["n"])
        counts[f"{status}:guests"] += int(row["guests"] or 0)
        if status == "canceled":
            counts["late_canceled"] += int(row["late"] or 0)
    table = [_row(key.isoformat(), groups[key.isoformat()]) for key in period.buckets()]
    everything: dict[str, int] = defaultdict(int)
    for counts in groups.values():
        for name, value in counts.items():
            everything[name] += value
    total = _row("total", everything)
    return Report("bookings", period, COLUMNS, table, dict(zip(COLUMNS[1:], total[1:], strict=True)))


def _row(label: str, counts: dict[str, int]) -> list[Value]:
    bookings = sum(counts.get(s, 0) for s in STATUSES)
    not_canceled = bookings - counts.get("canceled", 0)
    covers = sum(counts.get(f"{s}:guests", 0) for s in ("created", "confirmed", "seated", "completed"))
    party = covers + counts.get("no_show:guests", 0)
    late = counts.get("late_canceled", 0)
    avg = round(party / not_canceled, 2) if not_canceled else None
    return [
        label,
        bookings,
        covers,
        *(counts.get(s, 0) for s in STATUSES),
        late,
        rate(counts.get("no_show", 0), not_canceled),
        rate(late, bookings),
        avg,
    ]
