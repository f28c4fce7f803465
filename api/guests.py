"""Guests: search, create, read (with their record here), update."""

from __future__ import annotations

from quart import Blueprint
from quart_schema import tag, validate_querystring, validate_request, validate_response

from api.common import one, out, paginate, publish_change
from api.openapi import answers_error
from api.schemas import Page
from api.schemas.guests import GuestDetail, GuestIn, GuestOut, GuestQuery, GuestUpdate
from api.security import login_required, restaurant_scope
from core.booking.guests import restaurant_region, search_condition
from core.booking.queries import guest_history, tagged
from core.booking.view_json import reservation_json
from core.errors import Conflict
from core.events import GUEST_CHANGED
from core.models import Guest

blueprint = Blueprint("guests", __name__, url_prefix="/api/guests")
RECENT_RESERVATIONS = 10


async def _phone_taken(rid: int, phone: str | None, guest_id: int | None = None) -> None:
    if not phone:
        return
    query = Guest.filter(restaurant_id=rid, phone=phone)
    if guest_id is not None:
        query = query.exclude(id=guest_id)
    existing = await query.first()
    if existing is not None:
        raise Conflict("Another guest already has this phone number.", details={"guestId": existing.id})


async def _email_taken(rid: int, email: str | None, guest_id: int | None = None) -> None:
    if not email:
        return
    query = Guest.filter(restaurant_id=rid, email=email.lower())  # stored in lower case: the index serves it
    if guest_id is not None:
        query = query.exclude(id=guest_id)
    existing = await query.first()
    if existing is not None:
        raise Conflict("Another guest already has this e-mail address.", details={"guestId": existing.id})


@blueprint.get("")
@tag(["guests"])
@login_required
@validate_querystring(GuestQuery)
@validate_response(Page[GuestOut])
async def list_guests(query_args: GuestQuery) -> Page[GuestOut]:
    """The restaurant's guests by name; ``?q=`` matches the name case-insensitively in any script, the
    phone in any format a guest's phone is accepted in, or the e-mail; ``?tag=vip`` keeps the guests tagged so.
    Paginated."""
    rid = restaurant_scope()
    query = Guest.filter(restaurant_id=rid)
    if query_args.q and query_args.q.strip():
        query = query.filter(search_condition(query_args.q, await restaurant_region(rid)))
    if query_args.tag:
        query = tagged(query, query_args.tag)
    return await paginate(query.order_by("name", "id"), GuestOut, query_args.page, query_args.page_size)


@blueprint.post("")
@tag(["guests"])
@answers_error(409, "another guest already has this phone number or e-mail address (`guestId` names them)")
@login_required
@validate_request(GuestIn)
@validate_response(GuestOut, 201)
async def create_guest(data: GuestIn) -> tuple[GuestOut, int]:
    """Add a guest. The phone is stored in E.164 (it needs a country code), the e-mail in lower case; 409 when
    another guest has either (guests are found by them when booked)."""
    rid = restaurant_scope()
    await _phone_taken(rid, data.phone)
    await _email_taken(rid, data.email)
    guest = await Guest.create(restaurant_id=rid, **data.model_dump())
    await publish_change(GUEST_CHANGED, rid, {"guestId": guest.id, "action": "created"})
    return out(GuestOut, guest), 201


@blueprint.get("/<int:guest_id>")
@tag(["guests"])
@login_required
@validate_response(GuestDetail)
async def get_guest(guest_id: int) -> GuestDetail:
    """A guest with ``visitCount`` (completed or seated), ``noShows``, ``reservationCount`` and
    ``recentReservations`` (newest first, the reservation shape of ``/api/reservations``)."""
    rid = restaurant_scope()
    guest = await one(Guest.filter(restaurant_id=rid, id=guest_id), "No such guest.")
    history = await guest_history(rid, guest.id, recent=RECENT_RESERVATIONS)
    return out(
        GuestDetail,
        guest,
        visit_count=history.visits,
        no_shows=history.no_shows,
        reservation_count=history.reservations,
        recent_reservations=[reservation_json(view) for view in history.recent],
    )


@blueprint.put("/<int:guest_id>")
@tag(["guests"])
@answers_error(409, "another guest already has this phone number or e-mail address (`guestId` names them)")
@login_required
@validate_request(GuestUpdate)
@validate_response(GuestOut)
async def update_guest(guest_id: int, data: GuestUpdate) -> GuestOut:
    """Change the fields sent; ``null`` clears phone, e-mail or notes."""
    rid = restaurant_scope()
    guest = await one(Guest.filter(restaurant_id=rid, id=guest_id), "No such guest.")
    changes = {name: value for name, value in data.sent().items() if getattr(guest, name) != value}
    if "phone" in changes:
        await _phone_taken(rid, changes["phone"], guest.id)
    if "email" in changes:
        await _email_taken(rid, changes["email"], guest.id)
    if changes:
        for name, value in changes.items():
            setattr(guest, name, value)
        await guest.save(update_fields=list(changes))
        await publish_change(GUEST_CHANGED, rid, {"guestId": guest.id, "action": "updated", "fields": sorted(changes)})
    return out(GuestOut, guest)
