"""The widget's booking form over HTTP: words and bounds, free times, a booking through the engine with
source `form`, refusals the widget can read (CORS included), a known guest left as stored, the limits."""

from __future__ import annotations

import pytest

from channels.webchat.form import BOOKINGS_PER_HOUR, TIMES_PER_MINUTE
from core.booking.manage_link import read_manage_token
from core.demo import load_demo_data
from core.models import Guest, Reservation, ReservationChange, Restaurant

SESSION = "visitor-session-form-01"
TOMORROW = "2026-11-26"  # a Thursday: the demo opens 12:00-15:00 and 18:00-23:00 (tests.clock.NOW is Wed 25 Nov)
SITE = "https://bistro.example"


@pytest.fixture
async def form(app_factory, postgres_url, clock):
    app = await app_factory(postgres_url, clock=clock)
    await load_demo_data()
    restaurant = await Restaurant.first()
    assert restaurant is not None
    restaurant.allowed_origins = [SITE]
    await restaurant.save(update_fields=["allowed_origins"])
    client = app.test_client()

    async def post(body: dict, *, status: int | None = 201, origin: str = SITE) -> dict:
        full = {"sessionId": SESSION, "date": TOMORROW, "time": "19:00", "guests": 2, "name": "Nina", **body}
        response = await client.post(
            f"/channels/webchat/{restaurant.id}/bookings", json=full, headers={"Origin": origin}
        )
        if status is not None:
            assert response.status_code == status, await response.get_data(as_text=True)
        assert response.headers.get("Access-Control-Allow-Origin") == origin  # the widget can read every answer
        answer = await response.get_json()
        answer["_status"] = response.status_code
        return answer

    post.app, post.client, post.rid = app, client, restaurant.id
    return post


async def test_the_form_gets_its_words_and_bounds_in_the_visitors_language(form):
    response = await form.client.get(f"/channels/webchat/{form.rid}/form?lang=de", headers={"Origin": SITE})
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == SITE
    body = await response.get_json()
    assert body["language"] == "de" and body["texts"]["tab_book"] == "Reservieren"
    assert (
        body["firstDay"] == "2026-11-25" and body["lastDay"] == "2027-01-24" and body["maxGuests"] == 14
    )  # the chef's table 10; three combinable tables 4 + 4 + 6
    french = await (await form.client.get(f"/channels/webchat/{form.rid}/form?lang=fr-FR")).get_json()
    assert french["language"] == "fr" and french["texts"]["tab_book"] == "Réserver"
    english = await (
        await form.client.get(f"/channels/webchat/{form.rid}/form", headers={"Accept-Language": "en"})
    ).get_json()
    assert english["texts"]["contact_hint"].startswith("A phone number or an e-mail")


async def test_free_times_come_from_availability(form):
    response = await form.client.get(f"/channels/webchat/{form.rid}/times?date={TOMORROW}&guests=4")
    body = await response.get_json()
    assert response.status_code == 200 and body["times"][0] == "12:00" and "19:00" in body["times"]
    assert "16:00" not in body["times"]  # closed between lunch and dinner
    bad = await form.client.get(f"/channels/webchat/{form.rid}/times?date=tomorrow&guests=4")
    assert bad.status_code == 400 and "YYYY-MM-DD" in (await bad.get_json())["message"]
    big = await form.client.get(f"/channels/webchat/{form.rid}/times?date={TOMORROW}&guests=40")
    assert big.status_code == 400 and (await big.get_json())["code"] == "party_too_large"


async def test_a_booking_from_the_form_goes_through_the_engine_as_the_guest(form):
    answer = await form({"guests": 3, "email": "Nina@Example.com", "language": "ru"})
    reservation = await Reservation.get(id=answer["reservation"]["id"]).prefetch_related("guest")
    assert (reservation.source, reservation.guests, f"{reservation.time:%H:%M}") == ("form", 3, "19:00")
    assert (reservation.guest.name, reservation.guest.email, reservation.guest.phone) == (
        "Nina",
        "nina@example.com",
        None,
    )
    assert reservation.guest.language == "ru"
    assert answer["message"] == f"Забронировано: чт, 26 ноября, 19:00, 3 гостя. Бронь №{reservation.id}."
    history = await ReservationChange.get(reservation_id=reservation.id)
    assert (history.type, history.actor, history.source) == ("reservation.created", "guest", "form")
    token = answer["manageUrl"].rsplit("/manage/", 1)[1]
    grant = read_manage_token(form.app.runtime.settings.secret_key, token, form.app.runtime.clock())
    assert (grant.restaurant_id, grant.reservation_id) == (form.rid, reservation.id)
    shown = await form.client.get(f"/manage/{token}")
    assert shown.status_code == 200 and "Nina" in await shown.get_data(as_text=True)
    assert answer["calendarUrl"] == f"http://tobeout.test/api/manage/{token}/calendar.ics"
    ics = await form.client.get(answer["calendarUrl"].removeprefix("http://tobeout.test"))
    assert ics.status_code == 200 and b"DTSTART;TZID=Europe/London:20261126T190000" in await ics.get_data()


async def test_a_known_guest_is_booked_as_themselves_but_left_as_stored(form):
    pavel = await Guest.get(restaurant_id=form.rid, phone="+447700900101")
    answer = await form({"name": "Someone Else", "phone": "07700 900101", "email": "prank@example.com"})
    reservation = await Reservation.get(id=answer["reservation"]["id"])
    assert reservation.guest_id == pavel.id
    stored = await Guest.get(id=pavel.id)
    assert (stored.name, stored.email, stored.language) == (pavel.name, pavel.email, pavel.language)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"phone": None, "email": None}, "phone"),
        ({"phone": "not a phone"}, "phone"),
        ({"email": "nobody-at-all"}, "email"),
        ({"phone": "+447700900999", "time": "7pm"}, "time"),
        ({"phone": "+447700900999", "name": ""}, "name"),
        ({"phone": "+447700900999", "guests": 0}, "guests"),
    ],
)
async def test_bad_input_is_a_clear_400_naming_the_field(form, body, path):
    answer = await form(body, status=400)
    assert answer["errors"][0]["path"] == path and answer["errors"][0]["message"]
    assert await Reservation.filter(restaurant_id=form.rid, source="form").count() == 0


async def test_a_taken_or_refused_time_answers_what_the_staff_api_would(form):
    answers = []
    for n in range(4):  # parties of 10 at 19:00 until nothing seats another (the chef's table, then combinations)
        answers.append(await form({"phone": f"+4477009009{n:02d}", "guests": 10}, status=None))
        if answers[-1]["_status"] != 201:
            break
    taken = answers[-1]
    assert taken["_status"] == 409 and len(answers) > 1
    assert taken["code"] == "slot_unavailable" and taken["alternatives"]
    closed = await form({"phone": "+447700900998", "time": "16:00"}, status=400)
    assert closed["code"] == "outside_hours"


async def test_an_origin_the_restaurant_did_not_allow_is_refused(form):
    response = await form.client.post(
        f"/channels/webchat/{form.rid}/bookings",
        json={
            "sessionId": SESSION,
            "date": TOMORROW,
            "time": "19:00",
            "guests": 2,
            "name": "N",
            "phone": "+447700900997",
        },
        headers={"Origin": "https://elsewhere.example"},
    )
    assert response.status_code == 403
    assert await Reservation.filter(restaurant_id=form.rid, source="form").count() == 0
    preflight = await form.client.options(f"/channels/webchat/{form.rid}/bookings", headers={"Origin": SITE})
    assert preflight.status_code == 204 and preflight.headers["Access-Control-Allow-Origin"] == SITE


async def test_bookings_and_look_ups_are_limited(form):
    for n in range(BOOKINGS_PER_HOUR):
        await form({"phone": f"+4477009005{n:02d}", "date": f"2026-12-{n + 1:02d}"})
    limited = await form({"phone": "+447700900599", "date": "2026-12-20"}, status=429)
    assert limited["code"] == "rate_limited"
    assert await Reservation.filter(restaurant_id=form.rid, source="form").count() == BOOKINGS_PER_HOUR
    path = f"/channels/webchat/{form.rid}/times?date={TOMORROW}&guests=2"
    for _ in range(TIMES_PER_MINUTE):
        assert (await form.client.get(path)).status_code == 200
    assert (await form.client.get(path)).status_code == 429
