"""Reports: read models of how a restaurant and its bot did over a range of local dates.

One module per report family, each a function ``Period -> Report`` built on SQL aggregates that
run on PostgreSQL and SQLite alike (:mod:`core.reports.sql`), scoped to the restaurant in the
query. Nothing here writes; nothing in the booking engine calls this package.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.reports.bookings import bookings_report
from core.reports.bot import bot_report
from core.reports.channels import channels_report
from core.reports.heatmap import heatmap_report
from core.reports.lead_time import lead_time_report
from core.reports.period import MAX_DAYS, Period
from core.reports.reminders import reminders_report
from core.reports.table import Report
from core.reports.utilisation import utilisation_report

__all__ = ["MAX_DAYS", "REPORTS", "Period", "Report", "build"]

#: Every report by the name the API and the dashboard use.
REPORTS: dict[str, Callable[[Period], Awaitable[Report]]] = {
    "bookings": bookings_report,
    "channels": channels_report,
    "lead_time": lead_time_report,
    "heatmap": heatmap_report,
    "utilisation": utilisation_report,
    "bot": bot_report,
    "reminders": reminders_report,
}


async def build(name: str, period: Period) -> Report:
    """The report ``name`` over ``period``; ``KeyError`` for a name not in :data:`REPORTS`."""
    return await REPORTS[name](period)
