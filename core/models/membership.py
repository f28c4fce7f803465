"""What ties a user to restaurants: memberships, and integrator API tokens (scoped to a restaurant)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.models.enums import UserRole
from core.models.restaurant import Restaurant
from core.models.user import User


class StaffMembership(Model):
    """Links a user to a restaurant they work in; an owner has one with role ``restaurant``."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    user_id: int
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="memberships", on_delete=fields.CASCADE
    )
    restaurant_id: int
    role = fields.CharEnumField(UserRole, max_length=20)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff_memberships"
        unique_together = (("user", "restaurant"),)


class ApiToken(Model):
    """A bearer token for integrators; only its SHA-256 hash is stored."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="api_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    restaurant: fields.ForeignKeyNullableRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="api_tokens", on_delete=fields.CASCADE, null=True
    )
    restaurant_id: int | None
    name = fields.CharField(max_length=100)
    token_hash = fields.CharField(max_length=64, unique=True)
    prefix = fields.CharField(max_length=12)
    role = fields.CharEnumField(UserRole, max_length=20)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_tokens"
