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


async def test_readyz_names_redis_when_it_is_down(app_factory, sqlite_url):
    app = await app_factory(sqlite_url, env={"REDIS_URL": "redis://127.0.0.1:1/0"})
    response = await app.test_client().get("/readyz")
    assert response.status_code == 503
    body = await response.get_json()
    assert body["unavailable"] == ["redis"]
    assert body["checks"]["database"]["ok"] is True


async def test_unknown_path_is_json_404(app_factory, sqlite_url):
    app = await app_factory(sqlite_url)
    response = await app.test_client().get("/no/such/thing")
    assert response.status_code == 404
    assert (await response.get_json())["message"]
