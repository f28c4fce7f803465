"""Walk-ins: a party that comes in without a booking is seated now, at the best free table or the one
the host chose, as a ``seated`` reservation with the source :data:`WALK_IN`.

A walk-in needs no guest details. With a phone the guest is found (or created) like any other, so a
regular who walks in keeps their record; with only a name a guest of that name is created; with
neither, the reservation belongs to the restaurant's one anonymous walk-in guest (created on first
use). The booking window and the opening hours are not applied (the party is already at the door);
the tables and the pacing cap are. Nothing is sent to a walk-in: plugins that confirm bookings skip
the source ``walk_in`` (:func:`core.booking.sources.is_walk_in`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.booking import reads
from core.booking.availability import Setting, load_setting
from core.booking.commands import BookingRequest, GuestInput
from core.booking.guests import find_or_create_guest, normalise_phone, region_of
from core.booking.hours import to_local
from core.booking.service import BookingService
from core.booking.sources import WALK_IN
from core.errors import NotFound
from core.events import Actor
from core.models import Guest, Reservation, ReservationStatus

#: The name of the anonymous walk-in guest (and of a walk-in who gave a phone but no name).
WALK_IN_NAME = "Walk-in"
#: The identity ``(kind, id)`` by which the restaurant's anonymous walk-in guest is found.
ANONYMOUS = ("walk_in", "anonymous")


@dataclass
class WalkIn:
    """A party at the door: its size and, optionally, who they are (a known ``guest_id``, or a name and/or
    phone) and where the host seats them (``table_id``, or several ``table_ids`` combined by hand)."""

    guests: int
    guest_id: int | None = None
    name: str | None = None
    phone: str | None = None
    table_id: int | None = None
    duration: int | None = None
    comments: str | None = None
    tags: list[str] = field(default_factory=list)
    table_ids: list[int] | None = None


async def walk_in_guest(
    setting: Setting, name: str | None, phone: str | None
) -> tuple[Guest | None, GuestInput | None]:
    """Who a walk-in is, as the booking service takes it: a known guest (found by ``phone`` when no
    name is given, so a regular keeps their name; or the restaurant's anonymous walk-in guest when
    neither is given), else the details to find or create them by (created only once a table is found)."""
    rid = setting.restaurant.id
    name = (name or "").strip() or None
    phone = (phone or "").strip() or None
    if phone is not None:
        if name is None:
            known = await reads.guest(rid, phone=normalise_phone(phone, region_of(setting.restaurant.phone)))
            if known is not None:
                return known, None
        return None, GuestInput(name=name or WALK_IN_NAME, phone=phone)
    if name is not None:
        return None, GuestInput(name=name)
    return await find_or_create_guest(rid, name=WALK_IN_NAME, identity=ANONYMOUS), None


async def seat_walk_in(
    service: BookingService, restaurant_id: int, walk_in: WalkIn, *, actor: Actor = Actor.STAFF
) -> Reservation:
    """Seat ``walk_in`` now (the service's clock, in the restaurant's time zone, to the minute) and return
    the ``seated`` reservation, published as ``reservation.created``. Errors as
    :meth:`BookingService.create`: ``SlotUnavailable`` (with the next free times) when no table is free,
    ``NotFound`` for a table that is not the restaurant's, ``ValidationError`` for a bad phone or tag."""
    setting = await load_setting(restaurant_id)
    local_date, local_time = to_local(service.clock(), setting.rules.tz)
    if walk_in.guest_id is not None:
        guest, details = await reads.guest(restaurant_id, guest_id=walk_in.guest_id), None
        if guest is None:
            raise NotFound(f"Guest #{walk_in.guest_id} was not found.", details={"guestId": walk_in.guest_id})
    else:
        guest, details = await walk_in_guest(setting, walk_in.name, walk_in.phone)
    request = BookingRequest(
        date=local_date,
        time=local_time.replace(second=0, microsecond=0),
        guests=walk_in.guests,
        duration=walk_in.duration,
        table_id=walk_in.table_id,
        table_ids=walk_in.table_ids,
        comments=walk_in.comments,
        source=WALK_IN,
        status=ReservationStatus.SEATED,
        tags=walk_in.tags,
        guest=details,
    )
    return await service.create(restaurant_id, request, guest=guest, actor=actor)
