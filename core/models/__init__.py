"""Tortoise models, one module per aggregate. Tortoise discovers them through this package."""

from core.models.activity import AiActivity
from core.models.consent import GuestConsent
from core.models.conversation import (
    Conversation,
    ConversationMessage,
    ConversationStatus,
    MessageRole,
    ProcessedMessage,
)
from core.models.enums import (
    ACTIVE_STATUSES,
    ReservationStatus,
    TableStatus,
    TimeslotStatus,
    UserRole,
)
from core.models.guest import Guest, GuestIdentity
from core.models.integration import IntegrationSetting
from core.models.membership import ApiToken, StaffMembership
from core.models.outbox import OPEN_STATUSES, OutboxMessage, OutboxStatus
from core.models.reservation import Reservation, ReservationChange, ReservationTable
from core.models.restaurant import Restaurant, Table, Timeslot
from core.models.shared import SharedKey
from core.models.user import StaffSession, User
from core.models.waitlist import OPEN_WAITLIST, WaitlistEntry, WaitlistStatus
from core.models.worker import WorkerHeartbeat

__all__ = [
    "ACTIVE_STATUSES",
    "AiActivity",
    "ApiToken",
    "Conversation",
    "ConversationMessage",
    "ConversationStatus",
    "Guest",
    "GuestConsent",
    "GuestIdentity",
    "IntegrationSetting",
    "MessageRole",
    "OPEN_STATUSES",
    "OPEN_WAITLIST",
    "OutboxMessage",
    "OutboxStatus",
    "ProcessedMessage",
    "Reservation",
    "ReservationChange",
    "ReservationStatus",
    "ReservationTable",
    "Restaurant",
    "SharedKey",
    "StaffMembership",
    "StaffSession",
    "Table",
    "TableStatus",
    "Timeslot",
    "TimeslotStatus",
    "User",
    "WorkerHeartbeat",
    "UserRole",
    "WaitlistEntry",
    "WaitlistStatus",
]
