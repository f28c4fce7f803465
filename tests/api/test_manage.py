"""The guest's manage link over HTTP: the page, the signed-link API, refusals, isolation and the limit."""

from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar

from api.guest_ui.api import REQUESTS_PER_MINUTE
from core.booking.manage_link import manage_url, sign_manage_token
from core.models import Reservation, ReservationChange
from tests.api.bookkit import DAY, book, make_restaurant
from tests.api.helpers import CSRF

SECRET = "test-secret-key-" + "x" * 32  # the test apps' SECRET_KEY (tests/conftest.make_settings)
BASE = "http://tobeout.test"


async def link_of(reservation_id: int) -> str:
    reservation = await Reservation.get(id=reservation_id)
    return manage_url(BASE, SECRET, reservation)


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


async def booked(place, **fields) -> tuple[dict, str]:
    body = await book(place.client, **fields)
    return body, token_of(await link_of(body["id"]))


async def test_the_page_shows_the_booking_in_the_guests_language_with_the_restaurant(booking_app):
    place = await make_restaurant(booking_app, name="Zur Linde", address="Lindenstraße 5, Berlin", phone="+49301234")
    body, token = await booked(place, guest={"name": "Lena", "phone": "+4915112345678", "language": "de"}, guests=4)
    guest = booking_app.test_client()  # no sign-in: the link is the permission
    response = await guest.get(f"/manage/{token}")
    assert response.status_code == 200
    page = await response.get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "Zur Linde" in page and "Lindenstraße 5, Berlin" in page and 'href="tel:+49301234"' in page
    assert "Dienstag, 2. Juni 2026 um 19:00 Uhr" in page and "4 Personen" in page and "Hallo Lena" in page
    assert f"#{body['id']}" in page and "Reservierung stornieren" in page and "Zum Kalender hinzufügen" in page
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["Cache-Control"] == "no-store"
    english = await (await guest.get(f"/manage/{token}?lang=en")).get_data(as_text=True)
    assert "Tuesday 2 June 2026 at 19:00" in english and "4 guests" in english
    russian = await (await guest.get(f"/manage/{token}?lang=ru")).get_data(as_text=True)
    assert "вторник, 2 июня 2026, 19:00" in russian and "4 гостя" in russian
    french = await (await guest.get(f"/manage/{token}?lang=fr")).get_data(as_text=True)
    assert '<html lang="fr">' in french and "mardi 2 juin 2026 à 19:00" in french and "4 personnes" in french
    assert "Annuler la réservation" in french


async def test_the_api_shows_changes_and_cancels_through_the_engine(booking_app, clock):
    place = await make_restaurant(booking_app)
    body, token = await booked(place)
    guest = booking_app.test_client()
    shown = await (await guest.get(f"/api/manage/{token}")).get_json()
    assert {k: shown["reservation"][k] for k in ("id", "date", "time", "guests", "status", "guestName")} == {
        "id": body["id"],
        "date": DAY,
        "time": "19:00",
        "guests": 2,
        "status": "created",
        "guestName": "Ada Lovelace",
    }
    assert shown["open"] is True and shown["maxGuests"] == 6 and shown["firstDay"] == "2026-06-01"
    assert "phone" not in shown["reservation"]  # the page shows no contact details

    times = await (await guest.get(f"/api/manage/{token}/times?date={DAY}&guests=6")).get_json()
    assert "19:00" in times["times"] and times["guests"] == 6

    moved = await guest.patch(f"/api/manage/{token}", json={"time": "20:30", "guests": 5}, headers=CSRF)
    assert moved.status_code == 200, await moved.get_data(as_text=True)
    view = await moved.get_json()
    assert (view["reservation"]["time"], view["reservation"]["guests"]) == ("20:30", 5)
    assert view["labels"]["party"] == "5 guests" and view["manageUrl"].startswith(BASE + "/manage/")
    row = await Reservation.get(id=body["id"])
    assert (f"{row.time:%H:%M}", row.guests) == ("20:30", 5)
    history = await ReservationChange.filter(reservation_id=body["id"]).order_by("id")
    assert [(h.type, h.actor) for h in history][-1] == ("reservation.updated", "guest")

    canceled = await guest.post(f"/api/manage/{token}/cancel", headers=CSRF)
    assert canceled.status_code == 200
    view = await canceled.get_json()
    assert view["reservation"]["status"] == "canceled" and view["open"] is False
    assert view["labels"]["status"] == "Cancelled"
    again = await guest.post(f"/api/manage/{token}/cancel", headers=CSRF)
    assert again.status_code == 409 and (await again.get_json())["code"] == "booking_closed"
    still = await guest.get(f"/manage/{token}")  # a cancelled booking stays viewable from its link
    assert still.status_code == 200 and "Cancelled" in await still.get_data(as_text=True)


async def test_a_taken_time_answers_alternatives_and_a_rule_answers_its_code(booking_app):
    place = await make_restaurant(booking_app, tables=((1, 2),))
    await book(place.client, time="16:00", guest={"name": "Other", "phone": "+44 20 7946 0002"})
    _, token = await booked(place, time="19:00")
    guest = booking_app.test_client()
    taken = await guest.patch(f"/api/manage/{token}", json={"time": "16:30"}, headers=CSRF)
    assert taken.status_code == 409
    answer = await taken.get_json()
    assert answer["code"] == "slot_unavailable" and answer["alternatives"]
    closed = await guest.patch(f"/api/manage/{token}", json={"time": "23:30"}, headers=CSRF)
    assert closed.status_code == 400 and (await closed.get_json())["code"] in ("outside_hours", "ends_after_close")
    too_many = await guest.get(f"/api/manage/{token}/times?date={DAY}&guests=9")
    assert too_many.status_code == 400 and (await too_many.get_json())["code"] == "party_too_large"
    nothing = await guest.patch(f"/api/manage/{token}", json={}, headers=CSRF)
    assert nothing.status_code == 400


async def test_a_started_booking_can_be_seen_but_not_changed(booking_app, clock):
    place = await make_restaurant(booking_app)
    _, token = await booked(place)
    clock.now = clock.now + timedelta(days=1, hours=9, minutes=30)  # 19:30 London on the day
    guest = booking_app.test_client()
    shown = await (await guest.get(f"/api/manage/{token}")).get_json()
    assert shown["open"] is False
    refused = await guest.patch(f"/api/manage/{token}", json={"time": "21:00"}, headers=CSRF)
    assert refused.status_code == 409 and (await refused.get_json())["code"] == "booking_closed"
    page = await (await guest.get(f"/manage/{token}")).get_data(as_text=True)
    assert re.search(r'<div class="actions" id="actions" hidden>', page)


async def test_the_calendar_file_downloads_in_the_restaurants_zone(booking_app):
    place = await make_restaurant(booking_app, timezone="Europe/Berlin", address="Lindenstraße 5")
    body, token = await booked(place)
    response = await booking_app.test_client().get(f"/api/manage/{token}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="booking-{body["id"]}.ics"'
    event = Calendar.from_ical(await response.get_data()).walk("VEVENT")[0]
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Berlin" and event.decoded("dtstart").hour == 19
    assert str(event["location"]) == "Lindenstraße 5" and str(event["url"]).startswith(BASE + "/manage/")


async def test_bad_links_get_a_clear_page_and_404_never_a_500(booking_app, clock):
    place = await make_restaurant(booking_app, name="Chez Test", phone="+44 20 7946 0000")
    body, token = await booked(place)
    guest = booking_app.test_client()
    rid, res, exp, sig = token.split(".")
    forged = f"{rid}.{int(res) + 1}.{exp}.{sig}"
    for bad, problem in [(token[:-4], "malformed"), ("nonsense", "malformed"), (forged, "forged")]:
        response = await guest.get(f"/manage/{bad}")
        assert response.status_code == 404, bad
        page = await response.get_data(as_text=True)
        assert "This link cannot be used" in page and "Chez Test" not in page
        api = await guest.get(f"/api/manage/{bad}")
        assert api.status_code == 404 and (await api.get_json())["problem"] == problem
        write = await guest.patch(f"/api/manage/{bad}", json={"guests": 3}, headers=CSRF)
        assert write.status_code == 404
    german = await guest.get(f"/manage/{forged}", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert "Dieser Link funktioniert nicht" in await german.get_data(as_text=True)

    expired = sign_manage_token(SECRET, place.id, body["id"], clock.now - timedelta(seconds=1))
    response = await guest.get(f"/manage/{expired}")
    page = await response.get_data(as_text=True)
    assert response.status_code == 404 and "This link has expired." in page
    assert "Chez Test" in page and "+44 20 7946 0000" in page  # whom to call instead
    assert (await (await guest.get(f"/api/manage/{expired}")).get_json())["problem"] == "expired"
    cancel = await guest.post(f"/api/manage/{expired}/cancel", headers=CSRF)
    assert cancel.status_code == 404
    assert (await Reservation.get(id=body["id"])).status == "created"


async def test_a_link_reaches_only_its_own_booking_even_across_restaurants(booking_app):
    first = await make_restaurant(booking_app)
    second = await make_restaurant(booking_app)
    mine, _ = await booked(first)
    theirs, _ = await booked(second)
    # A genuine link of restaurant A's booking, re-signed by nobody: only the ids in it are swapped.
    token = token_of(await link_of(mine["id"]))
    rid, _, exp, sig = token.split(".")
    for swapped in (f"{second.id}.{theirs['id']}.{exp}.{sig}", f"{rid}.{theirs['id']}.{exp}.{sig}"):
        guest = booking_app.test_client()
        assert (await guest.post(f"/api/manage/{swapped}/cancel", headers=CSRF)).status_code == 404
    # Even a correctly signed token naming A with B's reservation id finds nothing: reads are scoped by both.
    crossed = sign_manage_token(SECRET, first.id, theirs["id"], (await Reservation.get(id=theirs["id"])).ends_at)
    guest = booking_app.test_client()
    assert (await guest.get(f"/api/manage/{crossed}")).status_code == 404
    assert (await guest.post(f"/api/manage/{crossed}/cancel", headers=CSRF)).status_code == 404
    assert (await Reservation.get(id=theirs["id"])).status == "created"


async def test_one_address_is_limited_like_other_public_endpoints(booking_app):
    place = await make_restaurant(booking_app)
    _, token = await booked(place)
    guest = booking_app.test_client()
    for _ in range(REQUESTS_PER_MINUTE):
        assert (await guest.get(f"/api/manage/{token}")).status_code == 200
    limited = await guest.get(f"/api/manage/{token}")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "60"
    page = await guest.get(f"/manage/{token}")
    assert page.status_code == 429 and "Too many requests" in await page.get_data(as_text=True)


async def test_the_page_with_its_script_and_style_stays_under_50_kb(booking_app):
    """The issue's goal for a guest on a phone: everything the page loads, uncompressed, at most 50 KB."""
    place = await make_restaurant(booking_app, name="A" * 200, address="B" * 500)
    _, token = await booked(place)
    guest = booking_app.test_client()
    page = await guest.get(f"/manage/{token}")
    html = await page.get_data()
    loaded = re.findall(r'(?:src|href)="(/manage/static/[^"]+)"', html.decode())
    assert sorted(loaded) == ["/manage/static/manage.css", "/manage/static/manage.js"]
    sizes = [len(html)]
    for path in loaded:
        response = await guest.get(path)
        assert response.status_code == 200
        sizes.append(len(await response.get_data()))
    assert sum(sizes) <= 50 * 1024, sizes
