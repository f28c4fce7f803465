"""Guests of a restaurant and the channel identities that lead to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.models.restaurant import Restaurant


class Guest(Model):
    """A restaurant's guest (seed table ``guests``); ``phone`` is stored in E.164."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="guests", on_delete=fields.CASCADE
    )
    restaurant_id: int
    name = fields.CharField(max_length=255)
    phone = fields.CharField(max_length=50, null=True)
    email = fields.CharField(max_length=255, null=True)
    language = fields.CharField(max_length=10, default="en")
    notes = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "guests"
        indexes = (("restaurant_id", "phone"),)


class GuestIdentity(Model):
    """Who a guest is on one channel: a Telegram user id, a WhatsApp number, a web-chat session."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="guest_identities", on_delete=fields.CASCADE
    )
    restaurant_id: int
    guest: fields.ForeignKeyRelation[Guest] = fields.ForeignKeyField(
        "models.Guest", related_name="identities", on_delete=fields.CASCADE
    )
    guest_id: int
    channel = fields.CharField(max_length=32)
    external_id = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "guest_identities"
        unique_together = (("restaurant", "channel", "external_id"),)
