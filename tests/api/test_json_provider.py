"""Responses encoded by orjson say what Quart's default provider said: same values, same key order, same dates."""

from __future__ import annotations

import dataclasses
import decimal
import json
import uuid
from datetime import UTC, date, datetime

from flask.json.provider import DefaultJSONProvider

from api.json_provider import FastJSONProvider
from core.events import Actor
from core.models import ReservationStatus


@dataclasses.dataclass
class Point:
    x: int
    label: str


VALUE = {
    "zeta": 1,
    "alpha": [True, None, 2.5, -3, "Zoë — Ünal, Москва 😀"],
    "when": datetime(2026, 6, 1, 19, 30, tzinfo=UTC),
    "day": date(2026, 6, 2),
    "price": decimal.Decimal("12.50"),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "point": Point(1, "a"),
    "status": ReservationStatus.CONFIRMED,
    "actor": Actor.STAFF,
    "nested": {"b": {"d": 1, "c": 2}, "a": []},
}


async def test_a_response_is_the_default_providers_json(app):
    fast, default = FastJSONProvider(app), DefaultJSONProvider(app)
    ours = await fast.response(VALUE).get_data(as_text=True)
    theirs = await default.response(VALUE).get_data(as_text=True)
    assert json.loads(ours) == json.loads(theirs)
    assert json.loads(ours)["when"] == "Mon, 01 Jun 2026 19:30:00 GMT"  # the default's HTTP date, not ISO
    default.ensure_ascii = False  # the one difference: UTF-8 text instead of \\u escapes
    assert ours == await default.response(VALUE).get_data(as_text=True)  # byte for byte otherwise
    app.debug = True  # indented in debug mode, like the default
    assert await fast.response(VALUE).get_data(as_text=True) == await default.response(VALUE).get_data(as_text=True)


async def test_the_app_answers_through_it(client):
    assert isinstance(client.app.json, FastJSONProvider)
    response = await client.get("/api/auth/session")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert (await response.get_json())["signedIn"] is False
