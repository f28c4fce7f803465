"""Requests whose cost would grow with the restaurant's data are bounded (docs/operations.md, "Requests whose
cost grows with data"): deep pages, long waitlists, one booking's history, API tokens. Each bound answers a
clear 400 (or a documented window) rather than reading everything."""

from __future__ import annotations

import datetime as dt

import pytest

from api.auth import MAX_ACTIVE_TOKENS, REVOKED_LISTED
from api.schemas import MAX_PAGE_DEPTH
from core.booking.queries import MAX_ROWS_OF_ONE
from core.booking.waitlist import MAX_LISTED
from core.models import Guest, ReservationChange, WaitlistEntry, WaitlistStatus
from tests.api.bookkit import book
from tests.api.helpers import CSRF

LISTS = ["/api/reservations", "/api/guests", "/api/ai/activities", "/api/conversations"]


@pytest.mark.parametrize("path", LISTS)
async def test_pages_reach_the_first_10000_rows_and_no_deeper(place, path):
    last = MAX_PAGE_DEPTH // 100
    assert (await place.client.get(f"{path}?page={last}&pageSize=100")).status_code == 200
    deep = await place.client.get(f"{path}?page={last + 1}&pageSize=100")
    body = await deep.get_json()
    assert deep.status_code == 400, body
    assert "narrow the list" in body["message"] or "narrow the list" in str(body.get("errors"))


async def test_a_waitlist_listing_of_more_than_500_entries_asks_for_a_date(place):
    guest = await Guest.create(restaurant_id=place.id, name="Wendy", phone="+442079460123")
    first = dt.date(2026, 6, 2)
    rows = [
        WaitlistEntry(
            restaurant_id=place.id,
            guest_id=guest.id,
            guests=2,
            date=first + dt.timedelta(days=n % 5),
            time_from=dt.time(19, 0),
            time_to=dt.time(21, 0),
            status=WaitlistStatus.LEFT,
        )
        for n in range(MAX_LISTED + 1)
    ]
    await WaitlistEntry.bulk_create(rows)
    refused = await place.client.get("/api/waitlist?status=left")
    body = await refused.get_json()
    assert refused.status_code == 400 and body["code"] == "too_many_rows", body
    assert "?date=" in body["message"]
    one_day = await place.client.get("/api/waitlist?status=left&date=2026-06-02")
    assert one_day.status_code == 200 and len((await one_day.get_json())["items"]) == 101
    assert (await place.client.get("/api/waitlist")).status_code == 200  # the open ones: none


async def test_one_bookings_history_answers_its_latest_500_entries(place):
    made = await book(place.client)
    base = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
    await ReservationChange.bulk_create(
        [
            ReservationChange(
                restaurant_id=place.id,
                reservation_id=made["id"],
                type="reservation.updated",
                changes={"comments": {"from": str(n), "to": str(n + 1)}},
                actor="staff",
                created_at=base + dt.timedelta(seconds=n),
            )
            for n in range(MAX_ROWS_OF_ONE + 20)
        ]
    )
    history = await (await place.client.get(f"/api/reservations/{made['id']}/history")).get_json()
    assert len(history) == MAX_ROWS_OF_ONE
    assert history[-1]["changes"]["comments"]["to"] == str(MAX_ROWS_OF_ONE + 20)  # the newest, last
    assert history[0]["changes"]["comments"]["to"] == "21"  # oldest first within the window


async def test_a_user_holds_at_most_100_active_tokens_and_the_list_stays_short(place):
    made = []
    for n in range(MAX_ACTIVE_TOKENS):
        response = await place.client.post("/api/auth/tokens", json={"name": f"t{n}"}, headers=CSRF)
        assert response.status_code == 201
        made.append((await response.get_json())["id"])
    refused = await place.client.post("/api/auth/tokens", json={"name": "one too many"}, headers=CSRF)
    body = await refused.get_json()
    assert refused.status_code == 400 and body["code"] == "too_many_tokens", body
    for token_id in made[: REVOKED_LISTED + 10]:
        assert (await place.client.delete(f"/api/auth/tokens/{token_id}", headers=CSRF)).status_code == 200
    again = await place.client.post("/api/auth/tokens", json={"name": "after revoking"}, headers=CSRF)
    assert again.status_code == 201
    listed = await (await place.client.get("/api/auth/tokens")).get_json()
    active = MAX_ACTIVE_TOKENS - (REVOKED_LISTED + 10) + 1
    assert len(listed) == active + REVOKED_LISTED
    assert listed[0]["name"] == "after revoking"
