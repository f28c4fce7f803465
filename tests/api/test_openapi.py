"""The OpenAPI document describes the staff endpoints with camelCase schemas and both auth schemes."""

from __future__ import annotations


async def test_openapi_lists_the_endpoints_and_security_schemes(client):
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    doc = await response.get_json()
    for path in ("/api/auth/register", "/api/auth/login", "/api/auth/me", "/api/auth/tokens", "/api/staff",
                 "/api/restaurants/profile", "/api/tables", "/api/tables/{table_id}", "/api/guests",
                 "/api/guests/{guest_id}", "/api/integrations/settings", "/api/integrations",
                 "/api/integrations/{type}", "/api/ai/activities"):
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
