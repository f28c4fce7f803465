"""Conversations with guests and the inbound message ids already handled."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.models.guest import Guest
    from core.models.restaurant import Restaurant


class Conversation(Model):
    """One chat on one channel: its guest, language, history and guided-flow state."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="conversations", on_delete=fields.CASCADE
    )
    restaurant_id: int
    channel = fields.CharField(max_length=32)
    external_chat_id = fields.CharField(max_length=255)
    guest: fields.ForeignKeyNullableRelation[Guest] = fields.ForeignKeyField(
        "models.Guest", related_name="conversations", on_delete=fields.SET_NULL, null=True
    )
    guest_id: int | None
    language = fields.CharField(max_length=10, default="en")
    state: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    history: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    last_activity = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "conversations"
        unique_together = (("restaurant", "channel", "external_chat_id"),)


class ProcessedMessage(Model):
    """An inbound message id that was accepted once; the unique key makes a redelivery a no-op."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="processed_messages", on_delete=fields.CASCADE
    )
    restaurant_id: int
    channel = fields.CharField(max_length=32)
    message_id = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "processed_messages"
        unique_together = (("restaurant", "channel", "message_id"),)
