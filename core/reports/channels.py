"""Where bookings come from: each source (web chat, Telegram, WhatsApp, form, SMS, e-mail, staff,
walk-in, API...) with its bookings and covers, and for the chat channels whether the LLM or the
guided dialog made the booking.

Counted by the booking's local date, like :mod:`core.reports.bookings`; ``source`` is the stored
``Reservation.source`` (``unknown`` when none was recorded). A booking was made by the LLM when the
model's ``create_reservation`` tool call that created it is in ``ai_activities``; a booking of a
source on which this restaurant has conversations (a chat channel) made otherwise was made by the
guided dialog. ``llm`` and ``guided`` are 0 for sources that are not chat channels.
"""

from __future__ import annotations

from core.reports.period import Period
from core.reports.sql import EFFECTIVE_STATUS, dialect, rows
from core.reports.table import Report, rate

COLUMNS = ["source", "bookings", "covers", "share", "llm", "guided"]
#: The LLM's booking tool, whose recorded calls name the reservations the model created.
BOOKING_TOOL = "create_reservation"


async def channels_report(period: Period) -> Report:
    """The ``channels`` report of ``period`` (see the module docstring)."""
    d = dialect()
    made_by_llm = d.json_text("a.metadata", "result", "reservation", "id")
    sql = f"""WITH llm AS (
  SELECT CAST({made_by_llm} AS INTEGER) AS id FROM ai_activities a
  WHERE a.restaurant_id = $1 AND a.type = 'tool_call' AND a.message = '{BOOKING_TOOL}'
    AND {made_by_llm} IS NOT NULL AND {d.instant("a.created_at")} < {d.instant("$4")}
), chats AS (SELECT DISTINCT channel FROM conversations WHERE restaurant_id = $1)
SELECT COALESCE(r.source, 'unknown') AS source, COUNT(*) AS n,
  SUM(CASE WHEN {EFFECTIVE_STATUS} IN ('canceled', 'no_show') THEN 0 ELSE r.guests END) AS covers,
  SUM(CASE WHEN r.id IN (SELECT id FROM llm) THEN 1 ELSE 0 END) AS by_llm,
  SUM(CASE WHEN r.source IN (SELECT channel FROM chats) AND r.id NOT IN (SELECT id FROM llm) THEN 1 ELSE 0 END)
    AS by_guided
FROM reservations r
WHERE r.restaurant_id = $1 AND r.date >= $2 AND r.date <= $3
GROUP BY COALESCE(r.source, 'unknown')"""
    args = [
        period.restaurant_id,
        d.param_date(period.start),
        d.param_date(period.end),
        d.param_instant(period.ends_at),
    ]
    found = sorted(await rows(sql, args), key=lambda row: (-int(row["n"]), str(row["source"])))
    total = sum(int(row["n"]) for row in found)
    table = [
        [
            str(row["source"]),
            int(row["n"]),
            int(row["covers"] or 0),
            rate(int(row["n"]), total),
            int(row["by_llm"] or 0),
            int(row["by_guided"] or 0),
        ]
        for row in found
    ]
    totals = {
        "bookings": total,
        "covers": sum(int(r[2] or 0) for r in table),
        "llm": sum(int(r[4] or 0) for r in table),
        "guided": sum(int(r[5] or 0) for r in table),
    }
    return Report("channels", period, COLUMNS, table, totals)
