"""The guest's manage link at the HTTP edge: what the page reads and sends (camelCase)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from api.schemas import ApiModel, Sent
from api.schemas.common import Language
from api.schemas.reservations import ClockTime, Guests, LocalTime


class ManageQuery(ApiModel):
    """``?lang=``: the page's language (the guest's own by default)."""

    lang: Language | None = None


class ManageTimesQuery(ApiModel):
    """``?date=&guests=`` (and ``lang``): the free times a change may pick."""

    date: dt.date
    guests: Guests
    lang: Language | None = None


class ManageChange(ApiModel):
    """``PATCH``: the new ``date``, ``time`` and/or ``guests`` (what is left out stays)."""

    date: Sent[dt.date] = None
    time: Sent[LocalTime] = None
    guests: Sent[Guests] = None

    @model_validator(mode="after")
    def _something(self) -> ManageChange:
        if not self.model_fields_set & {"date", "time", "guests"}:
            raise PydanticCustomError("invalid", "send the new date, time or guests")
        return self


class ManagedReservationOut(ApiModel):
    """The booking as its guest sees it (no contact details, no tables)."""

    id: int
    date: str
    time: str
    guests: int
    duration: int | None
    status: str
    starts_at: str
    ends_at: str
    guest_name: str


class ManagedRestaurantOut(ApiModel):
    """Where the booking is."""

    name: str
    address: str | None
    phone: str | None
    timezone: str


class ManageLabels(ApiModel):
    """The booking in the page's language, as the page shows it."""

    when: str = Field(description='"Thursday, 24 December 2026, 19:00" in the page\'s language')
    party: str = Field(description='"4 guests"')
    status: str


class ManageOut(ApiModel):
    """``GET /api/manage/<token>`` and the answer of every change."""

    reservation: ManagedReservationOut
    restaurant: ManagedRestaurantOut
    open: bool = Field(description="whether it may still be changed and cancelled from the link")
    max_guests: int = Field(description="the largest party the restaurant takes online")
    first_day: dt.date
    last_day: dt.date
    language: str
    labels: ManageLabels
    token: str = Field(description="a fresh token of this booking (expiring after its current end)")
    manage_url: str
    calendar_url: str
    expires_at: str


class ManageTimesOut(ApiModel):
    """The free start times of a day for a party, counting this booking's own tables as free."""

    date: dt.date
    guests: int
    times: list[ClockTime]
