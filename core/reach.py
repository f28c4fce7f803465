"""Which channel and address reach a guest: the outbox's choice, by what channels can do, never by name.

A guest is reached, in this order:

1. on the chat they last talked to the restaurant on (their latest conversation on a channel this
   process has an adapter for), else their latest channel identity: they came by chat;
2. else on a channel that may write first to a contact a guest gives with a booking: an adapter
   declaring ``reaches = "phone"`` or ``"email"`` (the guest's field it writes to) and ``rank``
   (lower first: how soon a guest reads it), set up for the restaurant (``await
   adapter.available(restaurant_ids)``), where the guest has that contact and did not opt out
   (:mod:`core.consent`).

A message may require capabilities of the channel (``"buttons"``, ``"calendar"``, ``"link"``:
``adapter.capabilities``; a channel that says nothing carries text with links); channels without
them are passed over. Everything is read in a fixed number of queries for any number of guests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from core.models import Conversation, Guest, GuestConsent, GuestIdentity

BUTTONS, CALENDAR, LINK = "buttons", "calendar", "link"
#: Guest fields a channel may write to first.
CONTACTS = ("phone", "email")
GuestKey = tuple[int, int]  # (restaurant id, guest id)


@dataclass(frozen=True)
class Target:
    """Where one message goes: the channel's name, the chat id (or phone, or address) and the language."""

    channel: str
    chat_id: str
    language: str


@runtime_checkable
class ContactChannel(Protocol):
    """A channel that may write first to a contact the guest gave (``reaches``: ``"phone"`` or ``"email"``)."""

    reaches: str

    async def available(self, restaurant_ids: Sequence[int]) -> set[int]:
        """The restaurants among ``restaurant_ids`` that have this channel set up and switched on."""
        ...


def capabilities(adapter: object) -> frozenset[str]:
    """What ``adapter`` can carry besides text (``capabilities``; text with links when it says nothing)."""
    found = getattr(adapter, "capabilities", None)
    return frozenset(found) if found is not None else frozenset({LINK})


def contact_of(adapter: object) -> str | None:
    """The guest field ``adapter`` may write to first (``"phone"``, ``"email"``), or None (a chat)."""
    field = getattr(adapter, "reaches", None)
    return field if field in CONTACTS else None


async def targets(
    adapters: Mapping[str, object], guests: Iterable[GuestKey], *, requires: frozenset[str] = frozenset()
) -> dict[GuestKey, Target]:
    """Each guest's :class:`Target` (guests no channel reaches are left out)."""
    wanted = set(guests)
    usable = {name: a for name, a in adapters.items() if requires <= capabilities(a)}
    ids = sorted({guest_id for _, guest_id in wanted})
    if not ids or not usable:
        return {}
    chats = sorted(name for name, a in usable.items() if contact_of(a) is None) or [""]
    found: dict[GuestKey, Target] = {}
    conversations = (
        await Conversation.filter(guest_id__in=ids, channel__in=sorted(usable))
        .order_by("last_activity", "id")
        .values("restaurant_id", "guest_id", "channel", "external_chat_id", "language")
    )
    for c in conversations:  # the latest wins
        key = (c["restaurant_id"], c["guest_id"])
        if key in wanted:
            found[key] = Target(c["channel"], c["external_chat_id"], c["language"] or "en")
    missing = sorted({g for (r, g) in wanted if (r, g) not in found})
    if not missing:
        return found
    people = {g["id"]: g for g in await Guest.filter(id__in=missing).values("id", "language", "phone", "email")}
    identities = (
        await GuestIdentity.filter(guest_id__in=missing, channel__in=chats)
        .order_by("id")
        .values("restaurant_id", "guest_id", "channel", "external_id")
    )
    for i in identities:
        key = (i["restaurant_id"], i["guest_id"])
        if key in wanted:
            language = (people.get(i["guest_id"]) or {}).get("language") or "en"
            found[key] = Target(i["channel"], i["external_id"], language)
    left = {key for key in wanted if key not in found and key[1] in people}
    if left:
        found.update(await _by_contact(usable, left, people))
    return found


async def _by_contact(
    adapters: Mapping[str, object], guests: set[GuestKey], people: Mapping[int, Mapping[str, object]]
) -> dict[GuestKey, Target]:
    """Guests reached on the best channel that writes first to a contact they gave and did not opt out of."""
    contact = sorted(
        (
            (getattr(a, "rank", 100), name, a)
            for name, a in adapters.items()
            if isinstance(a, ContactChannel) and contact_of(a) is not None
        ),
        key=lambda item: (item[0], item[1]),
    )
    if not contact:
        return {}
    restaurants = sorted({rid for rid, _ in guests})
    ready: dict[str, set[int]] = {}
    for _, name, adapter in contact:
        ready[name] = set(await adapter.available(restaurants))
    refused = {
        (row["restaurant_id"], row["channel"], row["address"])
        for row in await GuestConsent.filter(
            restaurant_id__in=restaurants, channel__in=[name for _, name, _ in contact], granted=False
        ).values("restaurant_id", "channel", "address")
    }
    found: dict[GuestKey, Target] = {}
    for rid, guest_id in guests:
        person = people[guest_id]
        for _, name, adapter in contact:
            address = str(person.get(contact_of(adapter) or "") or "")
            if address and rid in ready[name] and (rid, name, address) not in refused:
                found[(rid, guest_id)] = Target(name, address, str(person.get("language") or "en"))
                break
    return found
