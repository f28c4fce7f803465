"""The AI activity log: newest first, filters by type and local dates, pages, one restaurant only."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.api.helpers import CSRF, register_owner


async def _activity(rid: int, type_: str, at: datetime, message: str = "hi") -> int:
    from core.models import AiActivity

    row = await AiActivity.create(
        restaurant_id=rid, type=type_, message=message, response="ok", confidence=0.9, metadata={"channel": "telegram"}
    )
    await AiActivity.filter(id=row.id).update(created_at=at)
    return row.id


async def test_newest_first_with_filters_and_pages(client):
    owner = await register_owner(client, timezone="Europe/Paris")
    rid = owner["restaurant"]["id"]
    # 2030-03-01 23:30 UTC is already 2 March in Paris (UTC+1).
    await _activity(rid, "reservation_intent", datetime(2030, 3, 1, 9, 0, tzinfo=UTC), "first")
    await _activity(rid, "response_generated", datetime(2030, 3, 1, 12, 0, tzinfo=UTC), "second")
    await _activity(rid, "reservation_intent", datetime(2030, 3, 1, 23, 30, tzinfo=UTC), "late")
    await _activity(rid, "reservation_intent", datetime(2030, 3, 3, 8, 0, tzinfo=UTC), "third day")

    async def messages(query: str = "") -> list[str]:
        response = await client.get(f"/api/ai/activities{query}")
        assert response.status_code == 200, await response.get_json()
        return [a["message"] for a in (await response.get_json())["items"]]

    assert await messages() == ["third day", "late", "second", "first"]
    assert await messages("?type=reservation_intent") == ["third day", "late", "first"]
    assert await messages("?from=2030-03-01&to=2030-03-01") == ["second", "first"]
    assert await messages("?from=2030-03-02") == ["third day", "late"]
    assert await messages("?to=2030-03-01T12:00:00%2B00:00") == ["second", "first"]
    page = await (await client.get("/api/ai/activities?page=2&pageSize=3")).get_json()
    assert page["total"] == 4 and page["page"] == 2 and page["pageSize"] == 3
    item = page["items"][0]
    assert item["message"] == "first" and item["restaurantId"] == rid
    assert item["metadata"] == {"channel": "telegram"} and item["confidence"] == 0.9
    assert item["createdAt"].startswith("2030-03-01T09:00")
    assert (await client.get("/api/ai/activities?from=yesterday")).status_code == 400


async def test_only_the_callers_restaurant(app):
    first = app.test_client()
    one = await register_owner(first)
    second = app.test_client()
    await register_owner(second)
    await _activity(one["restaurant"]["id"], "x", datetime(2030, 1, 1, tzinfo=UTC))
    body = await (await second.get("/api/ai/activities")).get_json()
    assert body == {"items": [], "total": 0, "page": 1, "pageSize": 20}
    assert (await first.post("/api/ai/activities", json={}, headers=CSRF)).status_code == 405
