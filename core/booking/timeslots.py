"""The seed's timeslots: a grid of starts per table, generated from opening hours, whose
status is derived from the reservations so that stats always agree with them.

A timeslot covers ``[time, time + duration)`` on its table (``duration`` is the
restaurant's slot interval when generated). Its status is computed, never trusted
from the stored column: ``occupied`` when a ``confirmed`` or ``seated``
reservation on that table overlaps it, ``pending`` when only a ``created`` one
does, else ``free``. Reading never writes: :func:`list_timeslots` returns the
computed status on the objects and leaves the stored column as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from core.booking.assignment import usable
from core.booking.availability import load_setting
from core.booking.hours import parse_local_date, service_intervals, to_local
from core.models import ReservationStatus, ReservationTable, Timeslot, TimeslotStatus
from core.storage import storage

_OCCUPYING = (ReservationStatus.CONFIRMED, ReservationStatus.SEATED)


#: The furthest ahead timeslots are generated (days), so one request stays bounded.
MAX_DAYS = 92


async def generate_timeslots(restaurant_id: int, *, days: int, start: date | None = None, now: datetime) -> int:
    """Create the missing timeslots for ``days`` local dates (at most :data:`MAX_DAYS`) from ``start``
    (default: the restaurant's today at ``now``): for every bookable table, every slot-interval step
    from each opening to its close (past-midnight steps belong to the date they fall on). Idempotent;
    returns how many were created.

    Only the grid of (date, time) steps is computed here (a few thousand at most); the rows are made by
    the database in set operations (one ``INSERT … SELECT … unnest`` on PostgreSQL, chunks of
    ``VALUES`` on SQLite), so the event loop is never busy building them.
    """
    setting = await load_setting(restaurant_id)
    rules = setting.rules
    first = parse_local_date(start) if start is not None else to_local(now, rules.tz)[0]
    last = first + timedelta(days=min(max(days, 0), MAX_DAYS) - 1)
    if last < first:
        return 0
    step = timedelta(minutes=rules.slot_interval_minutes)
    grid: dict[tuple[date, time], None] = {}
    day = first - timedelta(days=1)
    while day <= last:
        for opens, closes in service_intervals(day, rules):
            at = opens
            while at < closes:
                local_date, local_time = to_local(at, rules.tz)
                if first <= local_date <= last:
                    grid.setdefault((local_date, local_time.replace(fold=0)), None)
                at += step
        day += timedelta(days=1)
    tables = [table.id for table in setting.tables if usable(table)]
    if not grid or not tables:
        return 0
    duration = rules.slot_interval_minutes
    return await storage().insert_timeslots(restaurant_id, duration, list(grid), tables, (first, last), now)


async def _statuses(restaurant_id: int, local_date: date) -> list[tuple[Timeslot, TimeslotStatus]]:
    setting = await load_setting(restaurant_id)
    zone = setting.rules.tz
    slots = list(await Timeslot.filter(restaurant_id=restaurant_id, date=local_date).order_by("time", "table_id"))
    if not slots:
        return []
    spans = {}
    for slot in slots:
        begins = datetime.combine(local_date, slot.time, tzinfo=zone).astimezone(UTC)
        spans[slot.id] = (begins, begins + timedelta(minutes=slot.duration or setting.rules.slot_interval_minutes))
    lo = min(s for s, _ in spans.values())
    hi = max(e for _, e in spans.values())
    rows = await ReservationTable.filter(
        restaurant_id=restaurant_id,
        table_id__in=list({s.table_id for s in slots}),
        active=True,
        starts_at__lt=hi,
        starts_at__gte=lo - timedelta(days=2),
    ).values_list("table_id", "reservation__starts_at", "reservation__ends_at", "reservation__status")
    by_table: dict[int, list[tuple[datetime, datetime, ReservationStatus]]] = {}
    for table_id, starts_at, ends_at, status in rows:
        by_table.setdefault(table_id, []).append((starts_at, ends_at, ReservationStatus(status)))
    out = []
    for slot in slots:
        begins, ends = spans[slot.id]
        hits = [st for s, e, st in by_table.get(slot.table_id, ()) if s < ends and e > begins]
        status = (
            TimeslotStatus.OCCUPIED
            if any(st in _OCCUPYING for st in hits)
            else TimeslotStatus.PENDING
            if hits
            else TimeslotStatus.FREE
        )
        out.append((slot, status))
    return out


async def list_timeslots(restaurant_id: int, local_date: date | str) -> list[Timeslot]:
    """The timeslots of local ``local_date`` ordered by time and table, each with its current
    ``status`` (computed; nothing is written)."""
    out = []
    for slot, status in await _statuses(restaurant_id, parse_local_date(local_date)):
        slot.status = status
        out.append(slot)
    return out


async def timeslot_stats(restaurant_id: int, local_date: date | str) -> dict[str, int]:
    """``{"total", "free", "pending", "occupied"}`` for the timeslots of local ``local_date``, computed
    from the reservations (see the module docstring)."""
    counts = {"total": 0, "free": 0, "pending": 0, "occupied": 0}
    for _slot, status in await _statuses(restaurant_id, parse_local_date(local_date)):
        counts["total"] += 1
        counts[str(status)] += 1
    return counts
