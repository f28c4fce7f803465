"""Reservations, bookings, availability, dashboard and timeslots at the HTTP edge (camelCase, the seed's names)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, RootModel, model_validator
from pydantic_core import PydanticCustomError

from api.schemas import ApiModel, ErrorOut, PageQuery, Sent
from api.schemas.common import Email, Language, Name, ShortText, TagFilter, Tags, domain_check
from core.booking.chosen_tables import MAX_CHOSEN_TABLES
from core.booking.hours import parse_local_time
from core.booking.sources import is_walk_in
from core.booking.timeslots import MAX_DAYS
from core.models import ReservationStatus


def _local_time(value: str) -> dt.time:
    return domain_check(parse_local_time)(value)


def _statuses(value: Any) -> list[ReservationStatus] | None:
    if value is None or value == "":
        return None
    parts = value if isinstance(value, list) else str(value).split(",")
    out: list[ReservationStatus] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        try:
            out.append(ReservationStatus(part))
        except ValueError:
            allowed = ", ".join(s.value for s in ReservationStatus)
            raise PydanticCustomError("invalid", f"unknown status {part!r}; use {allowed}") from None
    return out or None


def _hhmm(value: object) -> object:
    return f"{value:%H:%M}" if isinstance(value, dt.time) else value


#: A restaurant-local wall-clock time: "HH:MM" or "HH:MM:SS", never with a UTC offset.
LocalTime = Annotated[str, AfterValidator(_local_time)]
Guests = Annotated[int, Field(ge=1, le=1000)]
Duration = Annotated[int, Field(ge=15, le=720)]
Comments = Annotated[str, Field(max_length=2000)]
#: Tables staff chose by hand, the main one first (combined whatever their seats; a warning when too few).
TableIds = Annotated[list[int], Field(min_length=1, max_length=MAX_CHOSEN_TABLES)]
StatusList = Annotated[list[ReservationStatus] | None, BeforeValidator(_statuses)]
#: A restaurant-local time in an answer, "HH:MM" (written from a ``datetime.time`` of the domain's views).
ClockTime = Annotated[str, BeforeValidator(_hhmm)]


# --- requests --------------------------------------------------------------------------------


class ReservationQuery(PageQuery):
    """``?date=`` one day, ``?from=&to=`` a range (inclusive), ``?status=created,confirmed``,
    ``?q=`` part of the guest's name, phone or e-mail, ``?tag=vip`` bookings tagged so (or whose guest is);
    ``?page=&pageSize=``."""

    date: dt.date | None = None
    date_from: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    status: StatusList = None
    q: str | None = Field(None, max_length=255)
    tag: TagFilter | None = None

    @model_validator(mode="after")
    def _range(self) -> ReservationQuery:
        if self.date_from and self.to and self.date_from > self.to:
            raise PydanticCustomError("invalid", "'from' must not be after 'to'")
        return self


class ReservationSearchQuery(ApiModel):
    """``?q=`` part of the guest's name, phone or e-mail (at least 2 characters); ``?limit=`` (20)."""

    q: str = Field(min_length=2, max_length=255)
    limit: int = Field(20, ge=1, le=100)


class BookingGuestIn(ApiModel):
    """A guest given by contact details: found by phone, else by e-mail, in this restaurant, or created.
    ``name`` and a ``phone`` or an ``email`` are required except for a walk-in."""

    name: Name | None = None
    phone: ShortText | None = Field(None, min_length=3)
    email: Email | None = None
    language: Language | None = None


class BookingCreate(ApiModel):
    """``POST /api/booking/create``: the time wanted, the party and either ``guestId`` or ``guest``.
    With ``"source": "walk_in"`` the party is seated now: no ``date``/``time``, and the guest is optional
    (``guest.name`` and ``guest.phone`` each optional). ``tableIds`` (or one ``tableId``): the tables staff
    chose, main first, combined by hand; seats fewer than the party are a ``warning``, not a refusal."""

    date: dt.date | None = None
    time: LocalTime | None = None
    guests: Guests
    duration: Duration | None = None
    table_id: int | None = None
    table_ids: TableIds | None = None
    comments: Comments | None = None
    source: str | None = Field(None, max_length=100)
    guest_id: int | None = None
    guest: BookingGuestIn | None = None
    tags: Tags = []

    @property
    def walk_in(self) -> bool:
        """True for a walk-in (seated now)."""
        return is_walk_in(self.source)

    @property
    def chosen(self) -> bool:
        """True when staff chose the tables."""
        return self.table_id is not None or self.table_ids is not None

    @model_validator(mode="after")
    def _one_guest(self) -> BookingCreate:
        if self.guest_id is not None and self.guest is not None:
            raise PydanticCustomError("invalid", "give either guestId or guest {name, phone}, not both")
        _one_choice(self.table_id, self.table_ids)
        if self.walk_in:
            if self.date is not None or self.time is not None:
                raise PydanticCustomError("invalid", "a walk-in is seated now: leave out date and time")
            return self
        if self.date is None or self.time is None:
            raise PydanticCustomError("invalid", "give the date and time of the booking")
        if self.guest_id is None and self.guest is None:
            raise PydanticCustomError("invalid", "give either guestId or guest {name, phone}")
        if self.guest is not None and (not self.guest.name or not (self.guest.phone or self.guest.email)):
            raise PydanticCustomError(
                "invalid", "guest needs a name and a phone or an e-mail (only a walk-in may go without)"
            )
        return self


def _one_choice(table_id: int | None, table_ids: list[int] | None) -> None:
    if table_id is not None and table_ids is not None:
        raise PydanticCustomError("invalid", "give either tableId or tableIds, not both")


class ReservationPatch(ApiModel):
    """``PATCH /api/reservations/<id>``: only the fields sent change; ``status`` goes through the
    state machine, the rest through a modification (checked for availability like a new booking).
    ``tableIds`` (or one ``tableId``) puts it on the tables staff chose, as in a new booking."""

    date: Sent[dt.date] = None
    time: Sent[LocalTime] = None
    guests: Sent[Guests] = None
    table_id: int | None = None
    table_ids: TableIds | None = None
    duration: Duration | None = None
    comments: Comments | None = None
    status: Sent[ReservationStatus] = None
    tags: Sent[Tags] = None
    confirm_seating: bool = Field(
        False, description="Seat it even far from its booked time (after a 409 `confirm_seating`)."
    )

    @model_validator(mode="after")
    def _something(self) -> ReservationPatch:
        if not self.model_fields_set - {"confirm_seating"}:
            raise PydanticCustomError("invalid", "send at least one field to change")
        for name in ("date", "time", "guests", "status", "tags"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise PydanticCustomError("invalid", f"{name} may not be null")
        _one_choice(self.table_id, self.table_ids)
        return self


class CorrectionIn(ApiModel):
    """``POST /api/reservations/<id>/correct``: the live status to put a wrong final one back to, and why."""

    status: ReservationStatus
    reason: str = Field(min_length=1, max_length=500)


class AvailabilityQuery(ApiModel):
    """``?date=&guests=`` and optionally ``time=`` (and ``duration=``)."""

    date: dt.date
    time: LocalTime | None = None
    guests: Guests
    duration: Duration | None = None


class TimeslotGenerate(ApiModel):
    """``{days}``: generate timeslots for today and the next ``days - 1`` days (at most 92)."""

    days: int = Field(14, ge=1, le=MAX_DAYS)


class DateQuery(ApiModel):
    """``?date=`` (default: the restaurant's today)."""

    date: dt.date | None = None


class UpcomingQuery(ApiModel):
    limit: int = Field(10, ge=1, le=100)


# --- responses -------------------------------------------------------------------------------


class GuestBrief(ApiModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    tags: list[str] = []


class TableBrief(ApiModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    min_guests: int
    max_guests: int


class SeatingWarningOut(ApiModel):
    """Staff put the party on tables that seat fewer than it: booked as chosen, but said so."""

    code: str = Field(description="`over_capacity`")
    message: str
    seats: int
    guests: int


class ReservationOut(ApiModel):
    """The seed's join: the reservation's own fields with its ``guest`` and ``table`` (null when none);
    beyond the seed, ``tableIds`` (every table of a combination), the absolute ``startsAt``/``endsAt`` and
    ``allowedStatuses``, the statuses the state machine allows next (what a PATCH of ``status`` accepts).
    Read from the domain's :class:`core.booking.views.ReservationView` (``from_attributes``)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    restaurant_id: int
    guest_id: int
    table_id: int | None
    timeslot_id: int | None = None
    date: dt.date
    time: ClockTime
    duration: int | None
    guests: int
    status: ReservationStatus
    allowed_statuses: list[ReservationStatus] = []
    corrections: list[ReservationStatus] = Field(
        [], description="The live statuses a wrong final status may be corrected back to (POST .../correct)."
    )
    comments: str | None = None
    tags: list[str] = []
    source: str | None = None
    confirmation_1h: bool = Field(False, alias="confirmation1h")
    confirmation_2h: bool = Field(False, alias="confirmation2h")
    created_at: dt.datetime | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    table_ids: list[int] = []
    guest: GuestBrief | None = None
    table: TableBrief | None = None
    warning: SeatingWarningOut | None = Field(
        None, description="Only in the answer to a write on tables staff chose: they seat fewer than the party."
    )


class ReservationChangeOut(ApiModel):
    """One entry of a reservation's history."""

    id: int
    type: str
    changes: dict[str, Any] | None = None
    actor: str | None = None
    source: str | None = None
    created_at: dt.datetime


class ReservationMessageOut(ApiModel):
    """One message the service sent (or tried to send) the guest about a reservation."""

    id: int
    kind: str  # "notification" (a confirmation or a change), "reminder"
    notice: str | None = None  # for a notification: created, moved, confirmed, canceled
    channel: str  # where: the channel's name ("" when no channel reached the guest)
    to: str  # the chat id, phone or e-mail address
    status: str  # pending, claimed, sending, sent, delivered, failed, blocked, skipped
    text: str
    attempts: int
    last_error: str | None = None
    created_at: dt.datetime
    sent_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None


class ReservationStatusesOut(ApiModel):
    """The reservation statuses: ``statuses`` in lifecycle order, ``active`` (they hold tables: such a booking
    can be moved, edited and seated), ``transitions`` (the moves each status allows) and ``corrections``
    (the live statuses a wrong final one may be put back to, within the correction window)."""

    statuses: list[ReservationStatus]
    active: list[ReservationStatus]
    transitions: dict[ReservationStatus, list[ReservationStatus]]
    corrections: dict[ReservationStatus, list[ReservationStatus]]


class ReservationPage(ApiModel):
    items: list[ReservationOut]
    total: int
    page: int
    page_size: int


class ReservationSearchOut(ApiModel):
    """Found bookings: the first ``upcoming`` of ``items`` are upcoming (soonest first), the rest past
    (latest first)."""

    items: list[ReservationOut]
    upcoming: int


class Alternative(ApiModel):
    date: dt.date
    time: str


class AvailabilityOut(ApiModel):
    """With a time: is it free, which tables (the best option first), and nearby free times if not."""

    available: bool
    date: dt.date
    time: str
    duration: int | None = None
    tables: list[TableBrief]
    options: list[list[TableBrief]]
    alternatives: list[Alternative]


class DayTimesOut(ApiModel):
    """Without a time: the day's bookable start times for the party."""

    date: dt.date
    guests: int
    times: list[ClockTime]


class AvailabilityAnswer(RootModel[AvailabilityOut | DayTimesOut]):
    """``GET /api/booking/availability``: :class:`AvailabilityOut` with ``time``, :class:`DayTimesOut` without."""


class ConflictOut(ErrorOut):
    """409: nothing fits (``slot_unavailable``: ``alternatives`` are nearby free times), or a status change
    the reservation's state does not allow (``invalid_transition``)."""

    alternatives: list[Alternative] = []


class DashboardStats(ApiModel):
    today_reservations: int
    confirmed_reservations: int
    pending_reservations: int
    total_guests: int


class TimeslotStats(ApiModel):
    total: int
    free: int
    pending: int
    occupied: int


class GeneratedOut(ApiModel):
    created: int
