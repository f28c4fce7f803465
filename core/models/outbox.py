"""The durable guest outbox: every message the service starts to a guest, with its delivery state.

A row is written before anything is sent (a reminder when it falls due, a staff change's
notification right after it committed). Workers and server processes claim due rows
(``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL) for a short lease, send them through
the guest's channel and record the outcome. ``dedup_key`` is unique: the same reminder or
the same event's notification is queued once however many processes see it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.jsontypes import JSON

if TYPE_CHECKING:
    from core.models.guest import Guest
    from core.models.reservation import Reservation
    from core.models.restaurant import Restaurant


class OutboxStatus(StrEnum):
    """Where a message is in its delivery.

    ``pending``: waiting for its ``next_attempt_at``; ``claimed``: a process holds it until
    ``claimed_until``; ``sending``: handed to the channel (a process stopped here may or may
    not have delivered it); ``sent``: the channel accepted it; ``delivered``: the guest's
    device fetched it (pull channels such as the web chat); ``failed``: given up;
    ``blocked``: the channel refuses it by rule (WhatsApp's 24-hour window) and it is not
    retried; ``skipped``: not worth sending any more (the reservation started, changed or a
    later reminder replaced it).
    """

    PENDING = "pending"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    BLOCKED = "blocked"
    SKIPPED = "skipped"


#: Rows some process may still deliver.
OPEN_STATUSES = (OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENDING)


class OutboxMessage(Model):
    """One message to one guest on one channel (``channel``, ``chat_id``), as ``replies`` (JSON)."""

    restaurant_id: int
    guest_id: int | None
    reservation_id: int | None
    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="outbox", on_delete=fields.CASCADE
    )
    guest: fields.ForeignKeyNullableRelation[Guest] = fields.ForeignKeyField(
        "models.Guest", related_name="outbox", on_delete=fields.CASCADE, null=True
    )
    reservation: fields.ForeignKeyNullableRelation[Reservation] = fields.ForeignKeyField(
        "models.Reservation", related_name="outbox", on_delete=fields.CASCADE, null=True
    )
    kind = fields.CharField(max_length=32)  # "reminder", "notification"
    dedup_key = fields.CharField(max_length=255, unique=True)
    channel = fields.CharField(max_length=32)
    chat_id = fields.CharField(max_length=255)
    language = fields.CharField(max_length=10, default="en")
    # [{"text", "choices"?: [{"label", "value"}]}], read back with core.outbox.replies_of
    replies: fields.JSONField[list[JSON]] = fields.JSONField(default=list)
    # what the sender needs besides the replies (template values, subject, link...)
    payload: fields.JSONField[dict[str, JSON]] = fields.JSONField(default=dict)
    status = fields.CharEnumField(OutboxStatus, max_length=16, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    claimed_until = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=64, null=True)
    last_error = fields.TextField(null=True)
    sent_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "guest_outbox"
        indexes = (("status", "next_attempt_at"), ("restaurant_id", "channel", "chat_id", "status"))
