"""The widget's booking form: for visitors who would rather click than chat.

Three routes beside the chat's, with the same caller checks (an unknown restaurant is a 404, a page on
an origin the restaurant did not allow a 403, CORS for the allowed ones):

* ``GET /channels/webchat/<id>/form?lang=``: the form's words in the visitor's language, the days it
  may book (``firstDay``, ``lastDay``) and the largest party it takes online (``maxGuests``);
* ``GET /channels/webchat/<id>/times?date=&guests=``: the free start times, from availability;
* ``POST /channels/webchat/<id>/bookings`` ``{sessionId, date, time, guests, name, phone?, email?}``:
  books through the booking engine as the guest, with source ``form`` (so it is confirmed like every
  booking), and answers ``201 {reservation, message, manageUrl, calendarUrl}`` (the booking's manage
  link and its ``.ics``).

A booking needs a name and a phone or an e-mail. A guest already known by that phone or e-mail is
booked as that guest, but nothing stored about them changes on a stranger's word, and this browser's
chat is not linked to them. Refusals answer ``{message, code, errors?, alternatives?}`` with the status
the staff API would use (400, 409, 429), CORS headers included, so the widget can say why.

Limits (:mod:`core.throttle`): :data:`TIMES_PER_MINUTE` look-ups a minute per address, and
:data:`BOOKINGS_PER_HOUR` bookings an hour per address and per session.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as SchemaError
from quart import Blueprint, Response, current_app, jsonify, request
from quart_schema import hide

from channels.webchat import texts
from channels.webchat.routes import SESSION_ID, _browser_language, _cors, _refuse_caller
from core.booking import availability
from core.booking.assignment import largest_party
from core.booking.guests import clean_email, guest_by_contact, normalise_phone, region_of
from core.booking.hours import parse_local_time, to_local
from core.booking.manage_link import MANAGE_PATH, manage_token
from core.booking.service import BookingRequest, BookingService, GuestInput
from core.conversation.i18n import Catalogs, day_label
from core.errors import DomainError, RateLimited, SlotUnavailable
from core.events import Actor
from core.runtime import runtime_of
from core.throttle import throttle

SOURCE = "form"
CATALOGS = Catalogs(Path(__file__).resolve().parent / "locales")
#: Free-times look-ups a minute from one address.
TIMES_PER_MINUTE = 60
#: Bookings an hour from one address, and from one widget session.
BOOKINGS_PER_HOUR = 10
#: The most party sizes the form offers (a larger party calls the restaurant).
MOST_GUESTS_OFFERED = 20
#: The words the widget's script shows (every key of the catalog but the plural one, filled in here).
FORM_KEYS = tuple(sorted(CATALOGS.keys("en") - {"guests"}))

blueprint = Blueprint("webchat_form", __name__)


class BookingForm(BaseModel):
    """What the form sends; everything a visitor typed is checked here."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    session_id: str = Field(alias="sessionId", pattern=SESSION_ID.pattern)
    date: dt.date
    time: str = Field(max_length=8)
    guests: int = Field(ge=1, le=1000)
    name: str = Field(min_length=1, max_length=255)
    phone: str | None = Field(None, max_length=50)
    email: str | None = Field(None, max_length=255)

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        try:
            parse_local_time(value)
        except DomainError as error:
            raise ValueError(error.message) from None
        return value


def _answer(body: dict[str, Any], status: int, origin: str | None) -> tuple[Response, int]:
    return _cors(jsonify(body), origin), status


def _refusal(error: DomainError, origin: str | None) -> tuple[Response, int]:
    """A domain refusal as the staff API words it, with CORS (the app's own handler would add none)."""
    status = 409 if isinstance(error, SlotUnavailable) else 429 if isinstance(error, RateLimited) else 400
    body: dict[str, Any] = {"message": error.message, "code": error.code, **error.details}
    response, status = _answer(body, status, origin)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.details.get("retryAfter", 60))
    return response, status


def _language() -> str:
    asked = texts.best_language(request.args.get("lang", ""))
    return texts.language(asked or _browser_language())


def _address() -> str:
    return request.remote_addr or "unknown"


async def _days(restaurant_id: int) -> tuple[dt.date, dt.date, int]:
    setting = await availability.load_setting(restaurant_id)
    today, _ = to_local(runtime_of(current_app).clock(), setting.rules.tz)
    most = largest_party(setting.tables)
    if setting.rules.pacing_max_covers is not None:
        most = min(most, setting.rules.pacing_max_covers)
    return today, today + dt.timedelta(days=setting.rules.max_advance_days), most


@blueprint.get("/channels/webchat/<int:restaurant_id>/form")
@hide
async def form(restaurant_id: int) -> Response | tuple[Response, int]:
    """The form's words and bounds: ``{language, texts, firstDay, lastDay, maxGuests}``."""
    origin = request.headers.get("Origin")
    refusal = await _refuse_caller(restaurant_id, origin)
    if refusal is not None:
        return refusal
    language = _language()
    catalog = CATALOGS.catalog(language)
    first, last, most = await _days(restaurant_id)
    body = {
        "language": language,
        "texts": {key: catalog.gettext(key) for key in FORM_KEYS},
        "firstDay": first.isoformat(),
        "lastDay": last.isoformat(),
        "maxGuests": min(most, MOST_GUESTS_OFFERED),
    }
    response = _cors(jsonify(body), origin)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/channels/webchat/<int:restaurant_id>/times")
@hide
async def times(restaurant_id: int) -> Response | tuple[Response, int]:
    """``?date=&guests=`` -> ``{date, guests, times: ["HH:MM"]}``, the free start times of that day."""
    origin = request.headers.get("Origin")
    refusal = await _refuse_caller(restaurant_id, origin)
    if refusal is not None:
        return refusal
    date_arg, guests_arg = request.args.get("date", ""), request.args.get("guests", "")
    try:
        day = dt.date.fromisoformat(date_arg)
    except ValueError:
        return _answer({"message": "date must be YYYY-MM-DD.", "code": "validation_error"}, 400, origin)
    if not re.fullmatch(r"[1-9][0-9]{0,3}", guests_arg):
        return _answer({"message": "guests must be a whole number from 1.", "code": "validation_error"}, 400, origin)
    runtime = runtime_of(current_app)
    try:
        await throttle(runtime.cache, f"webchat:form:times:{_address()}", limit=TIMES_PER_MINUTE, window=60)
        found = await availability.day_view(restaurant_id, day, int(guests_arg), now=runtime.clock())
    except DomainError as error:
        return _refusal(error, origin)
    times = [f"{t:%H:%M}" for t in found]
    return _answer({"date": day.isoformat(), "guests": int(guests_arg), "times": times}, 200, origin)


def _schema_refusal(error: SchemaError, origin: str | None) -> tuple[Response, int]:
    problems = [
        {"path": ".".join(str(p) for p in e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
        for e in error.errors(include_url=False)
    ]
    return _answer({"message": "Validation error", "code": "validation_error", "errors": problems}, 400, origin)


def _field_refusal(field: str, message: str, origin: str | None) -> tuple[Response, int]:
    body = {"message": "Validation error", "code": "validation_error", "errors": [{"path": field, "message": message}]}
    return _answer(body, 400, origin)


@blueprint.post("/channels/webchat/<int:restaurant_id>/bookings")
@hide
async def book(restaurant_id: int) -> Response | tuple[Response, int]:
    """Book from the form (module docstring); ``201 {reservation: {id, date, time, guests, status}, message,
    manageUrl, calendarUrl}``."""
    origin = request.headers.get("Origin")
    refusal = await _refuse_caller(restaurant_id, origin)
    if refusal is not None:
        return refusal
    raw = await request.get_json(force=True, silent=True)
    if not isinstance(raw, dict):
        return _answer({"message": "Send a JSON object.", "code": "validation_error"}, 400, origin)
    try:
        data = BookingForm.model_validate(raw)
    except SchemaError as error:
        return _schema_refusal(error, origin)
    runtime = runtime_of(current_app)
    language = texts.language(texts.best_language(str(raw.get("language") or "")) or _browser_language())
    try:
        for key in (f"webchat:form:book:a:{_address()}", f"webchat:form:book:s:{restaurant_id}:{data.session_id}"):
            await throttle(runtime.cache, key, limit=BOOKINGS_PER_HOUR, window=3600)
        setting = await availability.load_setting(restaurant_id)
        phone = normalise_phone(data.phone, region_of(setting.restaurant.phone)) if data.phone else None
        email = clean_email(data.email)
    except DomainError as error:
        field = error.details.get("field")
        return _field_refusal(str(field), error.message, origin) if field else _refusal(error, origin)
    if not phone and not email:
        return _field_refusal("phone", "Give a phone number or an e-mail address.", origin)
    known = await guest_by_contact(restaurant_id, phone=phone, email=email)
    booking = BookingRequest(
        date=data.date,
        time=data.time,
        guests=data.guests,
        source=SOURCE,
        guest_id=known.id if known is not None else None,
        guest=None if known is not None else GuestInput(name=data.name, phone=phone, email=email, language=language),
    )
    try:
        reservation = await BookingService(runtime.bus, runtime.clock).create(restaurant_id, booking, actor=Actor.GUEST)
    except DomainError as error:
        return _refusal(error, origin)
    party = CATALOGS.catalog(language).ngettext("guests", "guests", reservation.guests).format(n=reservation.guests)
    message = CATALOGS.say(
        language,
        "booked",
        when=day_label(language, reservation.date),
        time=f"{reservation.time:%H:%M}",
        party=party,
        id=reservation.id,
    )
    settings = runtime.settings
    token = manage_token(settings.secret_key, reservation)
    base = settings.public_base_url.rstrip("/")
    body = {
        "reservation": {
            "id": reservation.id,
            "date": reservation.date.isoformat(),
            "time": f"{reservation.time:%H:%M}",
            "guests": reservation.guests,
            "status": str(reservation.status),
        },
        "message": message,
        "manageUrl": base + MANAGE_PATH + token,
        "calendarUrl": f"{base}/api/manage/{token}/calendar.ics",
    }
    return _answer(body, 201, origin)
