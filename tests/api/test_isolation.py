"""Tenant isolation: another restaurant's objects answer 404, as if they did not exist.

``foreign_requests(ids)`` lists every request of this half of the API that names an
object by id; extend it for new endpoints (reservations, booking...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.api.helpers import CSRF, add_staff, bearer, create_guest, create_table, create_token, register_owner

if TYPE_CHECKING:
    from quart.testing import QuartClient

    from api.app import App


def foreign_requests(ids: dict[str, int]) -> list[tuple[str, str, dict | None]]:
    return [
        ("PUT", f"/api/tables/{ids['table']}", {"status": "occupied"}),
        ("DELETE", f"/api/tables/{ids['table']}", None),
        ("GET", f"/api/guests/{ids['guest']}", None),
        ("PUT", f"/api/guests/{ids['guest']}", {"notes": "mine now"}),
        ("DELETE", f"/api/auth/tokens/{ids['token']}", None),
        ("DELETE", f"/api/staff/{ids['staff']}", None),
        ("GET", f"/api/tables?restaurantId={ids['restaurant']}", None),
        ("GET", "/api/restaurants/profile", {"X-Restaurant-Id": str(ids["restaurant"])}),
    ]


async def _victim(app: App) -> tuple[QuartClient, dict[str, int]]:
    client = app.test_client()
    owner = await register_owner(client, restaurant_name="Victim")
    table = await create_table(client, name="Victim's table")
    guest = await create_guest(client, name="Victim's guest", phone="+447700900999")
    token = await create_token(client)
    staff = await add_staff(client)
    ids = {
        "restaurant": owner["restaurant"]["id"],
        "table": table["id"],
        "guest": guest["id"],
        "token": token["id"],
        "staff": staff["id"],
    }
    return client, ids


async def _assert_untouched(victim: QuartClient, ids: dict[str, int]) -> None:
    tables = await (await victim.get("/api/tables")).get_json()
    assert [(t["id"], t["status"]) for t in tables] == [(ids["table"], "free")]
    guest = await (await victim.get(f"/api/guests/{ids['guest']}")).get_json()
    assert guest["notes"] is None
    tokens = await (await victim.get("/api/auth/tokens")).get_json()
    assert tokens[0]["revoked"] is False
    staff = await (await victim.get("/api/staff")).get_json()
    assert ids["staff"] in [m["id"] for m in staff]


async def test_another_restaurants_ids_answer_404_by_session(app):
    victim, ids = await _victim(app)
    intruder = app.test_client()
    await register_owner(intruder, restaurant_name="Intruder")
    for method, path, body in foreign_requests(ids):
        headers = dict(CSRF)
        if body and all(k.startswith("X-") for k in body):
            headers.update(body)
            body = None
        response = await intruder.open(path, method=method, json=body, headers=headers)
        assert response.status_code == 404, (method, path, response.status_code)
        assert (await response.get_json())["message"]
    await _assert_untouched(victim, ids)


async def test_another_restaurants_ids_answer_404_by_token(app):
    victim, ids = await _victim(app)
    intruder = app.test_client()
    await register_owner(intruder, restaurant_name="Intruder")
    token = (await create_token(intruder))["token"]
    for method, path, body in foreign_requests(ids):
        headers = bearer(token)
        if body and all(k.startswith("X-") for k in body):
            headers.update(body)
            body = None
        response = await app.test_client().open(path, method=method, json=body, headers=headers)
        assert response.status_code == 404, (method, path, response.status_code)
    await _assert_untouched(victim, ids)


async def test_lists_show_only_the_callers_own_objects(app):
    await _victim(app)
    intruder = app.test_client()
    await register_owner(intruder)
    assert await (await intruder.get("/api/tables")).get_json() == []
    assert (await (await intruder.get("/api/guests?q=Victim")).get_json())["total"] == 0
    assert len(await (await intruder.get("/api/staff")).get_json()) == 1
    assert await (await intruder.get("/api/auth/tokens")).get_json() == []
