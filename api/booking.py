"""``POST /api/booking/create``, ``POST /api/booking/cancel/<id>``, ``GET /api/booking/availability``.

Availability answers are cached for 30 s in the restaurant's namespace
(``restaurant:<id>``), which every reservation, table and hours event invalidates,
so an answer never predates the last write.
"""

from __future__ import annotations

from typing import Any

from quart import Blueprint, current_app
from quart_schema import tag, validate_querystring, validate_request, validate_response

from api.cache_invalidation import restaurant_cache
from api.openapi import answers_error
from api.reservations import booking_service, placed_view
from api.schemas.reservations import (
    Alternative,
    AvailabilityAnswer,
    AvailabilityOut,
    AvailabilityQuery,
    BookingCreate,
    ConflictOut,
    DayTimesOut,
    ReservationOut,
)
from api.security import login_required, restaurant_scope
from core.booking import availability
from core.booking.service import BookingRequest, GuestInput
from core.booking.views import ReservationView, reservation_view
from core.booking.walkin import WalkIn, seat_walk_in
from core.models import Table
from core.runtime import runtime_of

blueprint = Blueprint("booking", __name__, url_prefix="/api/booking")
CACHE_TTL = 30.0
DEFAULT_SOURCE = "staff"


def table_brief(table: Table) -> dict[str, Any]:
    return {"id": table.id, "name": table.name, "minGuests": table.min_guests, "maxGuests": table.max_guests}


@blueprint.post("/create")
@tag(["booking"])
@answers_error(400, "a booking rule refuses it: in the past, outside the hours or booking window, too many guests")
@answers_error(404, "the guest or the table named in the body is not the restaurant's")
@login_required
@validate_request(BookingCreate)
@validate_response(ReservationOut, 201)
@validate_response(ConflictOut, 409)
async def create(data: BookingCreate) -> tuple[ReservationOut, int]:
    """Book a table: the given ``tableId`` or the best free fit (a combination if needed), for the
    guest ``guestId`` or ``guest`` {name, phone and/or email, language?} (found by phone, else by e-mail,
    else created).
    409 ``{message, alternatives: [{date, time}]}`` when nothing fits; 400 when a booking rule refuses.
    ``tableIds``: tables staff combine by hand (main first), whatever their seats; when they seat fewer than
    the party the answer carries ``warning`` ``{code: over_capacity, message, seats, guests}``. Tables taken
    at that time are still refused (409), by the database if two writers race.
    ``"source": "walk_in"``: seat the party now (no date or time; ``guestId`` or ``guest`` {name?, phone?}
    optional) at ``tableId`` or the best free table; answers the ``seated`` reservation."""
    rid = restaurant_scope()
    if data.walk_in:
        walk_in = WalkIn(
            guests=data.guests,
            guest_id=data.guest_id,
            name=data.guest.name if data.guest else None,
            phone=data.guest.phone if data.guest else None,
            table_id=data.table_id,
            table_ids=data.table_ids,
            duration=data.duration,
            comments=data.comments,
            tags=data.tags,
        )
        return await placed_view(await seat_walk_in(booking_service(), rid, walk_in), data.chosen), 201
    guest = None
    if data.guest is not None:
        assert data.guest.name is not None  # the schema requires it for anything but a walk-in
        guest = GuestInput(
            name=data.guest.name, phone=data.guest.phone, email=data.guest.email, language=data.guest.language
        )
    assert data.date is not None and data.time is not None
    request = BookingRequest(
        date=data.date,
        time=data.time,
        guests=data.guests,
        duration=data.duration,
        table_id=data.table_id,
        table_ids=data.table_ids,
        comments=data.comments,
        source=data.source or DEFAULT_SOURCE,
        guest_id=data.guest_id,
        guest=guest,
        tags=data.tags,
    )
    reservation = await booking_service().create(rid, request)
    return await placed_view(reservation, data.chosen), 201


@blueprint.post("/cancel/<int:reservation_id>")
@tag(["booking"])
@answers_error(409, "the reservation's status no longer allows it (code `invalid_transition`)")
@login_required
@validate_response(ReservationOut)
async def cancel(reservation_id: int) -> ReservationView:
    """Cancel a reservation (409 when its status no longer allows it, e.g. completed)."""
    rid = restaurant_scope()
    service = booking_service()
    await service.cancel(rid, reservation_id)
    return reservation_view(await service.get(rid, reservation_id))


@blueprint.get("/availability")
@tag(["booking"])
@login_required
@validate_querystring(AvailabilityQuery)
@validate_response(AvailabilityAnswer)
async def check(query_args: AvailabilityQuery) -> dict[str, Any]:
    """With ``time``: ``{available, tables, options, alternatives}`` (``tables`` is the best option,
    ``options`` every way to seat the party, best first). Without ``time``: ``{date, guests, times}``,
    the day's bookable start times. Cached 30 s, invalidated by every write."""
    rid = restaurant_scope()
    runtime = runtime_of(current_app)
    now = runtime.clock()
    q = query_args
    stamp = f"{now:%Y%m%dT%H%M}"

    if q.time is None:

        async def load_day() -> dict[str, Any]:
            times = await availability.day_view(rid, q.date, q.guests, duration=q.duration, now=now)
            return DayTimesOut(date=q.date, guests=q.guests, times=times).model_dump(mode="json", by_alias=True)

        key = f"availability:day:{q.date}:{q.guests}:{q.duration}:{stamp}"
        return await restaurant_cache(runtime).cached(rid, key, load_day, ttl=CACHE_TTL)

    at = q.time

    async def load() -> dict[str, Any]:
        result = await availability.check_availability(rid, q.date, at, q.guests, duration=q.duration, now=now)
        options = [[table_brief(t) for t in option] for option in result.options]
        answer = AvailabilityOut(
            available=result.available,
            date=result.date,
            time=f"{result.time:%H:%M}",
            duration=result.duration,
            tables=options[0] if options else [],
            options=options,
            alternatives=[Alternative(date=free.day, time=f"{free.at:%H:%M}") for free in result.alternatives],
        )
        return answer.model_dump(mode="json", by_alias=True)

    key = f"availability:{q.date}:{q.time:%H:%M}:{q.guests}:{q.duration}:{stamp}"
    return await restaurant_cache(runtime).cached(rid, key, load, ttl=CACHE_TTL)
