"""The restaurant profile: the seed's fields, opening hours and exceptions, time zone, booking rules."""

from __future__ import annotations

from quart import Blueprint
from quart_schema import tag, validate_request, validate_response

from api.common import out, publish_change
from api.schemas.restaurants import RestaurantOut, RestaurantUpdate
from api.security import login_required, require_roles, restaurant_scope
from core.events import HOURS_CHANGED, RESTAURANT_CHANGED
from core.models import Restaurant

blueprint = Blueprint("restaurants", __name__, url_prefix="/api/restaurants")

#: Fields that change when a guest can book: a change to any publishes ``hours.changed`` too.
BOOKING_RULE_FIELDS = frozenset({
    "opening_hours", "hours_exceptions", "timezone", "turn_times", "avg_reservation_duration",
    "min_notice_minutes", "max_advance_days", "slot_interval_minutes", "buffer_minutes",
    "last_seating_minutes", "pacing_max_covers", "capacity",
})


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
async def update_profile(data: RestaurantUpdate) -> RestaurantOut:
    """Change the fields sent (owner or admin). Publishes ``restaurant.changed`` and, when hours or
    booking rules changed, ``hours.changed``; the restaurant's cached figures are invalidated."""
    rid = restaurant_scope()
    restaurant = await Restaurant.get(id=rid)
    changes = {name: value for name, value in data.sent().items() if getattr(restaurant, name) != value}
    if changes:
        for name, value in changes.items():
            setattr(restaurant, name, value)
        await restaurant.save(update_fields=[*changes, "updated_at"])
        fields = sorted(changes)
        await publish_change(RESTAURANT_CHANGED, rid, {"fields": fields})
        if BOOKING_RULE_FIELDS & set(changes):
            await publish_change(HOURS_CHANGED, rid, {"fields": fields})
    return out(RestaurantOut, restaurant)
