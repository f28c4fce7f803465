"""Restaurants, their tables and the seed's generated timeslots."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.jsontypes import JSON
from core.models.enums import TableStatus, TimeslotStatus
from core.models.fields import LocalTimeField

if TYPE_CHECKING:
    from core.models.user import User


class Restaurant(Model):
    """A restaurant and its booking rules (seed table ``restaurants`` plus what a real one needs)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="restaurants", on_delete=fields.CASCADE, null=True
    )
    user_id: int | None
    name = fields.CharField(max_length=255)
    address = fields.TextField(null=True)
    phone = fields.CharField(max_length=50, null=True)
    email = fields.CharField(max_length=255, null=True)
    website = fields.CharField(max_length=255, null=True)
    cuisine_type = fields.CharField(max_length=100, null=True)
    price_range = fields.CharField(max_length=50, null=True)
    capacity = fields.IntField(default=40)
    avg_reservation_duration = fields.IntField(default=120)
    opening_hours: fields.JSONField[dict[str, JSON] | None] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Beyond the seed: where the restaurant is, and its booking rules.
    timezone = fields.CharField(max_length=64, default="UTC")
    hours_exceptions: fields.JSONField[dict[str, JSON]] = fields.JSONField(default=dict)
    min_notice_minutes = fields.IntField(default=30)
    max_advance_days = fields.IntField(default=60)
    slot_interval_minutes = fields.IntField(default=15)
    buffer_minutes = fields.IntField(default=0)
    last_seating_minutes = fields.IntField(null=True)
    turn_times: fields.JSONField[list[JSON]] = fields.JSONField(default=list)
    pacing_max_covers = fields.IntField(null=True)
    default_language = fields.CharField(max_length=10, default="en")
    allowed_origins: fields.JSONField[list[JSON]] = fields.JSONField(default=list)
    # Reminders and the reservation lifecycle (run by the worker).
    reminder_minutes: fields.JSONField[list[int]] = fields.JSONField(default=lambda: [120, 60])  # [] turns them off
    no_show_after_minutes = fields.IntField(null=True, default=30)  # never seated by then: a no-show (None: never)
    archive_after_days = fields.IntField(default=30)  # past the end, a finished booking is archived
    # The host stand's guards (core.booking.guards) and the waitlist's hold (core.booking.waitlist).
    correction_window_minutes = fields.IntField(default=180)  # a final status may be corrected this long after
    no_show_grace_minutes = fields.IntField(default=15)  # no no-show before the start plus this
    seating_window_minutes = fields.IntField(default=60)  # seating further from the booked start asks first
    waitlist_hold_minutes = fields.IntField(default=10)  # how long an offered table is held for a waiting party
    # A guest handed to staff with no staff reply this long (inside opening hours) gets the bot back
    # (core.conversation.handoff_wait); None: the service's default (plugins.toml ``handoff_wait_minutes``).
    handoff_wait_minutes = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "restaurants"


class Table(Model):
    """A physical table (seed table ``tables``); ``combinable`` and ``priority`` drive smart assignment."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="tables", on_delete=fields.CASCADE
    )
    restaurant_id: int
    name = fields.CharField(max_length=100)
    min_guests = fields.IntField()
    max_guests = fields.IntField()
    status = fields.CharEnumField(TableStatus, max_length=20, default=TableStatus.FREE)
    position_x = fields.FloatField(null=True)
    position_y = fields.FloatField(null=True)
    shape = fields.CharField(max_length=50, default="round")
    created_at = fields.DatetimeField(auto_now_add=True)
    combinable = fields.BooleanField(default=False)
    priority = fields.IntField(default=0)

    class Meta:
        table = "tables"
        indexes = (("restaurant_id", "status"),)


class Timeslot(Model):
    """One bookable start on one table (seed table ``timeslots``), generated from opening hours."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="timeslots", on_delete=fields.CASCADE
    )
    restaurant_id: int
    table: fields.ForeignKeyRelation[Table] = fields.ForeignKeyField(
        "models.Table", related_name="timeslots", on_delete=fields.CASCADE
    )
    table_id: int
    date = fields.DateField()
    time = LocalTimeField()
    duration = fields.IntField(default=120)
    status = fields.CharEnumField(TimeslotStatus, max_length=20, default=TimeslotStatus.FREE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "timeslots"
        unique_together = (("table", "date", "time"),)
        indexes = (("restaurant_id", "date"),)
