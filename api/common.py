"""What the blueprints share: publishing a change (event + cache invalidation), pages, 404s."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from pydantic import BaseModel
from quart import current_app
from tortoise.queryset import QuerySet

from api.schemas import Page
from core.errors import NotFound
from core.events import Actor, DomainEvent
from core.runtime import runtime_of

M = TypeVar("M", bound=BaseModel)


def restaurant_namespace(restaurant_id: int) -> str:
    """The cache namespace of everything cached for one restaurant (availability, dashboard...)."""
    return f"restaurant:{restaurant_id}"


def reports_namespace(restaurant_id: int) -> str:
    """The cache namespace of the restaurant's reports (:mod:`api.reports`)."""
    return f"reports:{restaurant_id}"


async def publish_change(event_type: str, restaurant_id: int, data: dict[str, Any] | None = None) -> None:
    """After a committed write: make the restaurant's cached figures stale, then publish the event."""
    runtime = runtime_of(current_app)
    await runtime.cache.invalidate(restaurant_namespace(restaurant_id))
    await runtime.bus.publish(
        DomainEvent(type=event_type, restaurant_id=restaurant_id, data=data or {}, actor=Actor.STAFF)
    )


def out(model: type[M], obj: Any, **extra: Any) -> M:
    """Build the response model ``model`` from an ORM object (plus ``extra`` fields)."""
    if extra:
        values = {name: getattr(obj, name) for name in model.model_fields if name not in extra and hasattr(obj, name)}
        return model.model_validate({**values, **extra})
    return model.model_validate(obj, from_attributes=True)


async def one(query: QuerySet, what: str = "Not found.") -> Any:
    """The single row of ``query`` (already scoped by restaurant), else 404."""
    row = await query.first()
    if row is None:
        raise NotFound(what)
    return row


async def paginate(query: QuerySet[Any], model: type[M], page: int, page_size: int) -> Page[M]:
    """One page of ``query`` as ``{items, total, page, pageSize}``. When every field of ``model`` is a column
    of the query's model, the page is read as plain rows (no ORM objects built)."""
    total = await query.count()
    window = query.offset((page - 1) * page_size).limit(page_size)
    columns = query.model._meta.fields_db_projection
    if all(name in columns for name in model.model_fields):
        items = [model.model_validate(row) for row in await window.values(*model.model_fields)]
    else:
        items = [out(model, row) for row in await window]
    page_model = cast("type[Page[M]]", Page.__class_getitem__(model))  # the OpenAPI schema names the item type
    return page_model(items=items, total=total, page=page, page_size=page_size)
