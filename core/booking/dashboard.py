"""The dashboard's figures, computed by the engine in the restaurant's own today."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.functions import Count, Sum

from core.booking.availability import load_setting
from core.booking.hours import to_local
from core.models import ACTIVE_STATUSES, Reservation, ReservationStatus


async def dashboard_stats(restaurant_id: int, *, now: datetime) -> dict[str, int]:
    """The four figures of the seed's dashboard, with "today" the restaurant's local date at ``now``:

    * ``todayReservations``: reservations dated today, whatever their status except ``canceled``
      and ``archived`` (so arrivals, guests seated, completed meals and no-shows all count);
    * ``confirmedReservations``: ``confirmed`` reservations dated today or later;
    * ``pendingReservations``: ``created`` (not yet confirmed) reservations dated today or later;
    * ``totalGuests``: guests of the active (created, confirmed, seated) reservations dated today
      or later: the covers still expected.
    """
    setting = await load_setting(restaurant_id)
    today = to_local(now, setting.rules.tz)[0]
    today_count = (
        await Reservation.filter(restaurant_id=restaurant_id, date=today)
        .exclude(status__in=[ReservationStatus.CANCELED, ReservationStatus.ARCHIVED])
        .count()
    )
    rows = (
        await Reservation.filter(restaurant_id=restaurant_id, date__gte=today, status__in=list(ACTIVE_STATUSES))
        .annotate(n=Count("id"), covers=Sum("guests"))
        .group_by("status")
        .values("status", "n", "covers")
    )
    by_status = {ReservationStatus(r["status"]): (int(r["n"]), int(r["covers"] or 0)) for r in rows}
    return {
        "todayReservations": today_count,
        "confirmedReservations": by_status.get(ReservationStatus.CONFIRMED, (0, 0))[0],
        "pendingReservations": by_status.get(ReservationStatus.CREATED, (0, 0))[0],
        "totalGuests": sum(covers for _n, covers in by_status.values()),
    }


async def upcoming(
    restaurant_id: int, *, now: datetime, limit: int = 10, hours: int | None = None
) -> list[Reservation]:
    """The next ``limit`` reservations still to arrive, soonest first: ``created`` or ``confirmed``
    whose meal has not ended at ``now`` (a late guest stays listed), starting within ``hours``
    when given. Guest, table and allocations are fetched."""
    query = Reservation.filter(
        restaurant_id=restaurant_id,
        status__in=[ReservationStatus.CREATED, ReservationStatus.CONFIRMED],
        ends_at__gt=now,
    )
    if hours is not None:
        query = query.filter(starts_at__lt=now + timedelta(hours=hours))
    return list(
        await query.order_by("starts_at", "id").limit(max(limit, 0)).prefetch_related("guest", "table", "allocations")
    )
