"""The OpenAPI document describes the staff endpoints with camelCase schemas and both auth schemes, and every
operation's error answers with the one error body; real answers are held to it (:mod:`tests.api.documented`)."""

from __future__ import annotations

import re

from tests.api.bookkit import DAY, book, make_restaurant
from tests.api.documented import Documented
from tests.api.helpers import CSRF, PASSWORD, add_staff, login, register_owner


async def test_openapi_lists_the_endpoints_and_security_schemes(client):
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    doc = await response.get_json()
    for path in (
        "/api/auth/register",
        "/api/auth/login",
        "/api/auth/me",
        "/api/auth/tokens",
        "/api/staff",
        "/api/restaurants/profile",
        "/api/tables",
        "/api/tables/{table_id}",
        "/api/guests",
        "/api/guests/{guest_id}",
        "/api/integrations/settings",
        "/api/integrations",
        "/api/integrations/{type}",
        "/api/ai/activities",
    ):
        assert path in doc["paths"], path
    schemes = doc["components"]["securitySchemes"]
    assert schemes["token"]["scheme"] == "bearer"
    assert schemes["session"]["in"] == "cookie"
    body = doc["paths"]["/api/tables"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in body:
        body = doc["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    assert {"minGuests", "maxGuests"} <= set(body["properties"])
    listed = doc["paths"]["/api/tables"]["get"]["responses"]["200"]
    assert listed["description"] == "The restaurant's tables."
    assert (await client.get("/docs")).status_code == 200


def _error_models() -> dict[str, type]:
    """ErrorOut and every model derived from it, by the name their schemas have in the document."""
    from api.schemas import ErrorOut

    found, todo = {}, [ErrorOut]
    while todo:
        model = todo.pop()
        found[model.__name__] = model
        todo.extend(model.__subclasses__())
    return found


async def test_every_error_response_refers_to_the_error_body(app):
    from api.schemas import ErrorOut

    documented = await Documented.of(app)
    components = documented.document["components"]["schemas"]
    generated = ErrorOut.model_json_schema(by_alias=True, mode="serialization")
    assert set(components["ErrorOut"]["properties"]) == set(generated["properties"]) >= {"message", "code", "errors"}
    models = _error_models()
    for method, template in documented.operations():
        responses = documented.operation(method, template)["responses"]
        errors = {int(status) for status in responses if int(status) >= 400}
        assert {400, 503} <= errors, (method, template, errors)  # the edge guard and the database, everywhere
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            assert {403, 413} <= errors, (method, template, errors)  # CSRF, and the body size limit
        if "{" in template:
            assert 404 in errors, (method, template, errors)
        for status in errors:
            schema = responses[str(status)]["content"]["application/json"]["schema"]
            name = schema["$ref"].rsplit("/", 1)[-1]
            assert name in models, (method, template, status, schema)
            assert set(generated["properties"]) <= set(components[name]["properties"])
    assert "Retry-After" in documented.operation("GET", "/api/tables")["responses"]["503"]["headers"]
    assert documented.operation("POST", "/api/booking/create")["responses"]["409"]["content"]["application/json"][
        "schema"
    ]["$ref"].endswith("/ConflictOut")


async def test_every_operation_answers_only_documented_errors(app):
    """Every operation called anonymously (with and without the CSRF header), by an owner and by a staff
    member, on ids that do not exist and with an empty body: each error answer is documented, body included."""
    documented = await Documented.of(app)
    owner, staff, anonymous = app.test_client(), app.test_client(), app.test_client()
    await register_owner(owner)
    await login(staff, (await add_staff(owner))["email"])
    seen: dict[tuple[str, str], dict[str, int]] = {}
    for method, template in documented.operations():
        path = re.sub(r"\{[^}]+\}", "999999", template)
        callers = [("anonymous", anonymous, {}), ("anonymous with CSRF", anonymous, CSRF)]
        signs_out = ("POST", "/api/auth/logout"), ("POST", "/api/auth/logout-everywhere")
        if (method, template) != ("GET", "/api/events") and (method, template) not in signs_out:  # a stream; signs out
            callers += [("owner", owner, CSRF), ("staff", staff, CSRF)]
        for who, client, headers in callers:
            body = {} if method in ("POST", "PUT", "PATCH", "DELETE") else None
            response = await client.open(path, method=method, json=body, headers=headers)
            seen.setdefault((method, template), {})[who] = response.status_code
            if response.status_code >= 400:
                await documented.check(method, path, response)
        operation = documented.operation(method, template)
        answers = seen[(method, template)]
        if "security" in operation:  # signed-in operations refuse anonymous callers with 401 and say how to sign in
            assert answers["anonymous with CSRF"] == 401, (method, template, answers)
        if body is not None and template.startswith("/api/"):
            assert answers["anonymous"] == 403, (method, template, answers)  # the CSRF guard comes first
    statuses = {status for answers in seen.values() for status in answers.values()}
    assert {400, 401, 403, 404} <= statuses, statuses
    assert any(answers.get("staff") == 403 and answers.get("owner") != 403 for answers in seen.values())


async def test_a_conflict_throttle_and_outside_failure_answer_as_documented(app_factory, postgres_url, clock):
    app = await app_factory(postgres_url, clock=clock, env={"TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"})
    documented = await Documented.of(app)
    place = await make_restaurant(app, tables=((1, 2),))
    await book(place.client, time="19:00")
    full = await place.client.post(
        "/api/booking/create",
        headers=CSRF,
        json={"date": DAY, "time": "19:00", "guests": 2, "guest": {"name": "Bo", "phone": "+44 20 7946 0002"}},
    )
    assert full.status_code == 409
    assert (await documented.check("POST", "/api/booking/create", full))["code"] == "slot_unavailable"

    again = await app.test_client().post(
        "/api/auth/register",
        headers=CSRF,
        json={"email": place.owner["email"], "password": PASSWORD, "name": "Again", "restaurantName": "Again"},
    )
    assert again.status_code == 409
    await documented.check("POST", "/api/auth/register", again)

    guesser = app.test_client()
    for _ in range(6):
        response = await guesser.post(
            "/api/auth/login", headers=CSRF, json={"email": place.owner["email"], "password": "not the password"}
        )
        await documented.check("POST", "/api/auth/login", response)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0

    unreachable = await place.client.post(
        "/api/integrations/telegram",
        headers=CSRF,
        json={"botToken": "424242:AAHtestTokenForDocs_abcdefghij", "enabled": True},
    )
    assert unreachable.status_code == 502
    await documented.check("POST", "/api/integrations/telegram", unreachable)
