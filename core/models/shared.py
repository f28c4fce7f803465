"""Shared counters and once-only keys kept in PostgreSQL while Redis is away (see :mod:`core.shared_pg`)."""

from tortoise import fields
from tortoise.models import Model


class SharedKey(Model):
    """One counter or once-only marker: ``value`` until ``expires_at`` (an expired row counts as absent)."""

    key = fields.CharField(max_length=255, primary_key=True)
    value = fields.BigIntField(default=0)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "shared_keys"
