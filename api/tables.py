"""Physical tables: list, create, update, delete. Staff may change a table's status only."""

from __future__ import annotations

from quart import Blueprint, current_app
from quart_schema import tag, validate_request, validate_response

from api.common import one, out, publish_change
from api.openapi import answers_error
from api.schemas.tables import TableIn, TableList, TableOut, TableUpdate
from api.security import login_required, principal, require_roles, restaurant_scope
from core.booking.placement import write_lock
from core.errors import Conflict, PermissionDenied, ValidationError
from core.events import TABLE_CHANGED
from core.models import ReservationTable, Table
from core.runtime import runtime_of
from core.storage.orm import in_transaction

blueprint = Blueprint("tables", __name__, url_prefix="/api/tables")


def _check_capacity(min_guests: int, max_guests: int) -> None:
    if min_guests > max_guests:
        raise ValidationError(
            "minGuests must not be greater than maxGuests.",
            details={"errors": [{"path": "minGuests", "message": "must not be greater than maxGuests"}]},
        )


@blueprint.get("")
@tag(["tables"])
@login_required
@validate_response(TableList)
async def list_tables() -> list[TableOut]:
    """Every table of the restaurant, by name."""
    tables = await Table.filter(restaurant_id=restaurant_scope()).order_by("name", "id")
    return [out(TableOut, t) for t in tables]


@blueprint.post("")
@tag(["tables"])
@require_roles("restaurant")
@validate_request(TableIn)
@validate_response(TableOut, 201)
async def create_table(data: TableIn) -> tuple[TableOut, int]:
    """Add a table (owner or admin). ``minGuests`` must be positive and at most ``maxGuests``."""
    rid = restaurant_scope()
    _check_capacity(data.min_guests, data.max_guests)
    table = await Table.create(restaurant_id=rid, **data.model_dump())
    await publish_change(TABLE_CHANGED, rid, {"tableId": table.id, "action": "created"})
    return out(TableOut, table), 201


@blueprint.put("/<int:table_id>")
@tag(["tables"])
@answers_error(403, "staff may change a table's status only")
@require_roles("restaurant", "staff")
@validate_request(TableUpdate)
@validate_response(TableOut)
async def update_table(table_id: int, data: TableUpdate) -> TableOut:
    """Change the fields sent. Staff may change ``status`` only (other changed fields: 403)."""
    rid = restaurant_scope()
    table = await one(Table.filter(restaurant_id=rid, id=table_id), "No such table.")
    changes = {name: value for name, value in data.sent().items() if getattr(table, name) != value}
    if not principal().is_owner and set(changes) - {"status"}:
        raise PermissionDenied("Staff may change a table's status only.")
    _check_capacity(changes.get("min_guests", table.min_guests), changes.get("max_guests", table.max_guests))
    if changes:
        for name, value in changes.items():
            setattr(table, name, value)
        await table.save(update_fields=list(changes))
        await publish_change(TABLE_CHANGED, rid, {"tableId": table.id, "action": "updated", "fields": sorted(changes)})
    return out(TableOut, table)


@blueprint.delete("/<int:table_id>")
@tag(["tables"])
@answers_error(409, "the table holds upcoming reservations (code `table_in_use`)")
@require_roles("restaurant")
@validate_response(TableOut)
async def delete_table(table_id: int) -> TableOut:
    """Delete a table (owner or admin). 409 while it holds upcoming reservations: move them first.

    The check and the delete run in one transaction holding the table's row lock, the lock every
    booking takes on the tables it places on (:mod:`core.booking.placement`): a booking racing the
    delete either commits first (then the delete sees it: 409) or finds the table gone."""
    rid = restaurant_scope()
    now = runtime_of(current_app).clock()
    async with write_lock(), in_transaction():
        table = await one(Table.filter(restaurant_id=rid, id=table_id).select_for_update(), "No such table.")
        upcoming = ReservationTable.filter(restaurant_id=rid, table_id=table.id, active=True, blocked_until__gt=now)
        if await upcoming.exists():
            raise Conflict("This table holds upcoming reservations; move or cancel them first.", code="table_in_use")
        answer = out(TableOut, table)
        await table.delete()
    await publish_change(TABLE_CHANGED, rid, {"tableId": table_id, "action": "deleted"})
    return answer
