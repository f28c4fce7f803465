"""The restaurant profile: the seed's fields, opening hours and exceptions, time zone, booking rules."""

from __future__ import annotations

import copy
from typing import Any

from quart import Blueprint, current_app
from quart_schema import tag, validate_querystring, validate_request, validate_response

from api.common import out, paginate, publish_change
from api.openapi import answers_error
from api.schemas import Page
from api.schemas.restaurants import OutsideHoursOut, RestaurantOut, RestaurantQuery, RestaurantUpdate
from api.security import login_required, require_roles, restaurant_scope
from core.booking import queries
from core.booking.hours import validate_opening_hours
from core.booking.refusal_text import english
from core.booking.rules import rules_for
from core.booking.view_json import reservation_json
from core.booking.views import reservation_view
from core.errors import Conflict
from core.events import HOURS_CHANGED, RESTAURANT_CHANGED
from core.models import Restaurant
from core.runtime import runtime_of

blueprint = Blueprint("restaurants", __name__, url_prefix="/api/restaurants")

#: Fields that change when a guest can book: a change to any publishes ``hours.changed`` too.
BOOKING_RULE_FIELDS = frozenset(
    {
        "opening_hours",
        "hours_exceptions",
        "timezone",
        "turn_times",
        "avg_reservation_duration",
        "min_notice_minutes",
        "max_advance_days",
        "slot_interval_minutes",
        "buffer_minutes",
        "last_seating_minutes",
        "pacing_max_covers",
        "capacity",
    }
)
#: Fields that decide whether an existing booking is still inside the opening hours.
HOURS_FIELDS = frozenset({"opening_hours", "hours_exceptions", "timezone", "last_seating_minutes"})


@blueprint.get("")
@tag(["restaurant"])
@answers_error(403, "the caller is not an admin: owners and staff see only their own restaurant (`/profile`)")
@require_roles("admin")
@validate_querystring(RestaurantQuery)
@validate_response(Page[RestaurantOut])
async def list_restaurants(query_args: RestaurantQuery) -> Page[RestaurantOut]:
    """Every restaurant, by name (admin only: an admin picks the one to act on from it and sends its id as
    ``?restaurantId=`` or ``X-Restaurant-Id``). ``?q=`` matches part of the name, case-insensitively. Paginated."""
    query = Restaurant.all()
    if query_args.q and query_args.q.strip():
        query = query.filter(name__icontains=query_args.q.strip())
    return await paginate(query.order_by("name", "id"), RestaurantOut, query_args.page, query_args.page_size)


@blueprint.get("/profile")
@tag(["restaurant"])
@login_required
@validate_response(RestaurantOut)
async def get_profile() -> RestaurantOut:
    """The restaurant the caller acts on, with its hours and booking rules."""
    restaurant = await Restaurant.get(id=restaurant_scope())
    return out(RestaurantOut, restaurant)


@blueprint.put("/profile")
@tag(["restaurant"])
@require_roles("restaurant")
@validate_request(RestaurantUpdate)
@validate_response(RestaurantOut)
@validate_response(OutsideHoursOut, 409)
async def update_profile(data: RestaurantUpdate) -> RestaurantOut:
    """Change the fields sent (owner or admin); ``openingHours`` changes only the weekdays sent.
    409 ``bookings_outside_hours`` (nothing saved) lists upcoming bookings the new hours would leave
    outside, unless ``confirmOutsideHours`` is true. Publishes ``restaurant.changed`` and, when hours or
    booking rules changed, ``hours.changed``; the restaurant's cached figures are invalidated."""
    rid = restaurant_scope()
    restaurant = await Restaurant.get(id=rid)
    sent = data.sent()
    sent.pop("confirm_outside_hours", None)
    if "opening_hours" in sent:
        week = sent["opening_hours"]
        sent["opening_hours"] = validate_opening_hours({**(restaurant.opening_hours or {}), **week} if week else {})
    changes = {name: value for name, value in sent.items() if getattr(restaurant, name) != value}
    if HOURS_FIELDS & set(changes) and not data.confirm_outside_hours:
        await _refuse_if_bookings_outside(restaurant, changes)
    if changes:
        for name, value in changes.items():
            setattr(restaurant, name, value)
        await restaurant.save(update_fields=[*changes, "updated_at"])
        fields = sorted(changes)
        await publish_change(RESTAURANT_CHANGED, rid, {"fields": fields})
        if BOOKING_RULE_FIELDS & set(changes):
            await publish_change(HOURS_CHANGED, rid, {"fields": fields})
    return out(RestaurantOut, restaurant)


async def _refuse_if_bookings_outside(restaurant: Restaurant, changes: dict[str, Any]) -> None:
    """Raise 409 ``bookings_outside_hours`` when ``changes`` would leave upcoming bookings outside the hours."""
    proposed = copy.copy(restaurant)  # never saved: only read by rules_for
    for name, value in changes.items():
        setattr(proposed, name, value)
    now = runtime_of(current_app).clock()
    found = await queries.outside_hours(restaurant.id, rules_for(proposed), now)
    if not found:
        return
    listed = []
    for reservation, refusal in found:
        item = reservation_json(reservation_view(reservation))
        item["reason"] = english(refusal)
        listed.append(item)
    count = len(listed)
    raise Conflict(
        f"{count} upcoming booking{'s' if count != 1 else ''} would fall outside the new hours. Move or cancel "
        f"{'them' if count != 1 else 'it'} first, or save again with confirmOutsideHours to keep "
        f"{'them' if count != 1 else 'it'} as they are.",
        code="bookings_outside_hours",
        details={"reservations": listed},
    )
