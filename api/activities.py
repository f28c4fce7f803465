"""The AI activity log (seed ``GET /api/ai/activities``): newest first, filtered, paginated."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from quart import Blueprint
from quart_schema import tag, validate_querystring, validate_response

from api.common import paginate
from api.schemas import Page
from api.schemas.activities import ActivityOut, ActivityQuery
from api.security import login_required, restaurant_scope
from core.models import AiActivity, Restaurant

blueprint = Blueprint("activities", __name__, url_prefix="/api/ai")


def _instant(value: date | datetime, zone: ZoneInfo, *, end: bool) -> datetime:
    """A date is the restaurant's whole local day (``to`` inclusive); a naive date-time is local too."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time.min, tzinfo=zone)


@blueprint.get("/activities")
@tag(["ai"])
@login_required
@validate_querystring(ActivityQuery)
@validate_response(Page[ActivityOut])
async def list_activities(query_args: ActivityQuery) -> Page[ActivityOut]:
    """What the assistant and the notifiers did, newest first. ``?type=``, ``?from=``/``?to=`` (a local
    date, inclusive, or an ISO date-time), ``?page=``/``?pageSize=``."""
    rid = restaurant_scope()
    query = AiActivity.filter(restaurant_id=rid)
    if query_args.type:
        query = query.filter(type=query_args.type)
    if query_args.date_from is not None or query_args.date_to is not None:
        restaurant = await Restaurant.get(id=rid)
        zone = ZoneInfo(restaurant.timezone)
        if query_args.date_from is not None:
            query = query.filter(created_at__gte=_instant(query_args.date_from, zone, end=False))
        if query_args.date_to is not None:
            bound = _instant(query_args.date_to, zone, end=True)
            query = (
                query.filter(created_at__lt=bound)
                if not isinstance(query_args.date_to, datetime)
                else (query.filter(created_at__lte=bound))
            )
    query = query.order_by("-created_at", "-id")
    return await paginate(query, ActivityOut, query_args.page, query_args.page_size)
