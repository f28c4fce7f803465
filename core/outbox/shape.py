"""A row shaped for the channel it goes out on, when it is sent: quick replies only where the channel has
buttons, the booking's ``.ics`` (made as the booking is now) only where it carries a calendar file."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from core.booking.calendar import ics_filename, reservation_ics
from core.conversation.types import Attachment, Reply
from core.jsontypes import JSONObject, text_at
from core.models import OutboxMessage, Reservation, Restaurant
from core.outbox.queue import replies_of
from core.reach import BUTTONS, CALENDAR, capabilities

if TYPE_CHECKING:
    from core.runtime import Runtime


async def calendar_files(
    runtime: Runtime, restaurant_id: int, reservation_id: int, language: str, payload: JSONObject
) -> tuple[Attachment, ...]:
    """The booking's ``.ics`` as it is now (``()`` when it no longer exists)."""
    reservation = await Reservation.filter(restaurant_id=restaurant_id, id=reservation_id).first()
    restaurant = await Restaurant.filter(id=restaurant_id).first()
    if reservation is None or restaurant is None:
        return ()
    settings = runtime.settings
    data = reservation_ics(
        reservation,
        restaurant,
        now=runtime.clock(),
        base_url=settings.public_base_url,
        language=language,
        manage_url=text_at(payload, "link"),
    )
    return (Attachment(ics_filename(reservation), "text/calendar; method=PUBLISH", data),)


async def replies_for(runtime: Runtime, row: OutboxMessage, adapter: object) -> list[Reply]:
    """The row's replies as this channel can carry them: choices only where it has buttons; the
    booking's ``.ics`` attached where it carries a calendar file (``payload["calendar"]``)."""
    replies = replies_of(row)
    payload = row.payload or {}
    can = capabilities(adapter)
    if not replies:
        return replies
    first = replies[0]
    template = payload.get("template")
    files: tuple[Attachment, ...] = ()
    if payload.get("calendar") and CALENDAR in can and row.reservation_id is not None:
        files = await calendar_files(runtime, row.restaurant_id, row.reservation_id, row.language, payload)
    replies[0] = Reply(
        first.text,
        first.choices,
        template=dict(template) if isinstance(template, dict) and template else None,  # for a channel that
        # may write first only with one
        subject=text_at(payload, "subject"),
        link=text_at(payload, "link"),
        attachments=files,
    )
    if BUTTONS not in can:
        replies = [replace(reply, choices=()) for reply in replies]
    return replies
