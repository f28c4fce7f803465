"""Consent and opt-out per guest, channel and address: recorded by the channels, read by the outbox.

A channel that may write to a guest who never wrote to it (SMS to the phone given with a
booking, e-mail to the address) records here what the guest said: STOP / START on SMS, the
unsubscribe link of an e-mail. Giving a phone or an e-mail address with a booking is consent to
be told about that booking (confirmation, reminders, changes) until the guest opts out; the
outbox (:mod:`core.reach`) never chooses a channel and address the guest opted out of.
"""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.exceptions import IntegrityError

from core.models import Guest, GuestConsent


async def record_consent(
    restaurant_id: int, channel: str, address: str, *, granted: bool, source: str, guest_id: int | None = None
) -> None:
    """Record that the guest at ``address`` on ``channel`` agreed (``granted``) or opted out, and how.

    The guest is ``guest_id`` when known, else the restaurant's guest with that phone or e-mail (if any).
    """
    if guest_id is None:
        found = (
            await Guest.filter(restaurant_id=restaurant_id, phone=address).only("id").first()
            or await Guest.filter(restaurant_id=restaurant_id, email=address).only("id").first()
        )
        guest_id = found.id if found is not None else None
    updated = await GuestConsent.filter(restaurant_id=restaurant_id, channel=channel, address=address).update(
        granted=granted, source=source, guest_id=guest_id
    )
    if updated:
        return
    try:
        await GuestConsent.create(
            restaurant_id=restaurant_id,
            channel=channel,
            address=address,
            granted=granted,
            source=source,
            guest_id=guest_id,
        )
    except IntegrityError:  # recorded by another request meanwhile: the latest word wins
        await GuestConsent.filter(restaurant_id=restaurant_id, channel=channel, address=address).update(
            granted=granted, source=source, guest_id=guest_id
        )


async def opted_out(restaurant_id: int, channel: str, addresses: Iterable[str]) -> set[str]:
    """The ``addresses`` whose guest opted out of ``channel`` at the restaurant (one query)."""
    wanted = sorted(set(addresses))
    if not wanted:
        return set()
    rows = await GuestConsent.filter(
        restaurant_id=restaurant_id, channel=channel, address__in=wanted, granted=False
    ).values_list("address", flat=True)
    return {str(a) for a in rows}


async def consents_of(restaurant_id: int, guest_id: int) -> list[dict[str, object]]:
    """The guest's recorded consents, ``[{channel, address, granted, source, updatedAt}]`` (for staff)."""
    rows = await GuestConsent.filter(restaurant_id=restaurant_id, guest_id=guest_id).order_by("channel", "address")
    return [
        {
            "channel": r.channel,
            "address": r.address,
            "granted": r.granted,
            "source": r.source,
            "updatedAt": r.updated_at.isoformat(),
        }
        for r in rows
    ]
