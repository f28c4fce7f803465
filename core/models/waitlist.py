"""The waitlist: parties waiting for a table, offered one when a matching slot frees up."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.models.fields import LocalTimeField

if TYPE_CHECKING:
    from core.models.guest import Guest
    from core.models.reservation import Reservation
    from core.models.restaurant import Restaurant


class WaitlistStatus(StrEnum):
    """Where a waiting party is: ``waiting`` in line; ``offered`` a held table (``reservation``) until
    ``offer_expires_at``; ``booked`` said yes (the hold became their booking); ``seated`` seated by staff;
    ``left`` gone or said no; ``expired`` the offer ran out (or the wanted time passed)."""

    WAITING = "waiting"
    OFFERED = "offered"
    BOOKED = "booked"
    SEATED = "seated"
    LEFT = "left"
    EXPIRED = "expired"


#: Statuses of a party still on the list.
OPEN_WAITLIST = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(Model):
    """One waiting party: its size, who (always a guest record; the chat it came from, if any), the date
    and local time window it wants, the wait quoted to it, and its offer (the held reservation)."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="waitlist", on_delete=fields.CASCADE
    )
    restaurant_id: int
    guest: fields.ForeignKeyRelation[Guest] = fields.ForeignKeyField(
        "models.Guest", related_name="waitlist", on_delete=fields.CASCADE
    )
    guest_id: int
    guests = fields.IntField()
    date = fields.DateField()
    time_from = LocalTimeField()
    time_to = LocalTimeField()
    quoted_minutes = fields.IntField(null=True)
    status = fields.CharEnumField(WaitlistStatus, max_length=20, default=WaitlistStatus.WAITING)
    channel = fields.CharField(max_length=32, null=True)  # the chat it came from (None: added by staff)
    chat_id = fields.CharField(max_length=255, null=True)
    language = fields.CharField(max_length=10, default="en")
    source = fields.CharField(max_length=100, null=True)
    comments = fields.TextField(null=True)
    tags: fields.JSONField[list[str]] = fields.JSONField(default=list)
    # The current (or last) offer: the held reservation and until when it is held for this party.
    reservation: fields.ForeignKeyNullableRelation[Reservation] = fields.ForeignKeyField(
        "models.Reservation", related_name="waitlist_offers", on_delete=fields.SET_NULL, null=True
    )
    reservation_id: int | None
    offer_round = fields.IntField(default=0)
    offered_at = fields.DatetimeField(null=True)
    offer_expires_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "waitlist"
        indexes = (("restaurant_id", "status", "date"), ("status", "offer_expires_at"))
