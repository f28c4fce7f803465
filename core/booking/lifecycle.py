"""The reservation lifecycle the worker runs: no-shows, completed visits, archiving.

Per restaurant (its profile): a booking still ``created`` or ``confirmed``
``no_show_after_minutes`` (30) after its start becomes ``no_show`` (``None``: never, staff mark
no-shows themselves); a ``seated`` one
becomes ``completed`` once its end has passed; ``completed``, ``canceled`` and ``no_show``
ones are ``archived`` ``archive_after_days`` (30) after their end. Every move goes through
the booking service as :attr:`core.events.Actor.SYSTEM` (so it publishes its event and
notifies nobody). A guest's visit and no-show counts follow from the statuses
(``core.booking.queries.guest_history``; an archived booking counts as what it was).

Each sweep reads the restaurants' settings and the candidates of each move in a fixed
number of queries, whatever the number of reservations; at most ``limit`` moves of each
kind are made per sweep, the rest on the next one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.booking.service import BookingService
from core.errors import DomainError
from core.events import Actor
from core.models import Reservation, ReservationStatus, Restaurant

log = logging.getLogger(__name__)

S = ReservationStatus
FINISHED = (S.COMPLETED, S.CANCELED, S.NO_SHOW)


@dataclass
class SweepResult:
    """How many reservations each move changed."""

    no_show: int = 0
    completed: int = 0
    archived: int = 0

    @property
    def total(self) -> int:
        """All moves made."""
        return self.no_show + self.completed + self.archived


async def sweep(service: BookingService, now: datetime, *, limit: int = 200) -> SweepResult:
    """Make the lifecycle moves due at ``now`` (see the module docstring)."""
    result = SweepResult()
    settings = {
        row["id"]: row for row in await Restaurant.all().values("id", "no_show_after_minutes", "archive_after_days")
    }
    if not settings:
        return result
    # Restaurants that switched no-shows off are left out of the query, so their bookings never
    # fill the ``limit`` and starve the others'.
    marking = [rid for rid, r in settings.items() if r["no_show_after_minutes"] is not None]
    late: list[dict[str, Any]] = []
    if marking:
        earliest_no_show = min(max(0, int(settings[rid]["no_show_after_minutes"])) for rid in marking)
        late = (
            await Reservation.filter(
                restaurant_id__in=marking,
                status__in=[S.CREATED, S.CONFIRMED],
                starts_at__lte=now - timedelta(minutes=earliest_no_show),
            )
            .order_by("starts_at", "id")
            .limit(limit)
            .values("id", "restaurant_id", "starts_at")
        )
    for row in late:
        rules = settings.get(row["restaurant_id"])
        if rules and row["starts_at"] + timedelta(minutes=int(rules["no_show_after_minutes"])) <= now:
            result.no_show += await _move(service, row, S.NO_SHOW)
    ended = (
        await Reservation.filter(status=S.SEATED, ends_at__lte=now)
        .order_by("ends_at", "id")
        .limit(limit)
        .values("id", "restaurant_id")
    )
    for row in ended:
        result.completed += await _move(service, row, S.COMPLETED)
    earliest_archive = min(max(1, int(r["archive_after_days"])) for r in settings.values())
    old = (
        await Reservation.filter(status__in=list(FINISHED), ends_at__lte=now - timedelta(days=earliest_archive))
        .order_by("ends_at", "id")
        .limit(limit)
        .values("id", "restaurant_id", "ends_at")
    )
    for row in old:
        rules = settings.get(row["restaurant_id"])
        if rules and row["ends_at"] + timedelta(days=int(rules["archive_after_days"])) <= now:
            result.archived += await _move(service, row, S.ARCHIVED)
    return result


async def _move(service: BookingService, row: dict[str, Any], target: ReservationStatus) -> int:
    try:
        await service.set_status(row["restaurant_id"], row["id"], target, actor=Actor.SYSTEM)
    except DomainError as exc:  # staff moved it meanwhile: nothing to do
        log.info("lifecycle: reservation %s not moved to %s: %s", row["id"], target, exc.message)
        return 0
    return 1
