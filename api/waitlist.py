"""``GET|POST /api/waitlist``, ``PATCH|DELETE /api/waitlist/<id>``, ``POST /api/waitlist/<id>/ready``.

The list and its offers are :mod:`core.booking.waitlist`'s; this module only translates. Another
restaurant's entry answers 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from quart import Blueprint, current_app
from quart_schema import tag, validate_querystring, validate_request, validate_response

from api.openapi import answers_error
from api.reservations import booking_service
from api.schemas.waitlist import ReadyOut, WaitlistIn, WaitlistList, WaitlistOut, WaitlistPatch, WaitlistQuery
from api.security import login_required, restaurant_scope
from core.booking import waitlist_texts
from core.booking.availability import load_setting
from core.booking.hours import parse_local_time, to_local
from core.booking.waitlist import Waitlist, WaitlistInput, chat_of
from core.booking.waitlist_view import WaitlistView, entry_view
from core.errors import ValidationError
from core.runtime import runtime_of

blueprint = Blueprint("waitlist", __name__, url_prefix="/api/waitlist")
#: Without a window, a party waits for a table from now for this long.
DEFAULT_WINDOW = dt.timedelta(hours=2)


def waitlist() -> Waitlist:
    """The waitlist acting through this app's booking service."""
    return Waitlist(booking_service())


@blueprint.get("")
@tag(["waitlist"])
@login_required
@validate_querystring(WaitlistQuery)
@validate_response(WaitlistList)
async def list_waitlist(query_args: WaitlistQuery) -> dict[str, Any]:
    """The restaurant's waiting parties in the order they joined: ``{items}``; ``?date=`` one day,
    ``?status=`` (comma-separated; default waiting and offered)."""
    rid = restaurant_scope()
    try:
        statuses = query_args.statuses()
    except ValueError:
        raise ValidationError(
            "Unknown status; use waiting, offered, booked, seated, left or expired.", details={"field": "status"}
        ) from None
    entries = await waitlist().entries(rid, date=query_args.date, statuses=statuses)
    return {"items": [entry_view(e) for e in entries]}


@blueprint.post("")
@tag(["waitlist"])
@answers_error(404, "the guest named is not the restaurant's")
@login_required
@validate_request(WaitlistIn)
@validate_response(WaitlistOut, 201)
async def add_to_waitlist(data: WaitlistIn) -> tuple[WaitlistView, int]:
    """Put a party on the list (``waiting``); a freed table in its window is offered to it in its chat (held
    for the restaurant's ``waitlistHoldMinutes``), or shows as held on the dashboard. Publishes
    ``waitlist.changed``."""
    rid = restaurant_scope()
    setting = await load_setting(rid)
    today, now_local = to_local(runtime_of(current_app).clock(), setting.rules.tz)
    start = parse_local_time(data.time_from) if data.time_from is not None else now_local
    start = start.replace(second=0, microsecond=0, tzinfo=None)
    if data.time_to is not None:
        end = parse_local_time(data.time_to)
    else:
        later = dt.datetime.combine(today, start) + DEFAULT_WINDOW
        end = later.time() if later.date() == today else dt.time(23, 59)
    given = WaitlistInput(
        guests=data.guests,
        date=data.date or today,
        time_from=start,
        time_to=end,
        guest_id=data.guest_id,
        name=data.name,
        phone=data.phone,
        quoted_minutes=data.quoted_minutes,
        comments=data.comments,
        tags=data.tags,
        source="staff",
    )
    entry = await waitlist().add(rid, given)
    return entry_view(entry), 201


@blueprint.get("/<int:entry_id>")
@tag(["waitlist"])
@login_required
@validate_response(WaitlistOut)
async def get_entry(entry_id: int) -> WaitlistView:
    """One waiting party (404 when it is not this restaurant's)."""
    return entry_view(await waitlist().get(restaurant_scope(), entry_id))


@blueprint.patch("/<int:entry_id>")
@tag(["waitlist"])
@answers_error(409, "seating it now finds no free table (`slot_unavailable`)")
@login_required
@validate_request(WaitlistPatch)
@validate_response(WaitlistOut)
async def patch_entry(entry_id: int, data: WaitlistPatch) -> WaitlistView:
    """Change the fields sent; ``status`` ``seated`` seats the party now (its held table, ``tableId`` or the
    best free one), ``left``/``expired`` take it off the list (an offered table is released)."""
    changes = {name: value for name, value in data.sent().items() if name != "table_id"}
    entry = await waitlist().update(restaurant_scope(), entry_id, changes, table_id=data.table_id)
    return entry_view(entry)


@blueprint.delete("/<int:entry_id>")
@tag(["waitlist"])
@login_required
async def delete_entry(entry_id: int) -> tuple[str, int]:
    """Remove a party from the list for good (an offered table is released). 204."""
    await waitlist().remove(restaurant_scope(), entry_id)
    return "", 204


@blueprint.post("/<int:entry_id>/ready")
@tag(["waitlist"])
@login_required
@validate_response(ReadyOut)
async def table_ready(entry_id: int) -> dict[str, Any]:
    """Tell the party "your table is ready" on their chat through the durable outbox; ``queued`` is false when
    they have no chat (call them)."""
    rid = restaurant_scope()
    entry = await waitlist().get(rid, entry_id)
    message = await waitlist().table_ready(rid, entry.id, waitlist_texts)
    target = await chat_of(entry)
    return {"queued": message is not None, "channel": target[0] if target and message else None}
