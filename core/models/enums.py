"""Enumerations shared by the models, the booking engine and the API.

Values are the seed's strings, so that JSON stays compatible with its dashboard.
"""

from __future__ import annotations

from enum import StrEnum


class UserRole(StrEnum):
    """Who a user is: ``admin`` sees every restaurant, ``restaurant`` owns one, ``staff`` works in one."""

    ADMIN = "admin"
    RESTAURANT = "restaurant"
    STAFF = "staff"


class TableStatus(StrEnum):
    """Floor status of a table; ``unavailable`` takes it out of booking."""

    FREE = "free"
    OCCUPIED = "occupied"
    RESERVED = "reserved"
    UNAVAILABLE = "unavailable"


class TimeslotStatus(StrEnum):
    """State of one generated timeslot, derived from the reservations that overlap it."""

    FREE = "free"
    PENDING = "pending"
    OCCUPIED = "occupied"


class ReservationStatus(StrEnum):
    """Life cycle of a reservation (the seed's five plus ``seated`` and ``no_show``)."""

    CREATED = "created"
    CONFIRMED = "confirmed"
    SEATED = "seated"
    COMPLETED = "completed"
    CANCELED = "canceled"
    NO_SHOW = "no_show"
    ARCHIVED = "archived"


#: Statuses that hold a table: only these take part in overlap checks and the exclusion constraint.
ACTIVE_STATUSES: tuple[ReservationStatus, ...] = (
    ReservationStatus.CREATED,
    ReservationStatus.CONFIRMED,
    ReservationStatus.SEATED,
)
