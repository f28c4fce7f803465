"""A waiting party as its readers see it: :class:`WaitlistView`, snake_case and Python-typed.

The API describes it with its pydantic schema (``api.schemas.waitlist.WaitlistOut``, read ``from_attributes``);
where core writes it as JSON (a tool's answer to the model) it goes through :func:`waitlist_json`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.jsontypes import JSONObject
from core.models import Guest, WaitlistEntry, WaitlistStatus


@dataclass(frozen=True)
class WaitlistGuest:
    """Who waits: the guest's id, name and phone."""

    id: int
    name: str | None
    phone: str | None


@dataclass(frozen=True)
class WaitlistView:
    """One waiting party: its fields (``date``, ``time_from``/``time_to`` restaurant-local), the ``guest``
    (``None`` when not loaded), and its offer (``reservation_id`` held until ``offer_expires_at``)."""

    id: int
    restaurant_id: int
    guest_id: int
    guest: WaitlistGuest | None
    guests: int
    date: dt.date
    time_from: dt.time
    time_to: dt.time
    quoted_minutes: int | None
    status: WaitlistStatus
    channel: str | None
    chat_id: str | None
    language: str
    source: str | None
    comments: str | None
    tags: tuple[str, ...]
    reservation_id: int | None
    offer_round: int
    offered_at: dt.datetime | None
    offer_expires_at: dt.datetime | None
    created_at: dt.datetime | None


def entry_view(entry: WaitlistEntry, guest: Guest | None = None) -> WaitlistView:
    """The view of an entry, with ``guest`` (else the entry's fetched guest, if any)."""
    who = guest if guest is not None else getattr(entry, "_guest", None)
    return WaitlistView(
        id=entry.id,
        restaurant_id=entry.restaurant_id,
        guest_id=entry.guest_id,
        guest=WaitlistGuest(who.id, who.name, who.phone) if isinstance(who, Guest) else None,
        guests=entry.guests,
        date=entry.date,
        time_from=entry.time_from,
        time_to=entry.time_to,
        quoted_minutes=entry.quoted_minutes,
        status=WaitlistStatus(entry.status),
        channel=entry.channel,
        chat_id=entry.chat_id,
        language=entry.language,
        source=entry.source,
        comments=entry.comments,
        tags=tuple(entry.tags or ()),
        reservation_id=entry.reservation_id,
        offer_round=entry.offer_round,
        offered_at=entry.offered_at,
        offer_expires_at=entry.offer_expires_at,
        created_at=entry.created_at,
    )


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def waitlist_json(view: WaitlistView) -> JSONObject:
    """``view`` as JSON, camelCase like the API's: ``date`` "YYYY-MM-DD", ``timeFrom``/``timeTo`` "HH:MM",
    instants ISO-8601, ``guest {id, name, phone}``."""
    guest = view.guest
    return {
        "id": view.id,
        "restaurantId": view.restaurant_id,
        "guestId": view.guest_id,
        "guest": {"id": guest.id, "name": guest.name, "phone": guest.phone} if guest is not None else None,
        "guests": view.guests,
        "date": view.date.isoformat(),
        "timeFrom": f"{view.time_from:%H:%M}",
        "timeTo": f"{view.time_to:%H:%M}",
        "quotedMinutes": view.quoted_minutes,
        "status": str(view.status),
        "channel": view.channel,
        "chatId": view.chat_id,
        "language": view.language,
        "source": view.source,
        "comments": view.comments,
        "tags": list(view.tags),
        "reservationId": view.reservation_id,
        "offerRound": view.offer_round,
        "offeredAt": _iso(view.offered_at),
        "offerExpiresAt": _iso(view.offer_expires_at),
        "createdAt": _iso(view.created_at),
    }
