"""An administrator in the dashboard (no restaurant of their own, they find one by name and act on it), and
the refusals the dashboard says in the UI's language (errors.js) checked on the service's real error bodies.

Shares the servers of tests/api/test_dashboard_browser.py (its fixtures: two `tobeout serve` processes
on a throwaway PostgreSQL database with the demo data, Debian's Chromium).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.api.test_dashboard_browser import (  # noqa: F401 (browser and servers are fixtures used here)
    CSRF,
    Api,
    Console,
    browser,
    new_context,
    servers,
    shot,
    signed_in,
)
from tests.serving import run_tobeout

ADMIN = ("root@ops.tobeout.local", "admin-password-1")
SECOND = "Harbour Fish House"
EVERY_DAY = {
    day: [{"open": "10:00", "close": "23:00"}]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis]


def _second_restaurant(base: str, day: str) -> str:
    """Sign up a second restaurant (open every day, one table) and book one guest there; their name."""
    http = httpx.Client(base_url=base, timeout=15, headers=CSRF)
    answer = http.post(
        "/api/auth/register",
        json={
            "email": "harbour@example.com",
            "password": "harbour-password",
            "name": "Hana Harbour",
            "restaurantName": SECOND,
            "timezone": "Europe/London",
        },
    )
    assert answer.status_code == 201, answer.text
    assert http.put("/api/restaurants/profile", json={"openingHours": EVERY_DAY}).status_code == 200
    assert http.post("/api/tables", json={"name": "Pier 1", "minGuests": 1, "maxGuests": 6}).status_code == 201
    guest = {"name": "Quentin Harbourside", "phone": "+44 7700 900321"}
    booked = http.post("/api/booking/create", json={"date": day, "time": "19:30", "guests": 3, "guest": guest})
    assert booked.status_code == 201, booked.text
    return "Quentin Harbourside"


async def test_an_admin_picks_the_second_restaurant_by_name_and_sees_its_bookings(browser, servers):  # noqa: F811
    from playwright.async_api import expect

    day = servers.day
    api: Api = servers.api
    first_guest = "Ophelia Firstplace"
    api.book(first_guest, "+44 20 7946 0777", day, "20:00", 2)
    second_guest = await asyncio.to_thread(_second_restaurant, servers.base, day)
    create = ["create-user", "--email", ADMIN[0], "--name", "Root Admin", "--role", "admin"]
    await asyncio.to_thread(run_tobeout, create, {**servers.env, "TOBEOUT_PASSWORD": ADMIN[1]}, servers.cwd)
    context = await new_context(browser)
    try:
        page = await context.new_page()
        console = Console(page)
        await page.goto(f"{servers.base}/dashboard?date={day}")
        await page.fill("#signin-email", ADMIN[0])
        await page.fill("#signin-password", ADMIN[1])
        await page.press("#signin-password", "Enter")
        # No restaurant of their own: the choice lists every restaurant by name.
        picker = page.locator("#choose-restaurant-picker")
        await picker.locator("option", has_text=SECOND).wait_for(state="attached")
        assert await picker.locator("option:not([disabled])").all_inner_texts() == [SECOND, "ToBeOut Demo Bistro"]
        await page.get_by_label("Find a restaurant").fill("harb")
        await expect(picker.locator("option:not([disabled])")).to_have_count(1)
        await shot(page, "admin-choose-restaurant")
        await picker.select_option(label=SECOND)
        await page.locator(".tl-block", has_text=second_guest).wait_for()
        assert await page.get_by_text(first_guest).count() == 0
        assert await page.locator(".brand").inner_text() == SECOND
        assert page.url.endswith(f"/dashboard?date={day}")

        # The header's picker switches restaurant; the choice survives a reload.
        header = page.locator("#restaurant-picker")
        assert await header.input_value() != ""
        await header.select_option(label="ToBeOut Demo Bistro")
        await page.locator(".tl-block", has_text=first_guest).wait_for()
        assert await page.get_by_text(second_guest).count() == 0
        await page.reload()
        await page.locator(".tl-block", has_text=first_guest).wait_for()
        assert await page.locator(".brand").inner_text() == "ToBeOut Demo Bistro"
        await page.locator("#restaurant-search").fill("fish")
        await expect(header.locator("option:not([disabled])")).to_have_count(1)
        await header.select_option(label=SECOND)
        await page.locator(".tl-block", has_text=second_guest).wait_for()
        assert await page.locator(".brand").inner_text() == SECOND
        console.assert_clean()
    finally:
        await context.close()


def _refusals(api: Api, base: str, day: str) -> dict[str, Any]:
    """Real error bodies of the service: a full slot, hours that leave a booking outside, a refused field, a
    throttle and a plain 404 (for the fallback to the server's message)."""
    first = api.book("Rufus Refused", "+44 20 7946 0888", day, "21:30", 2)
    again = {"name": "Second Try", "phone": "+44 20 7946 0889"}
    taken = api.call(
        "POST",
        "/api/booking/create",
        409,
        json={"date": day, "time": "21:30", "guests": 2, "tableId": first["tableId"], "guest": again},
    )
    weekday = datetime.fromisoformat(day).strftime("%A").lower()
    outside = api.call(
        "PUT", "/api/restaurants/profile", 409, json={"openingHours": {weekday: [{"open": "12:00", "close": "15:00"}]}}
    )
    field = api.call(
        "POST",
        "/api/booking/create",
        400,
        json={"date": day, "time": "19:00", "guests": "many", "guest": {"name": "", "phone": "+44 20 7946 0890"}},
    )
    http = httpx.Client(base_url=base, timeout=15, headers=CSRF)
    for _ in range(5):
        http.post("/api/auth/login", json={"email": "nobody@example.com", "password": "wrong"})
    throttled = http.post("/api/auth/login", json={"email": "nobody@example.com", "password": "wrong"})
    assert throttled.status_code == 429, throttled.text
    missing = api.call("GET", "/api/guests/999999", 404)
    return {
        "taken": [409, taken],
        "outside": [409, outside],
        "field": [400, field],
        "throttled": [429, throttled.json()],
        "missing": [404, missing],
    }


async def test_common_refusals_are_said_in_russian_and_others_keep_the_servers_words(browser, servers):  # noqa: F811
    bodies = await asyncio.to_thread(_refusals, servers.api, servers.base, servers.day)
    assert bodies["taken"][1]["code"] == "slot_unavailable" and bodies["outside"][1]["code"] == "bookings_outside_hours"
    async with signed_in(browser, servers, locale="ru-RU") as (page, console):
        said = await page.evaluate(
            """async (bodies) => {
            const { refusalText } = await import("/dashboard/static/errors.js");
            const { ApiError } = await import("/dashboard/static/api.js");
            const out = {};
            for (const [name, [status, body]] of Object.entries(bodies)) {
              const err = new ApiError(status, body);
              out[name] = { text: refusalText(status, body), message: err.message, detail: err.detail };
            }
            return out;
        }""",
            bodies,
        )
        console.assert_clean()
    assert said["taken"]["text"].startswith("Выбранный стол занят: ")
    assert servers.day[-2:].lstrip("0") in said["taken"]["text"] and "21:30" in said["taken"]["text"]
    assert ("Свободно рядом: " in said["taken"]["text"]) == bool(bodies["taken"][1]["alternatives"])
    count = len(bodies["outside"][1]["reservations"])
    assert count >= 1 and said["outside"]["text"].startswith(f"Предстоящих броней вне новых часов: {count}. ")
    fields = said["field"]["text"].removeprefix("Не принято, проверьте: ").removesuffix(".")
    assert sorted(fields.split(", ")) == ["гости", "имя гостя"], said["field"]["text"]
    assert said["field"]["detail"].startswith(said["field"]["text"] + " — ") and "гости: " in said["field"]["detail"]
    assert said["throttled"]["text"] == "Слишком много попыток. Повторите через 15 мин."
    assert said["missing"]["text"] == bodies["missing"][1]["message"] == "No such guest."
    assert all(said[name]["message"] == said[name]["text"] for name in said)  # every ApiError says it so
