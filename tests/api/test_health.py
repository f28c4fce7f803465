"""Liveness and readiness on the embedded default and on PostgreSQL with Redis."""

from __future__ import annotations


async def test_healthz_and_readyz_on_embedded_sqlite(app_factory, sqlite_url):
    app = await app_factory(sqlite_url)
    client = app.test_client()
    assert (await client.get("/healthz")).status_code == 200
    response = await client.get("/readyz")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["checks"]["database"]["ok"] is True
    assert "redis" not in body["checks"]


async def test_readyz_with_postgres_and_redis(app_factory, postgres_url, redis_url):
    app = await app_factory(postgres_url, env={"REDIS_URL": redis_url})
    response = await app.test_client().get("/readyz")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["events"]["ok"] is True


async def test_readyz_stays_ready_while_redis_is_down_unless_it_is_required(app_factory, sqlite_url):
    app = await app_factory(sqlite_url, env={"REDIS_URL": "redis://127.0.0.1:1/0"})
    response = await app.test_client().get("/readyz")
    assert response.status_code == 200  # the service degrades to the database: keep it in the load balancer
    body = await response.get_json()
    assert body["checks"]["redis"]["ok"] is False and body["checks"]["database"]["ok"] is True
    strict = await app_factory(sqlite_url, env={"REDIS_URL": "redis://127.0.0.1:1/0", "READY_REQUIRES_REDIS": "true"})
    response = await strict.test_client().get("/readyz")
    assert response.status_code == 503
    assert (await response.get_json())["unavailable"] == ["redis"]


async def test_livez_and_readyz_name_no_restaurant_and_call_nothing_outside(app_factory, postgres_url):
    from tests.api.helpers import CSRF, register_owner

    app = await app_factory(postgres_url, env={"TELEGRAM_API_BASE_URL": "http://127.0.0.1:1/bot"})
    owner = app.test_client()
    rid = (await register_owner(owner))["restaurant"]["id"]
    await owner.post("/api/integrations/openai", json={"apiKey": "sk-x-1234567890", "enabled": True}, headers=CSRF)
    assert await (await app.test_client().get("/livez")).get_json() == {"status": "ok"}
    ready = await (await app.test_client().get("/readyz")).get_json()
    assert set(ready["checks"]) == {"database"} and ready["status"] == "ready"
    assert (await app.test_client().get("/api/health")).status_code == 401  # the details are for staff
    detailed = await (await owner.get("/api/health")).get_json()
    assert "database" in detailed["checks"] and all(
        not name.rpartition(":")[2].isdigit() or name.endswith(f":{rid}") for name in detailed["checks"]
    )


async def test_unknown_path_is_json_404(app_factory, sqlite_url):
    app = await app_factory(sqlite_url)
    response = await app.test_client().get("/no/such/thing")
    assert response.status_code == 404
    assert (await response.get_json())["message"]
