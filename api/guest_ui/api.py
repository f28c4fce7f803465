"""The manage link's small API: ``/api/manage/<token>`` (read, ``PATCH`` to change), ``/cancel``, ``/times``,
``/calendar.ics``. No sign-in: the signed token is the permission, for its one booking
(:mod:`core.booking.self_service`). Every request counts against the caller's address
(:data:`REQUESTS_PER_MINUTE`), and changes against the booking too (:data:`CHANGES_PER_HOUR`).

A token that is malformed, forged, expired or whose booking is gone answers 404 with
``code: invalid_manage_link`` and ``problem`` (``malformed``, ``forged``, ``expired``).
"""

from __future__ import annotations

from typing import Any

from quart import Blueprint, Response, current_app
from quart_schema import tag, validate_querystring, validate_request, validate_response

from api.guest_ui import texts
from api.openapi import answers_error
from api.reservations import booking_service
from api.schemas.manage import ManageChange, ManageOut, ManageQuery, ManageTimesOut, ManageTimesQuery
from api.schemas.reservations import ConflictOut
from api.security import client_address
from core.booking.calendar import ICS_CONTENT_TYPE, ics_filename, reservation_ics
from core.booking.hours import parse_local_time
from core.booking.manage_link import MANAGE_PATH, manage_token
from core.booking.self_service import GuestSelfService, ManagedBooking
from core.runtime import runtime_of
from core.throttle import throttle

blueprint = Blueprint("manage", __name__, url_prefix="/api/manage")
#: Requests of one address to the manage page and its API, a minute.
REQUESTS_PER_MINUTE = 60
#: Changes and cancellations of one booking through its link, an hour.
CHANGES_PER_HOUR = 20


def self_service() -> GuestSelfService:
    """The manage link's actions on this app's booking engine and secret."""
    return GuestSelfService(booking_service(), runtime_of(current_app).settings.secret_key)


async def count_request() -> None:
    """Count a request of the caller's address to the manage page or its API (429 past the limit)."""
    cache = runtime_of(current_app).cache
    await throttle(cache, "manage:addr:" + client_address(), limit=REQUESTS_PER_MINUTE, window=60)


async def count_change(managed: ManagedBooking) -> None:
    """Count a change of this booking (429 past :data:`CHANGES_PER_HOUR`)."""
    cache = runtime_of(current_app).cache
    key = f"manage:change:{managed.restaurant.id}:{managed.reservation.id}"
    await throttle(cache, key, limit=CHANGES_PER_HOUR, window=3600)


def language_of(managed: ManagedBooking, asked: str | None) -> str:
    """The page's language: asked for, else the guest's, else the restaurant's."""
    return texts.page_language(asked, managed.reservation.guest.language, managed.restaurant.default_language)


def managed_view(managed: ManagedBooking, language: str) -> dict[str, Any]:
    """The booking as the page reads it (:class:`api.schemas.manage.ManageOut`), with a fresh token."""
    settings = runtime_of(current_app).settings
    reservation, restaurant = managed.reservation, managed.restaurant
    token = manage_token(settings.secret_key, reservation)
    status = str(reservation.status)
    return {
        "reservation": {
            "id": reservation.id,
            "date": reservation.date.isoformat(),
            "time": f"{reservation.time:%H:%M}",
            "guests": reservation.guests,
            "duration": reservation.duration,
            "status": status,
            "startsAt": reservation.starts_at.isoformat(),
            "endsAt": reservation.ends_at.isoformat(),
            "guestName": reservation.guest.name,
        },
        "restaurant": {
            "name": restaurant.name,
            "address": restaurant.address,
            "phone": restaurant.phone,
            "timezone": restaurant.timezone,
        },
        "open": managed.open,
        "maxGuests": managed.max_guests,
        "firstDay": managed.first_day.isoformat(),
        "lastDay": managed.last_day.isoformat(),
        "language": language,
        "labels": {
            "when": texts.when(language, reservation.date, reservation.time),
            "party": texts.party(language, reservation.guests),
            "status": texts.status(language, status),
        },
        "token": token,
        "manageUrl": settings.public_base_url.rstrip("/") + MANAGE_PATH + token,
        "calendarUrl": f"{blueprint.url_prefix}/{token}/calendar.ics",
        "expiresAt": managed.grant.expires_at.isoformat(),
    }


@blueprint.get("/<token>")
@tag(["guest"])
@answers_error(429, "too many requests from this address (wait `Retry-After` seconds)")
@validate_querystring(ManageQuery)
@validate_response(ManageOut)
async def show(token: str, query_args: ManageQuery) -> dict[str, Any]:
    """The booking the link grants, in the guest's language (or ``?lang=``); 404 for a link that is
    malformed, forged, expired or whose booking is gone."""
    await count_request()
    managed = await self_service().open(token)
    return managed_view(managed, language_of(managed, query_args.lang))


@blueprint.get("/<token>/times")
@tag(["guest"])
@answers_error(400, "a party the restaurant cannot seat online (code `party_too_large`)")
@answers_error(429, "too many requests from this address (wait `Retry-After` seconds)")
@validate_querystring(ManageTimesQuery)
@validate_response(ManageTimesOut)
async def times(token: str, query_args: ManageTimesQuery) -> dict[str, Any]:
    """The free start times of ``date`` for ``guests`` that the booking could move to."""
    await count_request()
    q = query_args
    found = await self_service().times(token, q.date, q.guests)
    return {"date": q.date, "guests": q.guests, "times": found}


@blueprint.patch("/<token>")
@tag(["guest"])
@answers_error(400, "a booking rule refuses the new time: too soon, too far ahead, closed, party too large")
@answers_error(409, "the booking has started, ended or was cancelled (code `booking_closed`)")
@answers_error(429, "too many requests from this address or changes of this booking")
@validate_request(ManageChange)
@validate_response(ManageOut)
@validate_response(ConflictOut, 409)
async def change(token: str, data: ManageChange) -> dict[str, Any]:
    """Move the booking to a new date, time and/or party size through the booking engine; 409 with
    ``alternatives`` when the new time is taken. The answer carries a fresh ``token``/``manageUrl``."""
    await count_request()
    service = self_service()
    managed = await service.open(token)
    await count_change(managed)
    at = parse_local_time(data.time) if data.time is not None else None
    changed = await service.change(token, day=data.date, at=at, guests=data.guests)
    return managed_view(changed, language_of(changed, None))


@blueprint.post("/<token>/cancel")
@tag(["guest"])
@answers_error(409, "the booking has started, ended or was already cancelled (code `booking_closed`)")
@answers_error(429, "too many requests from this address or changes of this booking")
@validate_response(ManageOut)
async def cancel(token: str) -> dict[str, Any]:
    """Cancel the booking as its guest."""
    await count_request()
    service = self_service()
    managed = await service.open(token)
    await count_change(managed)
    canceled = await service.cancel(token)
    return managed_view(canceled, language_of(canceled, None))


@blueprint.get("/<token>/calendar.ics")
@tag(["guest"])
@answers_error(429, "too many requests from this address (wait `Retry-After` seconds)")
@validate_querystring(ManageQuery)
async def calendar(token: str, query_args: ManageQuery) -> Response:
    """The booking as an iCalendar file (``text/calendar``), in the restaurant's time zone."""
    await count_request()
    managed = await self_service().open(token)
    runtime = runtime_of(current_app)
    settings = runtime.settings
    reservation = managed.reservation
    body = reservation_ics(
        reservation,
        managed.restaurant,
        now=runtime.clock(),
        base_url=settings.public_base_url,
        language=language_of(managed, query_args.lang),
        manage_url=settings.public_base_url.rstrip("/") + MANAGE_PATH + manage_token(settings.secret_key, reservation),
    )
    response = Response(body, content_type=ICS_CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{ics_filename(reservation)}"'
    return response
