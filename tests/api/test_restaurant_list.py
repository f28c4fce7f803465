"""``GET /api/restaurants``: the admins' list of every restaurant (search by name, pages); others are refused."""

from __future__ import annotations

from tests.api.helpers import CSRF, add_staff, login, make_admin, register_owner


async def _owners(app, names: list[str]) -> list[dict]:
    made = []
    for name in names:
        made.append(await register_owner(app.test_client(), restaurant_name=name))
    return made


async def test_an_admin_sees_every_restaurant_by_name_and_searches_them(app):
    owners = await _owners(app, ["Zuppa Bar", "Café Ânfora", "Bistro Tres", "Norte Ânfora"])
    admin = await make_admin(app)
    response = await admin.get("/api/restaurants")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["total"] == 4 and body["page"] == 1 and body["pageSize"] == 20
    assert [r["name"] for r in body["items"]] == ["Bistro Tres", "Café Ânfora", "Norte Ânfora", "Zuppa Bar"]
    assert {r["id"] for r in body["items"]} == {o["restaurant"]["id"] for o in owners}
    assert {"id", "name", "timezone", "openingHours"} <= set(body["items"][0])

    found = await (await admin.get("/api/restaurants", query_string={"q": "  âNFORA "})).get_json()
    assert [r["name"] for r in found["items"]] == ["Café Ânfora", "Norte Ânfora"] and found["total"] == 2
    none = await (await admin.get("/api/restaurants", query_string={"q": "sushi"})).get_json()
    assert none == {"items": [], "total": 0, "page": 1, "pageSize": 20}
    blank = await (await admin.get("/api/restaurants", query_string={"q": " "})).get_json()
    assert blank["total"] == 4  # a blank search is no search


async def test_the_list_pages_like_the_other_lists(app):
    await _owners(app, [f"Place {n}" for n in range(1, 6)])
    admin = await make_admin(app)
    pages = [
        await (await admin.get("/api/restaurants", query_string={"page": p, "pageSize": 2})).get_json()
        for p in (1, 2, 3, 4)
    ]
    assert [[r["name"] for r in page["items"]] for page in pages] == [
        ["Place 1", "Place 2"],
        ["Place 3", "Place 4"],
        ["Place 5"],
        [],
    ]
    assert {page["total"] for page in pages} == {5}
    for bad in ({"page": 0}, {"pageSize": 101}, {"pageSize": "many"}, {"q": "x" * 256}):
        response = await admin.get("/api/restaurants", query_string=bad)
        assert response.status_code == 400, bad
        assert (await response.get_json())["errors"], bad


async def test_an_admin_acting_on_a_restaurant_still_sees_them_all(app):
    owners = await _owners(app, ["Uno", "Due"])
    admin = await make_admin(app)
    response = await admin.get("/api/restaurants", headers={"X-Restaurant-Id": str(owners[1]["restaurant"]["id"])})
    assert response.status_code == 200
    assert (await response.get_json())["total"] == 2


async def test_owners_staff_and_anonymous_callers_are_refused(app):
    owner_client = app.test_client()
    await register_owner(owner_client, restaurant_name="Mine")
    await register_owner(app.test_client(), restaurant_name="Theirs")
    response = await owner_client.get("/api/restaurants")
    assert response.status_code == 403
    assert await response.get_json() == {"message": "Your role may not do this.", "code": "forbidden"}
    staff = await add_staff(owner_client)
    staff_client = app.test_client()
    await login(staff_client, staff["email"])
    assert (await staff_client.get("/api/restaurants", query_string={"q": "Theirs"})).status_code == 403
    anonymous = await app.test_client().get("/api/restaurants", headers=CSRF)
    assert anonymous.status_code == 401


async def test_the_document_names_the_refusal(app):
    document = await (await app.test_client().get("/openapi.json")).get_json()
    operation = document["paths"]["/api/restaurants"]["get"]
    assert "not an admin" in operation["responses"]["403"]["description"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "page", "pageSize"}
