"""Users of the staff side and their signed-in sessions (memberships and API tokens: :mod:`core.models.membership`)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.models.enums import UserRole


class User(Model):
    """A person who signs in to the staff side (seed table ``users``)."""

    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=255, unique=True)
    password_hash = fields.CharField(max_length=255)
    name = fields.CharField(max_length=255)
    role = fields.CharEnumField(UserRole, max_length=20)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "users"


class StaffSession(Model):
    """A signed-in browser session. The cookie carries its secret; only the SHA-256 hash is
    stored, so signing out (deleting the row) ends the session everywhere at once."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "staff_sessions"
