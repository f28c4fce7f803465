"""Whether reminders cut no-shows: the bookings of the range grouped by what happened to their reminder,
with the no-show rate of each group.

Groups (bookings of the range's local dates, archived ones as they ended):

* ``confirmed``: a reminder was sent and the guest confirmed from it;
* ``canceled``: a reminder was sent and the guest canceled from it (a later cancel wins over a confirm);
* ``no_answer``: a reminder was sent (or delivered) and the guest did not answer it;
* ``no_reminder``: no reminder was sent (none due, turned off, or no channel to send it on).

``no_show_rate`` is no-shows over the group's bookings that were not canceled. Sent reminders are
the ``reminder`` messages of the guest outbox that were sent; answers are the ``reminder_answer``
rows of ``ai_activities`` (see ``plugins/reminders/answers.py``).
"""

from __future__ import annotations

from core.reports.period import Period
from core.reports.sql import EFFECTIVE_STATUS, dialect, rows
from core.reports.table import Report, Value, rate

GROUPS = ("confirmed", "canceled", "no_answer", "no_reminder")
COLUMNS = ["group", "bookings", "canceled", "no_show", "no_show_rate"]


async def reminders_report(period: Period) -> Report:
    """The ``reminders`` report of ``period`` (see the module docstring)."""
    d = dialect()
    reservation, outcome = d.json_text("a.metadata", "reservationId"), d.json_text("a.metadata", "outcome")
    sql = f"""WITH sent AS (
  SELECT DISTINCT o.reservation_id AS id FROM guest_outbox o
  WHERE o.restaurant_id = $1 AND o.kind = 'reminder' AND o.status IN ('sent', 'delivered')
    AND o.reservation_id IS NOT NULL
), answers AS (
  SELECT CAST({reservation} AS INTEGER) AS id,
    MAX(CASE WHEN {outcome} = 'canceled' THEN 2 WHEN {outcome} = 'confirmed' THEN 1 ELSE 0 END) AS answer
  FROM ai_activities a
  WHERE a.restaurant_id = $1 AND a.type = 'reminder_answer' AND {reservation} IS NOT NULL
  GROUP BY 1
)
SELECT CASE WHEN r.id NOT IN (SELECT id FROM sent) THEN 'no_reminder'
    WHEN x.answer = 2 THEN 'canceled' WHEN x.answer = 1 THEN 'confirmed' ELSE 'no_answer' END AS grp,
  {EFFECTIVE_STATUS} AS status, COUNT(*) AS n
FROM reservations r LEFT JOIN answers x ON x.id = r.id
WHERE r.restaurant_id = $1 AND r.date >= $2 AND r.date <= $3
GROUP BY 1, 2"""
    counts: dict[str, dict[str, int]] = {group: {} for group in GROUPS}
    for row in await rows(sql, [period.restaurant_id, d.param_date(period.start), d.param_date(period.end)]):
        group = counts[str(row["grp"])]
        group[str(row["status"])] = group.get(str(row["status"]), 0) + int(row["n"])
    table = [_row(group, counts[group]) for group in GROUPS]
    reminded = [r for r in table if r[0] != "no_reminder"]
    totals: dict[str, Value] = {
        "reminded": sum(int(r[1] or 0) for r in reminded),
        "answered": sum(int(r[1] or 0) for r in reminded if r[0] != "no_answer"),
    }
    return Report("reminders", period, COLUMNS, table, totals)


def _row(group: str, statuses: dict[str, int]) -> list[Value]:
    bookings = sum(statuses.values())
    canceled, no_show = statuses.get("canceled", 0), statuses.get("no_show", 0)
    return [group, bookings, canceled, no_show, rate(no_show, bookings - canceled)]
