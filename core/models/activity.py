"""The log of what the conversation engine and the notifiers did (seed table ``ai_activities``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.jsontypes import JSON

if TYPE_CHECKING:
    from core.models.restaurant import Restaurant


class AiActivity(Model):
    """One recorded turn, tool call, fallback, error or notification attempt."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="ai_activities", on_delete=fields.CASCADE
    )
    restaurant_id: int
    type = fields.CharField(max_length=100)
    message = fields.TextField(null=True)
    response = fields.TextField(null=True)
    confidence = fields.FloatField(null=True)
    metadata: fields.JSONField[dict[str, JSON] | None] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ai_activities"
        indexes = (("restaurant_id", "created_at"),)
