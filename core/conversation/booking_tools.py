"""The built-in booking tools: a library of tools the LLM calls and the guided flow calls directly.

Their names and parameters are part of the platform's contract:
``check_availability``, ``find_alternative_times``, ``create_reservation``,
``list_my_reservations``, ``modify_reservation``, ``cancel_reservation``,
``get_restaurant_info``, ``hand_off_to_staff``. Their JSON schemas are generated from the
pydantic argument models below; the guided flow calls the same handlers. They are offered to the
LLM by the built-in plugin :mod:`core.conversation.builtin_tools`, through the same hook third-party
plugins use.

Guardrails live here, in code: every handler works in the conversation's
restaurant (``context.restaurant_id``) and as the conversation's guest
(``guest_id=context.guest.id`` on every read or change of a reservation), so
whatever id the model sends, another guest's reservation is simply not found.
Arguments are validated with pydantic; :func:`core.conversation.tools.run_tool`
turns a bad argument or a domain error into a tool result.
"""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from core.booking import availability
from core.booking.hours import describe_hours, parse_local_date, parse_local_time, to_local
from core.booking.refusal_reasons import free_time_json, hhmm
from core.booking.rules import rules_for
from core.booking.service import BookingRequest, ReservationChanges
from core.booking.tags import KNOWN_TAGS, MAX_TAGS
from core.booking.view_json import reservation_json
from core.booking.views import reservation_view
from core.conversation import handoff, store
from core.conversation.tools import Tool, ToolArgs, ToolContext, ToolResult
from core.errors import NotFound, ValidationError
from core.events import Actor
from core.jsontypes import JSONObject

if TYPE_CHECKING:
    from core.models import Reservation

    pass

LocalDate = Annotated[date, BeforeValidator(parse_local_date)]
LocalTime = Annotated[time, BeforeValidator(parse_local_time)]
Guests = Annotated[int, Field(ge=1, le=100)]


def _reservation_id(value: object) -> object:
    return value.strip().lstrip("#") if isinstance(value, str) else value


ReservationId = Annotated[int, BeforeValidator(_reservation_id), Field(ge=1)]


class _Args(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


_DATE = "Local date at the restaurant, YYYY-MM-DD"
_TIME = "Local time at the restaurant, HH:MM (24-hour)"
_RID = "The reservation id from list_my_reservations"


class SlotArgs(_Args):
    date: LocalDate = Field(description=_DATE)
    time: LocalTime = Field(description=_TIME)
    guests: Guests = Field(description="Party size")


class CreateArgs(SlotArgs):
    name: str = Field(min_length=1, max_length=255, description="The guest's name")
    phone: str | None = Field(default=None, max_length=50, description="The guest's phone number, with country code")
    comments: str | None = Field(
        default=None, max_length=1000, description="Special requests (allergies, occasion, seating)"
    )
    tags: list[str] | None = Field(
        default=None,
        max_length=MAX_TAGS,
        description="Tags for the host stand, for the special requests: " + ", ".join(KNOWN_TAGS),
    )


class ModifyArgs(_Args):
    reservation_id: ReservationId = Field(description=_RID)
    date: LocalDate | None = Field(default=None, description=_DATE)
    time: LocalTime | None = Field(default=None, description=_TIME)
    guests: Guests | None = Field(default=None, description="Party size")
    comments: str | None = Field(default=None, max_length=1000, description="New special requests")


class ReservationArgs(_Args):
    reservation_id: ReservationId = Field(description=_RID)


class NoArgs(_Args):
    pass


class HandoffArgs(_Args):
    reason: str | None = Field(default=None, max_length=500, description="Why a person is needed, in a few words")


def _availability(result: availability.Availability, guests: int) -> ToolResult:
    return {
        "available": result.available,
        "date": result.date.isoformat(),
        "time": hhmm(result.time),
        "guests": guests,
        "duration_minutes": result.duration,
        "alternatives": [free_time_json(free) for free in result.alternatives],
    }


def guest_view(reservation: Reservation) -> JSONObject:
    """What the model needs of a reservation (the shared JSON shape, without staff-only fields)."""
    full = reservation_json(reservation_view(reservation))
    return {k: full[k] for k in ("id", "date", "time", "duration", "guests", "status", "comments")}


def own_guest_id(context: ToolContext) -> int:
    """The chat's guest's id (every tool acts as them); ``NotFound`` while the guest is not known."""
    if context.guest is None:
        raise NotFound("No reservations were found for you in this chat.")
    return context.guest.id


async def check_availability(context: ToolContext, args: ToolArgs) -> ToolResult:
    a = SlotArgs.model_validate(args)
    result = await availability.check_availability(context.restaurant_id, a.date, a.time, a.guests, now=context.now)
    return _availability(result, a.guests)


async def find_alternative_times(context: ToolContext, args: ToolArgs) -> ToolResult:
    a = SlotArgs.model_validate(args)
    found = await availability.find_alternatives(context.restaurant_id, a.date, a.time, a.guests, now=context.now)
    return {
        "date": a.date,
        "requested_time": a.time,
        "guests": a.guests,
        "alternatives": [free_time_json(f) for f in found],
    }


async def create_reservation(context: ToolContext, args: ToolArgs) -> ToolResult:
    a = CreateArgs.model_validate(args)
    guest = await store.ensure_guest(context, name=a.name, phone=a.phone)
    request = BookingRequest(
        date=a.date,
        time=a.time,
        guests=a.guests,
        comments=a.comments,
        tags=list(a.tags or []),
        source=context.channel,
        guest_id=guest.id,
    )
    reservation = await context.service.create(context.restaurant_id, request, guest=guest, actor=Actor.GUEST)
    return {"reservation": guest_view(reservation)}


async def list_my_reservations(context: ToolContext, args: ToolArgs) -> ToolResult:
    if context.guest is None:
        return {"reservations": [], "note": "The guest has no reservations known in this chat."}
    found = await context.service.list_for_guest(context.restaurant_id, context.guest.id, upcoming_only=True)
    return {"reservations": [guest_view(r) for r in found]}


async def modify_reservation(context: ToolContext, args: ToolArgs) -> ToolResult:
    a = ModifyArgs.model_validate(args)
    if a.date is None and a.time is None and a.guests is None and a.comments is None:
        raise ValidationError("Nothing to change: give a new date, time, guests or comments.")
    changes = ReservationChanges(date=a.date, time=a.time, guests=a.guests, comments=a.comments)
    reservation = await context.service.modify(
        context.restaurant_id, a.reservation_id, changes, guest_id=own_guest_id(context)
    )
    return {"reservation": guest_view(reservation)}


async def cancel_reservation(context: ToolContext, args: ToolArgs) -> ToolResult:
    a = ReservationArgs.model_validate(args)
    reservation = await context.service.cancel(context.restaurant_id, a.reservation_id, guest_id=own_guest_id(context))
    return {"reservation": guest_view(reservation), "canceled": True}


async def get_restaurant_info(context: ToolContext, args: ToolArgs) -> ToolResult:
    r = context.restaurant
    return {
        "name": r.name,
        "address": r.address,
        "phone": r.phone,
        "email": r.email,
        "website": r.website,
        "cuisine": r.cuisine_type,
        "price_range": r.price_range,
        "timezone": r.timezone,
        "opening_hours": describe_hours(rules_for(r), exceptions_from=to_local(context.now, r.timezone)[0]),
    }


async def hand_off_to_staff(context: ToolContext, args: ToolArgs) -> ToolResult:
    HandoffArgs.model_validate(args)
    context.turn.handoff = handoff.GUEST_ASKED
    return {"handed_off": True, "note": "Tell the guest a member of staff will answer here soon; then stop."}


BUILTIN_TOOLS = [
    Tool.from_model(
        "check_availability",
        "Check whether a table is free for a party at a local date and time. Returns alternatives when it is not.",
        SlotArgs,
        check_availability,
    ),
    Tool.from_model(
        "find_alternative_times",
        "The nearest free start times around the requested one: the same day first, then the following days.",
        SlotArgs,
        find_alternative_times,
    ),
    Tool.from_model(
        "create_reservation",
        "Book a table for the guest. Only call after the guest confirmed date, time, party size and name.",
        CreateArgs,
        create_reservation,
        changes_reservation=True,
    ),
    Tool.from_model(
        "list_my_reservations",
        "List the guest's own upcoming reservations (with their ids).",
        NoArgs,
        list_my_reservations,
    ),
    Tool.from_model(
        "modify_reservation",
        "Change one of the guest's own reservations. Only call after the guest confirmed the change.",
        ModifyArgs,
        modify_reservation,
        changes_reservation=True,
    ),
    Tool.from_model(
        "cancel_reservation",
        "Cancel one of the guest's own reservations. Only call after the guest confirmed the cancellation.",
        ReservationArgs,
        cancel_reservation,
        changes_reservation=True,
    ),
    Tool.from_model(
        "get_restaurant_info",
        "The restaurant's name, address, contacts, website, cuisine, price range, time zone and opening hours.",
        NoArgs,
        get_restaurant_info,
    ),
    Tool.from_model(
        "hand_off_to_staff",
        "Hand the conversation to a member of staff: when the guest asks for a person, or you cannot help them.",
        HandoffArgs,
        hand_off_to_staff,
    ),
]


BUILTIN_BY_NAME = {tool.name: tool for tool in BUILTIN_TOOLS}
