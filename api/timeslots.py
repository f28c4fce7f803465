"""The seed's generated timeslots: ``POST /api/timeslots/generate`` and ``GET /api/timeslots/stats``."""

from __future__ import annotations

from quart import Blueprint, current_app
from quart_schema import tag, validate_querystring, validate_request, validate_response

from api.openapi import answers_error
from api.schemas.reservations import DateQuery, GeneratedOut, TimeslotGenerate, TimeslotStats
from api.security import login_required, require_roles, restaurant_scope
from core.booking import timeslots
from core.booking.hours import to_local
from core.errors import NotFound
from core.models import Restaurant
from core.runtime import runtime_of

blueprint = Blueprint("timeslots", __name__, url_prefix="/api/timeslots")


@blueprint.post("/generate")
@tag(["timeslots"])
@require_roles("restaurant")
@validate_request(TimeslotGenerate)
@validate_response(GeneratedOut, 201)
async def generate(data: TimeslotGenerate) -> tuple[GeneratedOut, int]:
    """Generate the timeslots of every table from opening hours for ``days`` days from today
    (owner or admin); existing ones are kept. ``{created}`` counts the new ones."""
    rid = restaurant_scope()
    now = runtime_of(current_app).clock()
    created = await timeslots.generate_timeslots(rid, days=data.days, now=now)
    return GeneratedOut(created=created), 201


@blueprint.get("/stats")
@tag(["timeslots"])
@answers_error(404, "the restaurant does not exist")
@login_required
@validate_querystring(DateQuery)
@validate_response(TimeslotStats)
async def stats(query_args: DateQuery) -> dict[str, int]:
    """``{total, free, pending, occupied}`` timeslots of ``?date=`` (default: the restaurant's today)."""
    rid = restaurant_scope()
    day = query_args.date
    if day is None:
        restaurant = await Restaurant.filter(id=rid).only("id", "timezone").first()
        if restaurant is None:
            raise NotFound("No such restaurant.")
        day = to_local(runtime_of(current_app).clock(), restaurant.timezone or "UTC")[0]
    return await timeslots.timeslot_stats(rid, day)
