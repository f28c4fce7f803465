"""Whether reminders cut no-shows: the bookings of the range grouped by what happened to their reminder,
with the no-show rate of each group.

Groups (bookings of the range's local dates, archived ones as they ended):

* ``confirmed``: a reminder was sent and the guest confirmed from it;
* ``canceled``: a reminder was sent and the guest canceled from it (a later cancel wins over a confirm);
* ``no_answer``: a reminder was sent (or delivered) and the guest did not answer it;
* ``no_reminder``: no reminder was sent (none due, turned off, or no channel to send it on).

An answer is only ever given to a reminder that was sent, so a booking with an answer counts as reminded.

``no_show_rate`` is no-shows over the group's bookings that were not canceled. Sent reminders are
the ``reminder`` messages of the guest outbox that were sent; answers are the ``reminder_answer``
rows of ``ai_activities`` (see ``plugins/reminders/answers.py``).
"""

from __future__ import annotations

from core.reports.period import Period
from core.reports.sql import dialect, ended, rows
from core.reports.table import Report, Value, rate

GROUPS = ("confirmed", "canceled", "no_answer", "no_reminder")
COLUMNS = ["group", "bookings", "canceled", "no_show", "no_show_rate"]


async def reminders_report(period: Period) -> Report:
    """The ``reminders`` report of ``period`` (see the module docstring)."""
    d = dialect()
    reservation, outcome = d.json_text("a.metadata", "reservationId"), d.json_text("a.metadata", "outcome")
    sql = f"""WITH marks AS (
  SELECT o.reservation_id AS id, 0 AS answer FROM guest_outbox o
  WHERE o.restaurant_id = $1 AND o.kind = 'reminder' AND o.status IN ('sent', 'delivered')
    AND o.reservation_id IS NOT NULL
  UNION ALL
  SELECT CAST({reservation} AS INTEGER),
    CASE WHEN {outcome} = 'canceled' THEN 2 WHEN {outcome} = 'confirmed' THEN 1 ELSE 0 END
  FROM ai_activities a
  WHERE a.restaurant_id = $1 AND a.type = 'reminder_answer' AND {reservation} IS NOT NULL
), reminded AS (SELECT id, MAX(answer) AS answer FROM marks GROUP BY id)
SELECT COALESCE(x.answer, -1) AS code, r.status AS status, r.archived_from AS archived_from, COUNT(*) AS n
FROM reservations r LEFT JOIN reminded x ON x.id = r.id
WHERE r.restaurant_id = $1 AND r.date >= $2 AND r.date <= $3
GROUP BY 1, 2, 3"""
    names = {-1: "no_reminder", 0: "no_answer", 1: "confirmed", 2: "canceled"}
    counts: dict[str, dict[str, int]] = {group: {} for group in GROUPS}
    for row in await rows(sql, [period.restaurant_id, d.param_date(period.start), d.param_date(period.end)]):
        group = counts[names[int(row["code"])]]
        status = ended(str(row["status"]), row["archived_from"])
        group[status] = group.get(status, 0) + int(row["n"])
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
