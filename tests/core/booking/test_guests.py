"""Guests (core.booking.guests): E.164 phones, dedupe by phone and by channel identity, races."""

from __future__ import annotations

import asyncio

import pytest

from core.booking.guests import find_or_create_guest, normalise_phone, region_of
from core.errors import ValidationError
from core.models import Guest, GuestIdentity
from tests.core.booking.helpers import make_restaurant


@pytest.mark.parametrize(
    "raw, region, expected",
    [
        ("+44 7700 900123", None, "+447700900123"),
        ("+44 (0)7700-900123", None, "+447700900123"),
        ("0044 7700 900123", None, "+447700900123"),
        ("07700 900123", "GB", "+447700900123"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("+1 415 555 2671", "GB", "+14155552671"),
    ],
)
def test_normalise_phone_to_e164(raw, region, expected):
    assert normalise_phone(raw, region) == expected


def test_a_number_without_country_code_needs_a_region():
    with pytest.raises(ValidationError) as info:
        normalise_phone("07700 900123")
    assert "include the country code, e.g. +44" in info.value.message
    assert info.value.code == "phone_country_code"


@pytest.mark.parametrize("raw", ["", "hello", "+44 12", "+999 1234567"])
def test_nonsense_is_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw, "GB")


def test_region_of_a_restaurant_phone():
    assert region_of("+442079460000") == "GB"
    assert region_of(None) is None and region_of("garbage") is None


async def test_found_by_phone_in_any_format_and_updated(db):
    r = await make_restaurant()
    first = await find_or_create_guest(r.id, name="Ann", phone="+44 7700 900123")
    again = await find_or_create_guest(
        r.id, name="Ann Smith", phone="07700900123", default_region="GB", language="fr", email="ann@example.com"
    )
    assert again.id == first.id
    stored = await Guest.get(id=first.id)
    assert (stored.name, stored.phone, stored.language, stored.email) == (
        "Ann Smith",
        "+447700900123",
        "fr",
        "ann@example.com",
    )
    kept = await find_or_create_guest(r.id, name=None, phone="+447700900123")
    assert kept.name == "Ann Smith"
    other = await make_restaurant(name="Other")
    assert (await find_or_create_guest(other.id, name="Ann", phone="+447700900123")).id != first.id


async def test_found_by_channel_identity_and_linked(db):
    r = await make_restaurant()
    tg = ("telegram", "4242")
    created = await find_or_create_guest(r.id, name="Boris", identity=tg, language="ru")
    assert created.phone is None
    found = await find_or_create_guest(r.id, name="Boris", identity=tg, phone="+447700900555")
    assert found.id == created.id and found.phone == "+447700900555"
    # the same phone from another channel finds the guest and links that identity too
    wa = await find_or_create_guest(r.id, name="Boris", phone="+447700900555", identity=("whatsapp", "+447700900555"))
    assert wa.id == created.id
    assert await GuestIdentity.filter(guest_id=created.id).count() == 2
    assert await Guest.filter(restaurant_id=r.id).count() == 1


async def test_an_identity_keeps_its_guest_when_the_phone_belongs_to_another(db):
    r = await make_restaurant()
    owner = await find_or_create_guest(r.id, name="Owner", phone="+447700900777")
    chat = await find_or_create_guest(r.id, name="Chatter", identity=("webchat", "s1"))
    again = await find_or_create_guest(r.id, name="Chatter", identity=("webchat", "s1"), phone="+447700900777")
    assert again.id == chat.id != owner.id
    assert (await Guest.get(id=chat.id)).phone is None


async def test_creating_needs_a_name_and_a_contact(db):
    r = await make_restaurant()
    with pytest.raises(ValidationError) as info:
        await find_or_create_guest(r.id, name=None, phone="+447700900888")
    assert info.value.code == "name_required"
    with pytest.raises(ValidationError) as info:
        await find_or_create_guest(r.id, name="Nobody")
    assert info.value.code == "contact_required"
    assert await Guest.filter(restaurant_id=r.id).count() == 0


async def test_concurrent_calls_never_create_duplicates(db):
    r = await make_restaurant()
    by_phone = await asyncio.gather(
        *[find_or_create_guest(r.id, name=f"Guest {i}", phone="+447700900999") for i in range(10)]
    )
    assert len({g.id for g in by_phone}) == 1
    by_identity = await asyncio.gather(
        *[find_or_create_guest(r.id, name="Tele", identity=("telegram", "77")) for _ in range(10)]
    )
    assert len({g.id for g in by_identity}) == 1
    assert await Guest.filter(restaurant_id=r.id).count() == 2
    assert await GuestIdentity.filter(restaurant_id=r.id).count() == 1


async def test_a_guest_is_found_by_e_mail_as_by_phone(db):
    r = await make_restaurant()
    first = await find_or_create_guest(r.id, name="Eva", email=" Eva.Novak@Example.COM ")
    assert first.email == "eva.novak@example.com" and first.phone is None
    again = await find_or_create_guest(r.id, name="Eva N.", email="eva.novak@example.com", language="de")
    assert again.id == first.id
    stored = await Guest.get(id=first.id)
    assert (stored.name, stored.language) == ("Eva N.", "de")
    # A phone given later fills in the one the e-mail guest lacked; the phone then finds them too.
    with_phone = await find_or_create_guest(r.id, name="Eva", email="EVA.NOVAK@example.com", phone="+447700900321")
    assert with_phone.id == first.id and (await Guest.get(id=first.id)).phone == "+447700900321"
    assert (await find_or_create_guest(r.id, name="Eva", phone="+447700900321")).id == first.id
    assert await Guest.filter(restaurant_id=r.id).count() == 1


async def test_a_phone_that_belongs_to_someone_else_is_not_merged_into_the_e_mail_guest(db):
    r = await make_restaurant()
    by_mail = await find_or_create_guest(r.id, name="Ann", email="ann@example.com", phone="+447700900401")
    other = await find_or_create_guest(r.id, name="Ann's friend", email="ann@example.com", phone="+447700900402")
    assert other.id != by_mail.id and other.phone == "+447700900402"
    other_restaurant = await make_restaurant(name="Elsewhere")
    elsewhere = await find_or_create_guest(other_restaurant.id, name="Ann", email="ann@example.com")
    assert elsewhere.id not in (by_mail.id, other.id) and elsewhere.restaurant_id == other_restaurant.id


async def test_a_bad_e_mail_is_refused_with_its_field(db):
    r = await make_restaurant()
    with pytest.raises(ValidationError) as info:
        await find_or_create_guest(r.id, name="Eva", email="not an address")
    assert info.value.code == "invalid_email" and info.value.details == {"field": "email"}
    assert await Guest.filter(restaurant_id=r.id).count() == 0


async def test_concurrent_bookings_by_one_e_mail_make_one_guest(db):
    r = await make_restaurant()
    found = await asyncio.gather(
        *(find_or_create_guest(r.id, name="Racer", email="racer@example.com") for _ in range(8))
    )
    assert len({g.id for g in found}) == 1
    assert await Guest.filter(restaurant_id=r.id).count() == 1


async def test_a_phone_to_fill_is_written_with_a_new_guest_fills_a_missing_one_and_never_finds_one(db):
    restaurant = await make_restaurant()
    rid = restaurant.id
    owner = await Guest.create(restaurant_id=rid, name="Owner", phone="+447700900321")
    typed = "+447700900321"  # someone else's number, typed into a chat
    made = await find_or_create_guest(rid, name="Typist", identity=("webchat", "s-typed"), fill_phone=typed)
    assert made.id != owner.id  # a typed number finds nobody's guest
    stored = await Guest.get(id=made.id)
    assert (stored.phone, stored.phone_digits) == (typed, "447700900321")  # written with the new guest

    bare = await find_or_create_guest(rid, name="Bare", identity=("webchat", "s-bare"))
    assert bare.phone is None
    filled = await find_or_create_guest(rid, name="Bare", identity=("webchat", "s-bare"), fill_phone="+447700900999")
    assert filled.id == bare.id and (await Guest.get(id=bare.id)).phone == "+447700900999"  # a missing one filled
    kept = await find_or_create_guest(rid, name="Bare", identity=("webchat", "s-bare"), fill_phone="+447700900111")
    assert (await Guest.get(id=kept.id)).phone == "+447700900999"  # a phone it has is kept
