"""Whether a guest agreed to be written to on one channel at one address, or asked not to be."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.models.guest import Guest
    from core.models.restaurant import Restaurant


class GuestConsent(Model):
    """A guest's consent or opt-out on one channel (``sms``, ``email``...) for one address (a phone, an
    e-mail address), per restaurant. ``granted`` False is an opt-out (STOP, an unsubscribe link);
    ``source`` says how it was recorded (``"stop"``, ``"start"``, ``"unsubscribe"``, ``"booking"``)."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="guest_consents", on_delete=fields.CASCADE
    )
    restaurant_id: int
    guest: fields.ForeignKeyNullableRelation[Guest] = fields.ForeignKeyField(
        "models.Guest", related_name="consents", on_delete=fields.SET_NULL, null=True
    )
    guest_id: int | None
    channel = fields.CharField(max_length=32)
    address = fields.CharField(max_length=255)
    granted = fields.BooleanField()
    source = fields.CharField(max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "guest_consents"
        unique_together = (("restaurant", "channel", "address"),)
