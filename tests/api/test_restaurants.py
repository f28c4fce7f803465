"""The restaurant profile: read, update, validation of hours and rules, events and cache invalidation."""

from __future__ import annotations

from tests.api.helpers import CSRF, collect_events, register_owner

SEED_FIELDS = {
    "id",
    "userId",
    "name",
    "address",
    "phone",
    "email",
    "website",
    "cuisineType",
    "priceRange",
    "capacity",
    "avgReservationDuration",
    "openingHours",
    "createdAt",
}
RULE_FIELDS = {
    "timezone",
    "hoursExceptions",
    "minNoticeMinutes",
    "maxAdvanceDays",
    "slotIntervalMinutes",
    "bufferMinutes",
    "lastSeatingMinutes",
    "turnTimes",
    "pacingMaxCovers",
    "defaultLanguage",
    "allowedOrigins",
}


async def test_profile_has_the_seeds_fields_and_the_booking_rules(client):
    owner = await register_owner(client)
    response = await client.get("/api/restaurants/profile")
    assert response.status_code == 200
    body = await response.get_json()
    assert SEED_FIELDS | RULE_FIELDS <= set(body)
    assert body["id"] == owner["restaurant"]["id"]
    assert body["capacity"] == 40 and body["timezone"] == "UTC"


async def test_owner_updates_the_profile(client):
    await register_owner(client)
    update = {
        "name": "Trattoria Uno",
        "address": "1 Via Roma",
        "phone": "+39 06 1234567",
        "email": "Hello@Trattoria.example",
        "website": "https://trattoria.example",
        "cuisineType": "Italian",
        "priceRange": "$$",
        "capacity": 60,
        "avgReservationDuration": 90,
        "timezone": "Europe/Rome",
        "openingHours": {
            "Monday": [{"open": "12:00", "close": "15:00"}, {"open": "19:00", "close": "23:30"}],
            "friday": [{"open": "18:00", "close": "02:00"}],
        },
        "hoursExceptions": {"2030-12-25": []},
        "minNoticeMinutes": 60,
        "maxAdvanceDays": 90,
        "slotIntervalMinutes": 30,
        "bufferMinutes": 10,
        "lastSeatingMinutes": 60,
        "turnTimes": [{"minGuests": 1, "maxGuests": 2, "minutes": 75}, {"minGuests": 3, "minutes": 120}],
        "pacingMaxCovers": 30,
        "defaultLanguage": "it",
        "allowedOrigins": ["https://Trattoria.example/"],
    }
    response = await client.put("/api/restaurants/profile", json=update, headers=CSRF)
    assert response.status_code == 200, await response.get_json()
    body = await response.get_json()
    assert body["name"] == "Trattoria Uno"
    assert body["email"] == "hello@trattoria.example"
    assert body["openingHours"]["monday"][1] == {"open": "19:00", "close": "23:30"}
    assert body["openingHours"]["sunday"] == []
    assert body["hoursExceptions"] == {"2030-12-25": []}
    assert body["turnTimes"][1] == {"minGuests": 3, "minutes": 120}
    assert body["allowedOrigins"] == ["https://trattoria.example"]
    again = await (await client.get("/api/restaurants/profile")).get_json()
    assert {k: again[k] for k in body if k != "updatedAt"} == {k: body[k] for k in body if k != "updatedAt"}


async def test_update_changes_only_the_fields_sent_and_null_clears_optional_ones(client):
    await register_owner(client, restaurant_name="Keep Me")
    await client.put("/api/restaurants/profile", json={"address": "Somewhere", "capacity": 10}, headers=CSRF)
    response = await client.put("/api/restaurants/profile", json={"address": None}, headers=CSRF)
    body = await response.get_json()
    assert body["address"] is None and body["capacity"] == 10 and body["name"] == "Keep Me"


async def test_invalid_profile_values_are_400_with_the_field_named(client):
    await register_owner(client)
    cases = [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"openingHours": {"funday": []}}, "openingHours"),
        ({"openingHours": {"monday": [{"open": "25:00", "close": "23:00"}]}}, "openingHours"),
        (
            {"openingHours": {"monday": [{"open": "12:00", "close": "15:00"}, {"open": "14:00", "close": "16:00"}]}},
            "openingHours",
        ),
        ({"hoursExceptions": {"2030-02-30": []}}, "hoursExceptions"),
        ({"turnTimes": [{"minGuests": 1, "minutes": 5}]}, "turnTimes"),
        ({"capacity": 0}, "capacity"),
        ({"name": None}, "name"),
        ({"name": "  "}, "name"),
        ({"slotIntervalMinutes": "often"}, "slotIntervalMinutes"),
        ({"allowedOrigins": ["javascript:alert(1)"]}, "allowedOrigins.0"),
        ({"defaultLanguage": "english"}, "defaultLanguage"),
        ({"email": "nope"}, "email"),
    ]
    for body, path in cases:
        response = await client.put("/api/restaurants/profile", json=body, headers=CSRF)
        assert response.status_code == 400, body
        data = await response.get_json()
        assert data["message"] == "Validation error"
        assert data["errors"][0]["path"] == path, data


async def test_the_handoff_wait_is_read_written_and_checked_on_both_backends(app_factory, db_url):
    client = (await app_factory(db_url)).test_client()
    await register_owner(client)
    profile = "/api/restaurants/profile"
    assert (await (await client.get(profile)).get_json())["handoffWaitMinutes"] is None  # the service's default
    response = await client.put(profile, json={"handoffWaitMinutes": 12}, headers=CSRF)
    assert response.status_code == 200 and (await response.get_json())["handoffWaitMinutes"] == 12
    await client.put(profile, json={"capacity": 30}, headers=CSRF)  # other fields leave it alone
    assert (await (await client.get(profile)).get_json())["handoffWaitMinutes"] == 12
    for bad, says in (
        (0, "greater than or equal to 1"),
        (1441, "less than or equal to 1440"),
        (2.5, "valid integer"),
        ("soon", "valid integer"),
    ):
        response = await client.put(profile, json={"handoffWaitMinutes": bad}, headers=CSRF)
        assert response.status_code == 400, bad
        error = (await response.get_json())["errors"][0]
        assert error["path"] == "handoffWaitMinutes" and says in error["message"], error
    assert (await (await client.get(profile)).get_json())["handoffWaitMinutes"] == 12  # nothing saved
    for edge in (1, 1440, None):
        response = await client.put(profile, json={"handoffWaitMinutes": edge}, headers=CSRF)
        assert (await response.get_json())["handoffWaitMinutes"] == edge
    assert (await (await client.get(profile)).get_json())["handoffWaitMinutes"] is None  # null: back to the default


async def test_update_publishes_events_and_invalidates_the_restaurants_cache(app):
    client = app.test_client()
    owner = await register_owner(client)
    rid = owner["restaurant"]["id"]
    events = collect_events(app)
    namespace = f"restaurant:{rid}"
    before = await app.runtime.cache.generation(namespace)

    await client.put("/api/restaurants/profile", json={"website": "https://a.example"}, headers=CSRF)
    assert [e.type for e in events] == ["restaurant.changed"]
    assert events[0].restaurant_id == rid and events[0].data["fields"] == ["website"]
    assert await app.runtime.cache.generation(namespace) > before

    events.clear()
    await client.put(
        "/api/restaurants/profile",
        json={"openingHours": {"monday": [{"open": "10:00", "close": "12:00"}]}},
        headers=CSRF,
    )
    assert [e.type for e in events] == ["restaurant.changed", "hours.changed"]

    events.clear()
    await client.put("/api/restaurants/profile", json={"website": "https://a.example"}, headers=CSRF)
    assert events == []  # nothing changed, nothing published
