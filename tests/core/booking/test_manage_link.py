"""Manage links (core.booking.manage_link): signed, expiring, bound to one reservation of one restaurant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.booking.manage_link import (
    LINK_GRACE,
    InvalidManageLink,
    LinkProblem,
    link_expiry,
    manage_key,
    manage_url,
    read_manage_token,
    sign_manage_token,
)
from tests.core.booking.helpers import NOW, book, make_restaurant, make_service, make_tables

SECRET = "a-secret-key-of-the-service-long-enough-0123456789"
LATER = NOW + timedelta(days=3)


def problem_of(token: str, *, secret: str = SECRET, now: datetime = NOW) -> LinkProblem:
    with pytest.raises(InvalidManageLink) as refused:
        read_manage_token(secret, token, now)
    return refused.value.problem


def test_a_signed_token_reads_back_as_its_grant():
    token = sign_manage_token(SECRET, 7, 42, LATER)
    grant = read_manage_token(SECRET, token, NOW)
    assert (grant.restaurant_id, grant.reservation_id, grant.expires_at) == (7, 42, LATER)
    assert token.startswith("7.42.")


def test_the_key_is_derived_and_not_the_secret_itself():
    key = manage_key(SECRET)
    assert len(key) == 32 and key != SECRET.encode()[:32]
    assert manage_key(SECRET) == key and manage_key(SECRET + "x") != key
    with pytest.raises(ValueError):
        manage_key("")


def test_another_reservation_or_restaurant_or_expiry_in_a_token_is_forged():
    token = sign_manage_token(SECRET, 7, 42, LATER)
    rid, res, exp, sig = token.split(".")
    assert problem_of(f"{rid}.43.{exp}.{sig}") == LinkProblem.FORGED
    assert problem_of(f"8.{res}.{exp}.{sig}") == LinkProblem.FORGED
    assert problem_of(f"{rid}.{res}.{int(exp) + 86400}.{sig}") == LinkProblem.FORGED
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert problem_of(f"{rid}.{res}.{exp}.{flipped}") == LinkProblem.FORGED


def test_a_token_of_another_secret_is_forged():
    token = sign_manage_token("another-service-secret-entirely-0123456789", 7, 42, LATER)
    assert problem_of(token) == LinkProblem.FORGED


def test_a_token_past_its_expiry_is_expired_but_an_expired_forgery_is_forged():
    token = sign_manage_token(SECRET, 7, 42, LATER)
    assert problem_of(token, now=LATER) == LinkProblem.EXPIRED
    assert read_manage_token(SECRET, token, LATER - timedelta(seconds=1)).reservation_id == 42
    rid, res, exp, sig = token.split(".")
    assert problem_of(f"{rid}.99.{exp}.{sig}", now=LATER) == LinkProblem.FORGED


@pytest.mark.parametrize(
    "token",
    ["", "abc", "7.42", "7.42.123", "7.42.123.short", "0.42.1790000000." + "A" * 43, "7.-1.1790000000." + "A" * 43],
)
def test_anything_else_is_malformed(token):
    assert problem_of(token) == LinkProblem.MALFORMED


def test_a_cut_off_token_is_malformed():
    token = sign_manage_token(SECRET, 7, 42, LATER)
    assert problem_of(token[:-3]) == LinkProblem.MALFORMED


def test_refusals_carry_an_actionable_message_and_no_ids():
    error = InvalidManageLink(LinkProblem.EXPIRED)
    assert error.code == "invalid_manage_link" and error.details == {"problem": "expired"}
    assert "expired" in error.message


def test_signing_refuses_naive_times_and_bad_ids():
    with pytest.raises(ValueError):
        sign_manage_token(SECRET, 7, 42, datetime(2026, 6, 1))
    with pytest.raises(ValueError):
        sign_manage_token(SECRET, 0, 42, LATER)
    with pytest.raises(ValueError):
        link_expiry(datetime(2026, 6, 1))


async def test_a_reservations_link_expires_after_the_booking_and_reaches_only_it(db):
    restaurant = await make_restaurant()
    await make_tables(restaurant, ("T1", 1, 4))
    reservation = await book(make_service(), restaurant, "19:00")
    url = manage_url("https://book.example.com/", SECRET, reservation)
    assert url.startswith("https://book.example.com/manage/")
    grant = read_manage_token(SECRET, url.rsplit("/", 1)[1], NOW)
    assert (grant.restaurant_id, grant.reservation_id) == (restaurant.id, reservation.id)
    assert grant.expires_at == reservation.ends_at + LINK_GRACE
    assert grant.expires_at > reservation.ends_at
    assert problem_of(url.rsplit("/", 1)[1], now=reservation.ends_at + LINK_GRACE) == LinkProblem.EXPIRED
    assert link_expiry(reservation.ends_at).tzinfo == UTC
