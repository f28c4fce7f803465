"""``GET /api/reservations`` (filters, pages), ``GET|PATCH /api/reservations/<id>``.

Reads go through :mod:`core.booking.queries`, writes through the booking service;
this module builds no reservation query of its own. Another restaurant's
reservation answers 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from quart import Blueprint, current_app
from quart_schema import tag, validate_querystring, validate_request, validate_response

from api.common import out
from api.openapi import answers_error
from api.schemas.reservations import (
    ConflictOut,
    CorrectionIn,
    ReservationChangeOut,
    ReservationMessageOut,
    ReservationOut,
    ReservationPage,
    ReservationPatch,
    ReservationQuery,
    ReservationSearchOut,
    ReservationSearchQuery,
    ReservationStatusesOut,
    SeatingWarningOut,
)
from api.security import login_required, principal, restaurant_scope
from core.booking import queries
from core.booking.chosen_tables import OVER_CAPACITY, warning_for
from core.booking.corrections import correct_status
from core.booking.guests import restaurant_region
from core.booking.refusal_text import seating_english
from core.booking.service import BookingService, ReservationChanges
from core.booking.states import status_model
from core.booking.views import ReservationView, reservation_view, table_ids
from core.errors import NotFound, ValidationError
from core.jsontypes import JSONObject, text_at
from core.models import Reservation, User
from core.outbox import replies_of
from core.runtime import runtime_of

blueprint = Blueprint("reservations", __name__, url_prefix="/api/reservations")

#: Fields of a PATCH that go through ``modify`` (with ``status``, in the same transaction).
MODIFIABLE = ("date", "time", "guests", "table_id", "table_ids", "duration", "comments", "tags")


def booking_service() -> BookingService:
    """The booking service of this app (its bus and clock)."""
    runtime = runtime_of(current_app)
    return BookingService(runtime.bus, runtime.clock)


async def placed_view(reservation: Reservation, chosen: bool) -> ReservationOut:
    """The reservation as answered; after a write on tables staff ``chosen``, with the ``warning`` when they
    seat fewer than the party (:func:`core.booking.chosen_tables.seating_warning`)."""
    answer = ReservationOut.model_validate(reservation_view(reservation))
    if chosen:
        warning = await warning_for(reservation, table_ids(reservation))
        if warning is not None:
            answer.warning = SeatingWarningOut(
                code=OVER_CAPACITY, message=seating_english(warning), seats=warning.seats, guests=warning.guests
            )
    return answer


@blueprint.get("")
@tag(["reservations"])
@login_required
@validate_querystring(ReservationQuery)
@validate_response(ReservationPage)
async def list_reservations(query_args: ReservationQuery) -> dict[str, Any]:
    """The restaurant's reservations ordered by date and time, filtered by ``date``, ``from``/``to``,
    ``status`` (comma-separated), ``q`` (guest name, phone or e-mail) and ``tag`` (the booking's or its guest's
    tags); ``{items, total, page, pageSize}``."""
    rid = restaurant_scope()
    items, total = await queries.list_reservations(
        rid,
        date=query_args.date,
        date_from=query_args.date_from,
        date_to=query_args.to,
        statuses=query_args.status,
        q=query_args.q,
        tag=query_args.tag,
        region=await restaurant_region(rid) if query_args.q else None,
        page=query_args.page,
        page_size=query_args.page_size,
    )
    return {
        "items": items,
        "total": total,
        "page": query_args.page,
        "pageSize": query_args.page_size,
    }


@blueprint.get("/search")
@tag(["reservations"])
@login_required
@validate_querystring(ReservationSearchQuery)
@validate_response(ReservationSearchOut)
async def search_reservations(query_args: ReservationSearchQuery) -> dict[str, Any]:
    """Find any booking by the guest's name, phone or e-mail across dates and statuses:
    ``{items, upcoming}``, the upcoming ones first (soonest first), then the past ones (latest first)."""
    rid = restaurant_scope()
    q = query_args.q.strip()
    if len(q) < 2:
        raise ValidationError("Type at least 2 characters of a name or phone.", details={"field": "q"})
    items, upcoming = await queries.search_reservations(
        rid, q, now=runtime_of(current_app).clock(), region=await restaurant_region(rid), limit=query_args.limit
    )
    return {"items": items, "upcoming": upcoming}


@blueprint.get("/statuses")
@tag(["reservations"])
@login_required
@validate_response(ReservationStatusesOut)
async def reservation_statuses() -> dict[str, Any]:
    """The reservation statuses, which hold tables, and the moves between them: the dashboard draws its
    filters and actions from this instead of repeating the state machine."""
    return asdict(status_model())


@blueprint.get("/<int:reservation_id>")
@tag(["reservations"])
@login_required
@validate_response(ReservationOut)
async def get_reservation(reservation_id: int) -> ReservationView:
    """One reservation with its guest and table (404 when it is not this restaurant's)."""
    reservation = await queries.get_reservation(restaurant_scope(), reservation_id)
    if reservation is None:
        raise NotFound("No such reservation.")
    return reservation_view(reservation)


@blueprint.get("/<int:reservation_id>/history")
@tag(["reservations"])
@login_required
@validate_response(list[ReservationChangeOut])
async def reservation_history(reservation_id: int) -> list[ReservationChangeOut]:
    """What happened to a reservation, oldest first: ``[{type, changes, actor, source, createdAt}]``
    (``type`` is the event: reservation.created, .updated, .status_changed, .canceled). 404 when not
    this restaurant's."""
    rid = restaurant_scope()
    rows = await queries.reservation_history(rid, reservation_id)
    if rows is None:
        raise NotFound("No such reservation.")
    return [out(ReservationChangeOut, row) for row in rows]


@blueprint.get("/<int:reservation_id>/messages")
@tag(["reservations"])
@login_required
@validate_response(list[ReservationMessageOut])
async def reservation_messages(reservation_id: int) -> list[ReservationMessageOut]:
    """What the guest was sent about the reservation, oldest first: its confirmation, reminders and
    change notices, each with ``channel``, ``to``, ``status`` (``sent``: the channel accepted it;
    ``delivered``: the guest's device fetched it; ``failed`` / ``blocked`` / ``skipped`` with
    ``lastError``) and ``attempts``. 404 when not this restaurant's."""
    rid = restaurant_scope()
    rows = await queries.reservation_messages(rid, reservation_id)
    if rows is None:
        raise NotFound("No such reservation.")
    return [
        out(
            ReservationMessageOut,
            row,
            notice=text_at(row.payload, "notice"),
            to=row.chat_id,
            status=str(row.status),
            text="\n".join(reply.text for reply in replies_of(row)),
        )
        for row in rows
    ]


@blueprint.post("/<int:reservation_id>/correct")
@tag(["reservations"])
@answers_error(
    409,
    "not a correction (`invalid_correction`), too late (`correction_window_passed`) or the table "
    "was taken since (`table_taken`)",
)
@login_required
@validate_request(CorrectionIn)
@validate_response(ReservationOut)
async def correct_reservation(reservation_id: int, data: CorrectionIn) -> ReservationView:
    """Correct a wrong final status (completed, no_show, canceled) back to a live one (the reservation's
    ``corrections`` list them) with a ``reason``; recorded in its history with who did it. 409 when it is not
    a correction, when the restaurant's correction window has passed, or when its table was taken since."""
    rid = restaurant_scope()
    who = principal()
    email = await User.filter(id=who.user_id).values_list("email", flat=True)
    by: JSONObject = {"userId": who.user_id, "email": str(email[0]) if email else None, "via": str(who.via)}
    runtime = runtime_of(current_app)
    reservation = await correct_status(
        runtime.bus, rid, reservation_id, data.status, reason=data.reason, by=by, now=runtime.clock()
    )
    return reservation_view(reservation)


@blueprint.patch("/<int:reservation_id>")
@tag(["reservations"])
@answers_error(400, "a booking rule refuses the change (`code` says which)")
@answers_error(404, "the table named in the body is not the restaurant's")
@login_required
@validate_request(ReservationPatch)
@validate_response(ReservationOut)
@validate_response(ConflictOut, 409)
async def patch_reservation(reservation_id: int, data: ReservationPatch) -> ReservationView | ReservationOut:
    """Change a reservation: ``date``, ``time``, ``guests``, ``tableId``, ``duration``, ``comments`` are
    re-checked like a new booking
    (409 with ``alternatives`` when the new time is full), ``tableIds`` puts it on tables staff chose, combined
    by hand (a ``warning`` in the answer when they seat fewer than the party), ``tags`` replaces the tags;
    ``status`` moves through the state machine (409 for a change it does not allow). A no-show before the start plus the
    grace is 409 ``no_show_too_early``; seating far from the booked time is 409 ``confirm_seating`` unless
    ``confirmSeating`` is true."""
    rid = restaurant_scope()
    service = booking_service()
    sent = data.model_fields_set
    changes = {name: getattr(data, name) for name in MODIFIABLE if name in sent}
    if "status" in sent:  # the host stand's guards are the booking service's (core.booking.guards)
        changes["status"] = data.status
        changes["confirm_seating"] = data.confirm_seating
    if not changes:
        return reservation_view(await service.get(rid, reservation_id))
    # One transaction for every field, status included: a refusal changes nothing.
    changed = await service.modify(rid, reservation_id, ReservationChanges(**changes))
    return await placed_view(changed, "table_id" in sent or "table_ids" in sent)
