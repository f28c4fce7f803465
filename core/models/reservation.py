"""Reservations and the table allocations that the database keeps from overlapping."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.jsontypes import JSON
from core.models.enums import ReservationStatus
from core.models.fields import LocalTimeField

if TYPE_CHECKING:
    from core.models.guest import Guest
    from core.models.restaurant import Restaurant, Table, Timeslot


class Reservation(Model):
    """A booking (seed table ``reservations``).

    ``date``/``time`` are the restaurant's local wall-clock values the guest asked for;
    ``starts_at``/``ends_at`` are the absolute instants derived from them with the
    restaurant's time zone, which the overlap rules and the exclusion constraint use.
    ``table`` is the main table; a combined booking has one allocation per table.
    """

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="reservations", on_delete=fields.CASCADE
    )
    restaurant_id: int
    guest: fields.ForeignKeyRelation[Guest] = fields.ForeignKeyField(
        "models.Guest", related_name="reservations", on_delete=fields.CASCADE
    )
    guest_id: int
    table: fields.ForeignKeyNullableRelation[Table] = fields.ForeignKeyField(
        "models.Table", related_name="reservations", on_delete=fields.SET_NULL, null=True
    )
    table_id: int | None
    timeslot: fields.ForeignKeyNullableRelation[Timeslot] = fields.ForeignKeyField(
        "models.Timeslot", related_name="reservations", on_delete=fields.SET_NULL, null=True
    )
    timeslot_id: int | None
    date = fields.DateField()
    time = LocalTimeField()
    duration = fields.IntField(null=True)
    guests = fields.IntField()
    status = fields.CharEnumField(ReservationStatus, max_length=20, default=ReservationStatus.CREATED)
    comments = fields.TextField(null=True)
    # Lowercase slugs (core.booking.tags): vip, allergy, birthday... shown on the timeline and the list.
    tags: fields.JSONField[list[str]] = fields.JSONField(default=list)
    source = fields.CharField(max_length=100, null=True)
    confirmation_1h = fields.BooleanField(default=False)
    confirmation_2h = fields.BooleanField(default=False)
    # The status an archived reservation had (completed, canceled, no_show), so guests' counts survive archiving.
    archived_from = fields.CharField(max_length=20, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reservations"
        indexes = (("restaurant_id", "date"), ("status",), ("restaurant_id", "starts_at"))


class ReservationTable(Model):
    """One table held by a reservation from ``starts_at`` until ``blocked_until``
    (its end plus the restaurant's buffer). While ``active``, PostgreSQL's exclusion
    constraint forbids any other active allocation of the same table that overlaps."""

    id = fields.IntField(primary_key=True)
    reservation: fields.ForeignKeyRelation[Reservation] = fields.ForeignKeyField(
        "models.Reservation", related_name="allocations", on_delete=fields.CASCADE
    )
    reservation_id: int
    table: fields.ForeignKeyRelation[Table] = fields.ForeignKeyField(
        "models.Table", related_name="allocations", on_delete=fields.CASCADE
    )
    table_id: int
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="allocations", on_delete=fields.CASCADE
    )
    restaurant_id: int
    starts_at = fields.DatetimeField()
    blocked_until = fields.DatetimeField()
    active = fields.BooleanField(default=True)

    class Meta:
        table = "reservation_tables"
        unique_together = (("reservation", "table"),)
        # (restaurant_id, starts_at): availability reads a restaurant's allocations of a window in one range scan.
        indexes = (("table_id", "starts_at"), ("restaurant_id", "starts_at"))


class ReservationChange(Model):
    """One entry of a reservation's history: created, changed (``changes`` is ``{field: {"from", "to"}}``),
    status changed or canceled; ``actor`` is "staff" or "guest" (None for a creation: see its source).
    Written by the booking engine with each reservation event."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="reservation_changes", on_delete=fields.CASCADE
    )
    restaurant_id: int
    reservation: fields.ForeignKeyRelation[Reservation] = fields.ForeignKeyField(
        "models.Reservation", related_name="history", on_delete=fields.CASCADE
    )
    reservation_id: int
    type = fields.CharField(max_length=50)
    changes: fields.JSONField[dict[str, JSON] | None] = fields.JSONField(null=True)
    actor = fields.CharField(max_length=20, null=True)
    source = fields.CharField(max_length=100, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "reservation_changes"
        indexes = (("reservation_id", "created_at"),)
