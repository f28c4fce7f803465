"""POST /api/booking/create, POST /api/booking/cancel/<id>, GET /api/booking/availability."""

from __future__ import annotations

from tests.api.bookkit import DAY, TODAY, book, make_restaurant
from tests.api.helpers import CSRF, add_staff, bearer, create_guest, create_token, login

SEED_FIELDS = {
    "id",
    "restaurantId",
    "guestId",
    "tableId",
    "timeslotId",
    "date",
    "time",
    "duration",
    "guests",
    "status",
    "comments",
    "source",
    "confirmation1h",
    "confirmation2h",
    "createdAt",
    "guest",
    "table",
}


async def test_create_with_a_new_guest_returns_the_seed_join(place):
    body = await book(place.client, guests=3, comments="window please", source="phone")
    assert SEED_FIELDS <= set(body)
    assert body["restaurantId"] == place.id
    assert (body["date"], body["time"], body["guests"], body["status"]) == (DAY, "19:00", 3, "created")
    assert body["comments"] == "window please" and body["source"] == "phone"
    assert body["guest"]["name"] == "Ada Lovelace" and body["guest"]["phone"] == "+442079460001"
    assert body["table"]["id"] == place.table_ids[1]  # best fit for 3: the 2-4 table
    assert set(body["table"]) == {"id", "name", "minGuests", "maxGuests"}
    assert body["confirmation1h"] is False and body["confirmation2h"] is False


async def test_create_for_a_known_guest_with_a_chosen_table(place):
    guest = await create_guest(place.client, name="Grace Hopper", phone="+44 20 7946 0002")
    body = await book(place.client, guestId=guest["id"], tableId=place.table_ids[2], duration=90)
    assert body["guestId"] == guest["id"] and body["guest"]["name"] == "Grace Hopper"
    assert body["tableId"] == place.table_ids[2] and body["duration"] == 90
    assert body["source"] == "staff"


async def test_same_phone_finds_the_same_guest(place):
    first = await book(place.client, time="13:00")
    second = await book(place.client, time="15:30", guest={"name": "Ada L.", "phone": "+442079460001"})
    assert first["guestId"] == second["guestId"]


async def test_a_guest_with_only_an_e_mail_is_booked_and_found_again_by_it(place):
    first = await book(place.client, time="13:00", guest={"name": "Eva", "email": "Eva@Example.com"})
    assert first["guest"]["email"] == "eva@example.com" and first["guest"]["phone"] is None
    second = await book(place.client, time="15:30", guest={"name": "Eva", "email": "eva@example.COM"})
    assert second["guestId"] == first["guestId"]
    found = await (await place.client.get("/api/guests?q=eva@example")).get_json()
    assert [g["id"] for g in found["items"]] == [first["guestId"]]
    bad = await place.client.post(
        "/api/booking/create",
        json={"date": DAY, "time": "17:00", "guests": 2, "guest": {"name": "Eva", "email": "not-an-address"}},
        headers=CSRF,
    )
    assert bad.status_code == 400
    assert (await bad.get_json())["errors"][0]["path"] == "guest.email"


async def test_full_slot_is_409_with_alternatives(place):
    for _ in range(3):
        await book(place.client, guests=2)
    response = await place.client.post(
        "/api/booking/create",
        json={
            "date": DAY,
            "time": "19:00",
            "guests": 2,
            "guestId": None,
            "guest": {"name": "Late", "phone": "+447700900123"},
        },
        headers=CSRF,
    )
    assert response.status_code == 409
    body = await response.get_json()
    assert body["message"] and body["code"] == "slot_unavailable"
    assert body["alternatives"] and all(set(a) == {"date", "time"} for a in body["alternatives"])
    assert all(a["time"] != "19:00" or a["date"] != DAY for a in body["alternatives"])


async def test_chosen_table_taken_is_409(place):
    await book(place.client, tableId=place.table_ids[0])
    body = await book(place.client, tableId=place.table_ids[0], expect=409)
    assert "alternatives" in body and body["tableId"] == place.table_ids[0]


async def test_booking_rules_refuse_with_400(place):
    past = await book(place.client, date=TODAY, time="08:00", expect=400)
    assert past["message"]
    closed = await book(place.client, time="03:00", expect=400)
    assert closed["message"]
    too_many = await book(place.client, guests=40, expect=400)
    assert too_many["message"]


async def test_validation_errors_are_seed_shaped(place):
    cases = [
        {"date": DAY, "time": "19:00", "guests": 2},  # neither guestId nor guest
        {"date": DAY, "time": "25:00", "guests": 2, "guestId": 1},
        {"date": "2026-02-30", "time": "19:00", "guests": 2, "guestId": 1},
        {"date": DAY, "time": "19:00", "guests": 0, "guestId": 1},
        {"date": DAY, "time": "19:00", "guests": 2, "guest": {"name": "No phone or e-mail"}},
        {"date": DAY, "time": "19:00", "guests": 2, "guestId": 1, "duration": 5},
    ]
    for body in cases:
        response = await place.client.post("/api/booking/create", json=body, headers=CSRF)
        assert response.status_code == 400, body
        data = await response.get_json()
        assert data["message"] == "Validation error" and data["errors"], data
        assert all({"path", "message"} <= set(e) for e in data["errors"])


async def test_malformed_json_is_400_not_500(place):
    response = await place.client.post(
        "/api/booking/create", data="{not json", headers={**CSRF, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert (await response.get_json())["message"]
    response = await place.client.post("/api/booking/create", json=[1, 2], headers=CSRF)
    assert response.status_code == 400


async def test_unknown_guest_or_table_is_404(place):
    assert (await book(place.client, guestId=999_999, expect=404))["message"]
    assert (await book(place.client, tableId=999_999, expect=404))["message"]


async def test_anonymous_is_401_and_missing_csrf_is_403(booking_app, place):
    anonymous = booking_app.test_client()
    response = await anonymous.post("/api/booking/create", json={"date": DAY}, headers=CSRF)
    assert response.status_code == 401
    assert (await anonymous.post("/api/booking/cancel/1", headers=CSRF)).status_code == 401
    assert (await anonymous.get(f"/api/booking/availability?date={DAY}&guests=2")).status_code == 401
    response = await place.client.post(
        "/api/booking/create", json={"date": DAY, "time": "19:00", "guests": 2, "guestId": 1}
    )
    assert response.status_code == 403


async def test_staff_and_tokens_may_book_and_cancel(booking_app, place):
    staff = await add_staff(place.client)
    staff_client = booking_app.test_client()
    await login(staff_client, staff["email"])
    made = await book(staff_client)
    token = (await create_token(place.client))["token"]
    response = await booking_app.test_client().post(f"/api/booking/cancel/{made['id']}", headers=bearer(token))
    assert response.status_code == 200
    assert (await response.get_json())["status"] == "canceled"


async def test_cancel_frees_the_table_and_repeats_harmlessly(place):
    made = await book(place.client, tableId=place.table_ids[0])
    response = await place.client.post(f"/api/booking/cancel/{made['id']}", headers=CSRF)
    assert response.status_code == 200
    body = await response.get_json()
    assert body["status"] == "canceled" and body["id"] == made["id"]
    again = await place.client.post(f"/api/booking/cancel/{made['id']}", headers=CSRF)
    assert again.status_code == 200
    await book(place.client, tableId=place.table_ids[0])  # the table is free again


async def test_cancel_refusals(place):
    assert (await place.client.post("/api/booking/cancel/999999", headers=CSRF)).status_code == 404
    made = await book(place.client)
    for status in ("seated", "completed"):
        body = {"status": status, "confirmSeating": True}  # a day early
        response = await place.client.patch(f"/api/reservations/{made['id']}", json=body, headers=CSRF)
        assert response.status_code == 200
    response = await place.client.post(f"/api/booking/cancel/{made['id']}", headers=CSRF)
    assert response.status_code == 409
    assert (await response.get_json())["code"] == "invalid_transition"


async def test_availability_at_a_time(place):
    response = await place.client.get(f"/api/booking/availability?date={DAY}&time=19:00&guests=3")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["available"] is True and body["alternatives"] == []
    assert body["tables"][0] == {
        "id": place.table_ids[1],
        "name": place.tables[1]["name"],
        "minGuests": 2,
        "maxGuests": 4,
    }
    assert body["options"][0] == body["tables"]
    assert (body["date"], body["time"], body["duration"]) == (DAY, "19:00", 120)


async def test_availability_when_full_lists_alternatives(place):
    for _ in range(3):
        await book(place.client)
    body = await (await place.client.get(f"/api/booking/availability?date={DAY}&time=19:00&guests=2")).get_json()
    assert body["available"] is False and body["tables"] == [] and body["options"] == []
    assert body["alternatives"]


async def test_availability_without_time_lists_the_days_times(place):
    body = await (await place.client.get(f"/api/booking/availability?date={DAY}&guests=2")).get_json()
    assert body["date"] == DAY and body["guests"] == 2
    assert body["times"][0] == "12:00" and "19:00" in body["times"] and "22:00" not in body["times"]
    assert body["times"] == sorted(body["times"])


async def test_availability_refusals(place):
    for query in (
        "guests=2",
        f"date={DAY}",
        "date=nope&guests=2",
        f"date={DAY}&guests=0",
        f"date={DAY}&time=7pm&guests=2",
    ):
        response = await place.client.get(f"/api/booking/availability?{query}")
        assert response.status_code == 400, query
        assert (await response.get_json())["message"] == "Validation error"
    response = await place.client.get(f"/api/booking/availability?date={TODAY}&time=08:00&guests=2")
    assert response.status_code == 400  # in the past: a booking rule, not a validation error
    assert (await response.get_json())["message"] != "Validation error"


async def test_a_second_restaurants_data_is_invisible(booking_app, place):
    other = await make_restaurant(booking_app)
    theirs = await book(other.client)
    their_guest = await create_guest(other.client, name="Theirs", phone="+447700900999")
    assert (await place.client.post(f"/api/booking/cancel/{theirs['id']}", headers=CSRF)).status_code == 404
    assert (await book(place.client, guestId=their_guest["id"], expect=404))["message"]
    assert (await book(place.client, tableId=other.table_ids[0], expect=404))["message"]
    still = await other.client.get(f"/api/reservations/{theirs['id']}")
    assert (await still.get_json())["status"] == "created"
