"""The tables staff choose by hand for a booking: checked to be the restaurant's, in service and few enough
(:func:`chosen_tables`), their seats not enforced but warned about when fewer than the party
(:func:`seating_warning`)."""

from __future__ import annotations

from collections.abc import Sequence

from core.booking.assignment import usable
from core.booking.availability import Setting, load_setting
from core.booking.refusal_reasons import SeatingWarning
from core.errors import NotFound, ValidationError
from core.models import Reservation, Table

#: The most tables staff may put one party on by hand.
MAX_CHOSEN_TABLES = 8


def chosen_tables(setting: Setting, table_ids: Sequence[int] | None) -> list[Table] | None:
    """The tables staff chose, in the order given (the first is the main one); None when none were.
    ``NotFound`` for one that is not the restaurant's; ``ValidationError`` (code ``table_unsuitable``) for
    one out of service, named twice, or more than :data:`MAX_CHOSEN_TABLES`. Their seats are not checked:
    staff may seat a party larger than them (:func:`seating_warning`)."""
    if table_ids is None:
        return None
    if not table_ids or len(table_ids) > MAX_CHOSEN_TABLES:
        raise ValidationError(
            f"Choose 1 to {MAX_CHOSEN_TABLES} tables.", code="table_unsuitable", details={"field": "tableIds"}
        )
    if len(set(table_ids)) < len(table_ids):
        raise ValidationError("A table is named twice.", code="table_unsuitable", details={"field": "tableIds"})
    tables = []
    for table_id in table_ids:
        table = setting.table(table_id)
        if table is None:
            raise NotFound(f"Table #{table_id} was not found.", details={"tableId": table_id})
        if not usable(table):
            raise ValidationError(
                f"Table {table.name} is not available for bookings.",
                code="table_unsuitable",
                details={"tableId": table_id},
            )
        tables.append(table)
    return tables


#: The warning code of a placement whose tables seat fewer than the party.
OVER_CAPACITY = "over_capacity"


def seating_warning(tables: Sequence[Table], guests: int) -> SeatingWarning | None:
    """A warning (not a refusal, code :data:`OVER_CAPACITY`) when staff put ``guests`` on ``tables`` that seat
    fewer; None when the seats suffice."""
    seats = sum(t.max_guests for t in tables)
    if seats >= guests:
        return None
    return SeatingWarning(tuple(t.name for t in tables), seats, guests)


async def warning_for(reservation: Reservation, table_ids: Sequence[int]) -> SeatingWarning | None:
    """:func:`seating_warning` for a reservation as written, on the tables it holds (``table_ids``)."""
    setting = await load_setting(reservation.restaurant_id)
    tables = [t for t in (setting.table(i) for i in table_ids) if t is not None]
    return seating_warning(tables, reservation.guests) if tables else None
