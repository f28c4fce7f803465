"""Tortoise models, one module per aggregate. Tortoise discovers them through this package."""

from core.models.activity import AiActivity
from core.models.conversation import (
    Conversation,
    ConversationMessage,
    ConversationStatus,
    MessageRole,
    ProcessedMessage,
)
from core.models.enums import (
    ACTIVE_STATUSES,
    Channel,
    ReservationStatus,
    TableStatus,
    TimeslotStatus,
    UserRole,
)
from core.models.guest import Guest, GuestIdentity
from core.models.integration import IntegrationSetting
from core.models.reservation import Reservation, ReservationTable
from core.models.restaurant import Restaurant, Table, Timeslot
from core.models.shared import SharedKey
from core.models.user import ApiToken, StaffMembership, StaffSession, User

__all__ = [
    "ACTIVE_STATUSES",
    "AiActivity",
    "ApiToken",
    "Channel",
    "Conversation",
    "ConversationMessage",
    "ConversationStatus",
    "Guest",
    "GuestIdentity",
    "IntegrationSetting",
    "MessageRole",
    "ProcessedMessage",
    "Reservation",
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
    "UserRole",
]
