"""Per-restaurant settings of outside services, one row per integration type a plugin declares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.jsontypes import JSON

if TYPE_CHECKING:
    from core.models.restaurant import Restaurant


class IntegrationSetting(Model):
    """Seed table ``integration_settings``; secret values inside ``settings`` are stored encrypted."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="integrations", on_delete=fields.CASCADE
    )
    restaurant_id: int
    type = fields.CharField(max_length=100)
    settings: fields.JSONField[dict[str, JSON]] = fields.JSONField()
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "integration_settings"
        unique_together = (("restaurant", "type"),)
