"""Conversations with guests, their transcript, and the inbound message ids already handled."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.models.guest import Guest
    from core.models.restaurant import Restaurant
    from core.models.user import User


class ConversationStatus(StrEnum):
    """Who answers the guest: the bot (``active``) or a person (``handoff``, the bot stays silent)."""

    ACTIVE = "active"
    HANDOFF = "handoff"


class MessageRole(StrEnum):
    """Who wrote a message of a conversation's transcript."""

    GUEST = "guest"
    BOT = "bot"
    STAFF = "staff"


class Conversation(Model):
    """One chat on one channel: its guest, language, status, history (what the LLM sees) and guided-flow state.

    ``status`` is ``handoff`` while a person answers the guest; ``handoff_at`` is when that started.
    """

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
    status = fields.CharEnumField(ConversationStatus, max_length=16, default=ConversationStatus.ACTIVE)
    handoff_at = fields.DatetimeField(null=True)
    last_activity = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "conversations"
        unique_together = (("restaurant", "channel", "external_chat_id"),)
        indexes = (("restaurant_id", "status", "last_activity"),)


class ConversationMessage(Model):
    """One message of a conversation's transcript (guest, bot or staff), kept for staff to read and answer."""

    id = fields.BigIntField(primary_key=True)
    conversation_id: int
    author_id: int | None
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="messages", on_delete=fields.CASCADE
    )
    role = fields.CharEnumField(MessageRole, max_length=8)
    text = fields.TextField()
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="conversation_messages", on_delete=fields.SET_NULL, null=True
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "conversation_messages"
        indexes = (("conversation_id", "id"),)


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
