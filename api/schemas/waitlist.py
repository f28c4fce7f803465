"""The waitlist at the HTTP edge (camelCase)."""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from api.schemas import ApiModel, Sent
from api.schemas.common import Name, ShortText, Tags
from api.schemas.reservations import ClockTime, Comments, Guests, LocalTime
from core.models import WaitlistStatus


class WaitlistQuery(ApiModel):
    """``?date=`` one day (default: every date), ``?status=waiting,offered`` (default: the open ones)."""

    date: dt.date | None = None
    status: str | None = Field(None, max_length=200)

    def statuses(self) -> list[WaitlistStatus] | None:
        """The statuses asked for; ``ValueError`` names an unknown one."""
        if not self.status:
            return None
        return [WaitlistStatus(part.strip()) for part in self.status.split(",") if part.strip()]


class WaitlistIn(ApiModel):
    """``POST /api/waitlist``: a party of ``guests``, who (``guestId``, or ``name`` and/or ``phone``), when
    (``date`` and the ``timeFrom``..``timeTo`` window of start times; default today, from now for two
    hours) and the wait quoted (``quotedMinutes``)."""

    guests: Guests
    date: dt.date | None = None
    time_from: LocalTime | None = None
    time_to: LocalTime | None = None
    guest_id: int | None = None
    name: Name | None = None
    phone: ShortText | None = Field(None, min_length=3)
    quoted_minutes: int | None = Field(None, ge=0, le=24 * 60)
    comments: Comments | None = None
    tags: Tags = []

    @model_validator(mode="after")
    def _someone(self) -> WaitlistIn:
        if self.guest_id is None and not self.name and not self.phone:
            raise PydanticCustomError("invalid", "give guestId, or a name and/or a phone")
        return self


class WaitlistPatch(ApiModel):
    """``PATCH /api/waitlist/<id>``: only the fields sent change. ``status`` may be set to waiting, seated
    (seats the party now: its held table, ``tableId`` or the best free one), left or expired."""

    guests: Sent[Guests] = None
    date: Sent[dt.date] = None
    time_from: Sent[LocalTime] = None
    time_to: Sent[LocalTime] = None
    quoted_minutes: int | None = Field(None, ge=0, le=24 * 60)
    comments: Comments | None = None
    tags: Sent[Tags] = None
    status: Sent[WaitlistStatus] = None
    table_id: int | None = None


class WaitlistGuest(ApiModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str | None = None
    phone: str | None = None


class WaitlistOut(ApiModel):
    """One waiting party. ``status``: waiting, offered (a table is held for it: ``reservationId`` until
    ``offerExpiresAt``), booked, seated, left, expired. ``channel``/``chatId``: the chat it came from.
    Read from the domain's :class:`core.booking.waitlist_view.WaitlistView` (``from_attributes``)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    restaurant_id: int
    guest_id: int
    guest: WaitlistGuest | None = None
    guests: int
    date: dt.date
    time_from: ClockTime
    time_to: ClockTime
    quoted_minutes: int | None = None
    status: WaitlistStatus
    channel: str | None = None
    chat_id: str | None = None
    language: str
    source: str | None = None
    comments: str | None = None
    tags: list[str] = []
    reservation_id: int | None = None
    offer_round: int = 0
    offered_at: dt.datetime | None = None
    offer_expires_at: dt.datetime | None = None
    created_at: dt.datetime | None = None


class WaitlistList(ApiModel):
    items: list[WaitlistOut]


class ReadyOut(ApiModel):
    """``POST /api/waitlist/<id>/ready``: whether the message was queued (false: the party has no chat)."""

    queued: bool
    channel: str | None = None
