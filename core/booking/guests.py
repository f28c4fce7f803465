"""Finding and creating guests: by channel identity, phone number (E.164) or e-mail address, never twice.

``guests`` has no unique key on the phone number or the e-mail, so creation by
either is serialised: on PostgreSQL with a transaction-scoped advisory lock on
(restaurant, phone or e-mail), on SQLite with an in-process lock (SQLite runs in
one process). Channel identities have a unique key; losing that race simply
finds the winner's row.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import phonenumbers
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core.accounts import normalise_email
from core.booking import reads
from core.errors import ValidationError
from core.models import Guest, GuestIdentity
from core.models.guest import fold_name, phone_digits
from core.storage import storage
from core.storage.orm import in_transaction

if TYPE_CHECKING:
    from core.booking.commands import GuestInput

_COUNTRY_CODE_HINT = "Please include the country code, e.g. +44 20 7946 0000."
_PHONE_CHARS = frozenset("0123456789+-(). ")


@functools.lru_cache(maxsize=4096)
def normalise_phone(raw: str, default_region: str | None = None) -> str:
    """``raw`` as E.164 (``+447700900123``).

    A number without a leading ``+`` (or ``00``) is read in ``default_region``
    (ISO country code such as ``"GB"``); without one it is refused. Raises
    ``ValidationError`` (field ``phone``) for anything that is not a possible number.
    """
    text = _international((raw or "").strip())
    if not text:
        raise ValidationError("A phone number is required. " + _COUNTRY_CODE_HINT, details={"field": "phone"})
    if not text.startswith("+") and not default_region:
        raise ValidationError(
            f"{raw!r} has no country code. {_COUNTRY_CODE_HINT}", code="phone_country_code", details={"field": "phone"}
        )
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else default_region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationError(
            f"{raw!r} does not look like a phone number. {_COUNTRY_CODE_HINT}",
            code="invalid_phone",
            details={"field": "phone"},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _international(text: str) -> str:
    """``text`` with a leading international ``00`` written as ``+``."""
    return "+" + text[2:] if text.startswith("00") else text


def region_of(phone: str | None) -> str | None:
    """The ISO country (e.g. "GB") of an E.164 ``phone`` such as a restaurant's own number, or None."""
    if not phone:
        return None
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(phone, None)) or None
    except phonenumbers.NumberParseException:
        return None


def search_condition(q: str, default_region: str | None = None, *, prefix: str = "") -> Q:
    """Guests whose name, phone or e-mail matches ``q``: the name case-insensitively in any script
    ("мария" finds "Мария"), the phone by its digits in any format a guest's phone is accepted in
    ("07700 900555" read in ``default_region``, "+44 7700 900555", "447700900555", part of it).
    ``prefix`` names the relation when the query is not on guests (``"guest__"``)."""
    q = q.strip()
    cond = Q(**{f"{prefix}name_folded__contains": fold_name(q)}) | Q(**{f"{prefix}email__icontains": q})
    digits = phone_digits(q)
    if digits and (len(digits) >= 3 or set(q) <= _PHONE_CHARS):
        cond |= Q(**{f"{prefix}phone_digits__contains": digits})
        if digits.startswith("0") and not q.lstrip().startswith(("+", "00")) and len(digits.lstrip("0")) >= 3:
            cond |= Q(**{f"{prefix}phone_digits__contains": digits.lstrip("0")})  # a national "07700..."
        try:
            full = phone_digits(normalise_phone(q, default_region))
        except ValidationError:
            full = ""
        if full:
            cond |= Q(**{f"{prefix}phone_digits": full})
    return cond


async def restaurant_region(restaurant_id: int) -> str | None:
    """The country national phone numbers are read in for this restaurant (from its own phone)."""
    restaurant = await reads.restaurant(restaurant_id)
    return region_of(restaurant.phone if restaurant is not None else None)


async def _by_identity(restaurant_id: int, identity: tuple[str, str]) -> Guest | None:
    return await storage().guest_by_identity(restaurant_id, *identity)


async def _link(restaurant_id: int, guest: Guest, identity: tuple[str, str]) -> None:
    channel, external_id = identity
    if await GuestIdentity.filter(restaurant_id=restaurant_id, channel=channel, external_id=external_id).exists():
        return
    try:
        async with in_transaction():  # a savepoint when nested: a lost race must not abort the caller
            await GuestIdentity.create(
                restaurant_id=restaurant_id, guest_id=guest.id, channel=channel, external_id=external_id
            )
    except IntegrityError:
        pass  # another request linked it meanwhile


async def _update(guest: Guest, **values: str | None) -> Guest:
    changed = [k for k, v in values.items() if v is not None and getattr(guest, k) != v]
    for k in changed:
        setattr(guest, k, values[k])
    if changed:
        await guest.save(update_fields=changed)
    return guest


async def _find_or_create_by_contact(
    restaurant_id: int, phone: str | None, email: str | None, defaults: dict[str, str | None]
) -> Guest:
    """The guest with this phone (else, when given, this e-mail), created when neither is known; serialised
    per contact so concurrent calls return one guest."""
    async with storage().contact_lock(restaurant_id, phone or f"email:{email}"):
        return await _find_or_create_locked(restaurant_id, phone, email, defaults)


async def _by_email(restaurant_id: int, email: str) -> Guest | None:
    """The restaurant's first guest with this address. Addresses are stored in lower case (every writer
    cleans them; migration 14 lowered older ones), so an exact match is a case-insensitive one that the
    index on (restaurant, e-mail) serves."""
    return await Guest.filter(restaurant_id=restaurant_id, email=email.strip().lower()).order_by("id").first()


async def _find_or_create_locked(
    restaurant_id: int, phone: str | None, email: str | None, defaults: dict[str, str | None]
) -> Guest:
    if phone:
        guest = await Guest.filter(restaurant_id=restaurant_id, phone=phone).order_by("id").first()
        if guest is not None:
            return guest
    if email:
        guest = await _by_email(restaurant_id, email)
        if guest is not None and (not phone or not guest.phone):  # found by e-mail; a phone fills in a missing one
            if phone:
                guest.phone = phone
                await guest.save(update_fields=["phone"])
            return guest
    if not defaults.get("name"):
        raise ValidationError("We need a name for the booking.", code="name_required", details={"field": "name"})
    values: dict[str, Any] = {k: v for k, v in defaults.items() if v is not None}
    if phone:
        values["phone"] = phone
    return await Guest.create(restaurant_id=restaurant_id, **values)


def clean_email(email: str | None) -> str | None:
    """``email`` trimmed and in lower case (None for none); ``ValidationError`` (field ``email``) when it is
    clearly not an address."""
    if email is None or not email.strip():
        return None
    try:
        return normalise_email(email)
    except ValidationError as exc:
        raise ValidationError(exc.message, code="invalid_email", details={"field": "email"}) from None


async def guest_by_contact(restaurant_id: int, *, phone: str | None, email: str | None) -> Guest | None:
    """The restaurant's guest with this phone (E.164), else this e-mail (cleaned), without changing them;
    None when neither is known. For callers that must not touch a stored guest on a stranger's word
    (the widget's booking form)."""
    if phone:
        guest = await Guest.filter(restaurant_id=restaurant_id, phone=phone).order_by("id").first()
        if guest is not None:
            return guest
    return await _by_email(restaurant_id, email) if email else None


async def returning_guest(restaurant_id: int, given: GuestInput, default_region: str | None = None) -> Guest | None:
    """The guest ``given.phone`` already belongs to, when :func:`find_or_create_guest` would change
    nothing about them (``given.name``, ``.email`` and ``.language`` as stored, or not given): one
    read, no lock, so it may run on :func:`core.booking.reads.pinned`'s connection. None otherwise
    (unknown phone, or something to update): call :func:`find_or_create_guest`. ``ValidationError``
    for a bad phone."""
    name = given.name.strip() if isinstance(given.name, str) and given.name.strip() else None
    guest = await reads.guest(restaurant_id, phone=normalise_phone(given.phone, default_region))
    wanted = {"name": name, "email": given.email or None, "language": given.language or None}
    if guest is None or any(v is not None and getattr(guest, k) != v for k, v in wanted.items()):
        return None
    return guest


async def find_or_create_guest(
    restaurant_id: int,
    *,
    name: str | None,
    phone: str | None = None,
    email: str | None = None,
    language: str | None = None,
    identity: tuple[str, str] | None = None,
    default_region: str | None = None,
    fill_phone: str | None = None,
) -> Guest:
    """The restaurant's guest for this phone number, e-mail address or channel identity, created when unknown.

    Lookup order: the channel ``identity`` ``(channel, external_id)``, then the
    phone number (normalised to E.164 with :func:`normalise_phone`), then the
    e-mail address (case-insensitive; a guest found by it whose phone is missing
    gets the phone given). A found guest gets ``name``, ``email`` and ``language``
    updated when given, and a missing phone filled in (unless another guest
    already has that number). ``identity`` is linked to the guest. Creating needs
    a ``name`` (``ValidationError`` code ``name_required``), and a ``phone``, an
    ``email`` or an ``identity`` (code ``contact_required``). Concurrent calls for
    one number, address or identity return the same guest. ``fill_phone`` (E.164) is
    stored on the guest when it has no phone, written with it when it is created, but
    never used to find one: a number typed into a chat proves nothing.
    """
    e164 = normalise_phone(phone, default_region) if phone else None
    address = clean_email(email)
    updates = _given(name, address, language)
    guest = await _by_identity_given(restaurant_id, identity)
    if guest is not None and await _phone_to_fill(restaurant_id, guest, e164):
        updates["phone"] = e164
    if guest is None and (e164 or address):
        guest = await _find_or_create_by_contact(restaurant_id, e164, address, updates)
    linked = False
    if guest is None:
        created_with = {**updates, "phone": fill_phone} if fill_phone else updates
        guest, linked = await _find_or_create_by_identity(restaurant_id, identity, created_with)
    if fill_phone and not guest.phone:
        updates.setdefault("phone", fill_phone)  # a number the channel vouches for goes first
    await _update(guest, **updates)
    if identity and not linked:
        await _link(restaurant_id, guest, identity)
    return guest


def _given(name: str | None, address: str | None, language: str | None) -> dict[str, str | None]:
    """The guest's details as given: a blank name or language is None (not to be stored)."""
    name = name.strip() if isinstance(name, str) and name.strip() else None
    return {"name": name, "email": address, "language": language or None}


async def _by_identity_given(restaurant_id: int, identity: tuple[str, str] | None) -> Guest | None:
    """The guest linked to the channel ``identity``; None without one."""
    return await _by_identity(restaurant_id, identity) if identity else None


async def _phone_to_fill(restaurant_id: int, guest: Guest, e164: str | None) -> bool:
    """True when ``guest`` has no phone yet and ``e164`` is given and no other guest's."""
    if not e164 or guest.phone:
        return False
    return not await Guest.filter(restaurant_id=restaurant_id, phone=e164).exclude(id=guest.id).exists()


async def _find_or_create_by_identity(
    restaurant_id: int, identity: tuple[str, str] | None, updates: dict[str, str | None]
) -> tuple[Guest, bool]:
    """The guest of the channel ``identity`` (and True: linked to it), created with ``updates`` when unknown (no
    phone or e-mail to go by): ``ValidationError`` without an identity (``contact_required``) or a name
    (``name_required``)."""
    if identity is None:
        raise ValidationError(
            "A phone number or an e-mail address is needed to find or create a guest.",
            code="contact_required",
            details={"field": "phone"},
        )
    if not updates["name"]:
        raise ValidationError("We need a name for the booking.", code="name_required", details={"field": "name"})
    async with storage().guest_create_lock(restaurant_id):
        guest = await _by_identity(restaurant_id, identity)
        if guest is None:
            guest = await _create_with_identity(restaurant_id, identity, updates)
    return guest, True


async def _create_with_identity(restaurant_id: int, identity: tuple[str, str], values: dict[str, str | None]) -> Guest:
    """Create a guest and its identity in one transaction; if another request won, return its guest."""
    channel, external_id = identity
    given: dict[str, Any] = {k: v for k, v in values.items() if v}
    try:
        return await storage().create_guest_with_identity(
            Guest(restaurant_id=restaurant_id, **given), channel, external_id
        )
    except IntegrityError:
        winner = await _by_identity(restaurant_id, identity)
        if winner is None:
            raise
        return winner
