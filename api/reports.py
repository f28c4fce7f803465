"""``GET /api/reports/{name}``: how the restaurant and its bot did over a range of local dates.

The reports are read models of :mod:`core.reports` (``bookings``, ``channels``, ``lead_time``,
``heatmap``, ``utilisation``, ``bot``, ``reminders``), answered as JSON (``columns``, ``rows``,
``totals``) or, with ``?format=csv``, as a CSV file streamed line by line; ``reservations`` is the
export of every booking of the range, CSV only, read from the database in batches so a year is
never held in memory. Any signed-in member of the restaurant may read them (nothing here writes).

Aggregates are cached in the restaurant's reports namespace until the next write that changes
them (every reservation, table, hours, restaurant, guest and conversation event invalidates it,
:mod:`api.cache_invalidation`), and at most :data:`CACHE_TTL` seconds for what no event announces
(a reminder sent by the worker).
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import timedelta
from typing import Any

from quart import Blueprint, Response, current_app
from quart_schema import tag, validate_querystring

from api.cache_invalidation import restaurant_cache
from api.openapi import answers_error, documents_response
from api.schemas.reports import ReportOut, ReportQuery
from api.security import login_required, restaurant_scope
from core.booking.availability import load_setting
from core.booking.hours import to_local
from core.errors import NotFound, ValidationError
from core.reports import REPORTS, Period, build
from core.reports.export import COLUMNS as EXPORT_COLUMNS
from core.reports.export import reservation_rows
from core.reports.table import Value
from core.runtime import runtime_of

blueprint = Blueprint("reports", __name__, url_prefix="/api/reports")
CACHE_TTL = 300.0
DEFAULT_DAYS = 30
EXPORT = "reservations"
NAMES = (*REPORTS, EXPORT)


@blueprint.get("/<name>")
@tag(["reports"])
@login_required
@validate_querystring(ReportQuery)
@documents_response(ReportOut, also={"text/csv": "With `format=csv`: the same columns and rows as a CSV file."})
@answers_error(404, f"no report of that name (one of: {', '.join(NAMES)})")
@answers_error(400, "`from` is after `to`, the range is longer than 366 days, or `reservations` asked as JSON")
async def report(name: str, query_args: ReportQuery) -> Any:
    """One report over the restaurant's local dates ``from``..``to`` (both included; default the 30 days
    to today), ``by=day|week``, as JSON or ``format=csv``. Reports: ``bookings`` (by status, covers,
    no-show and late-cancel rates, party size), ``channels`` (bookings by source, LLM or guided),
    ``lead_time``, ``heatmap`` (covers by weekday and hour), ``utilisation`` (per table), ``bot`` (by
    language), ``reminders`` (no-show rate by answer); ``reservations``: every booking, CSV only."""
    rid = restaurant_scope()
    if name not in NAMES:
        raise NotFound(f"There is no report {name!r}. Reports: {', '.join(NAMES)}.")
    period = await _period(rid, query_args)
    if name == EXPORT:
        if query_args.format != "csv":
            raise ValidationError("The reservations export is CSV only: ask with format=csv.", code="csv_only")
        return _csv(name, period, EXPORT_COLUMNS, reservation_rows(period))

    async def load() -> dict[str, Any]:
        return (await build(name, period)).as_json()

    key = f"report:{name}:{period.start}:{period.end}:{period.by}"
    answer = await restaurant_cache(runtime_of(current_app)).cached(rid, key, load, ttl=CACHE_TTL, reports=True)
    if query_args.format == "csv":
        return _csv(name, period, answer["columns"], _each(answer["rows"]))
    return ReportOut.model_validate(answer).model_dump(mode="json", by_alias=True)


async def _period(restaurant_id: int, query: ReportQuery) -> Period:
    """The asked range in the restaurant's time zone (default: the 30 days to its today)."""
    setting = await load_setting(restaurant_id)
    today = to_local(runtime_of(current_app).clock(), setting.rules.tz)[0]
    end = query.date_to or (
        query.date_from + timedelta(days=DEFAULT_DAYS - 1) if query.date_from is not None else today
    )
    start = query.date_from or end - timedelta(days=DEFAULT_DAYS - 1)
    return Period(restaurant_id, start, end, setting.rules.timezone, query.by)


async def _each(rows: Iterable[Sequence[Value]]) -> AsyncIterator[Sequence[Value]]:
    for row in rows:
        yield row


def _csv(name: str, period: Period, columns: Sequence[str], rows: AsyncIterator[Sequence[Value]]) -> Response:
    """A CSV download streamed a batch of lines at a time."""

    async def lines() -> AsyncIterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        count = 0
        async for row in rows:
            writer.writerow(["" if value is None else value for value in row])
            count += 1
            if count % 500 == 0:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode()

    filename = f"tobeout-{name}-{period.start}-{period.end}.csv"
    response = Response(lines(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
