"""Sign-in throttling holds under a burst (count before checking), password hashing runs in its own
bounded pool off the event loop, and the password policy refuses the passwords people guess first."""

from __future__ import annotations

import asyncio
import threading

import pytest

from core.accounts import HASH_WORKERS
from tests.api.helpers import CSRF, PASSWORD, register_owner

BURST = 40


async def _burst(app, email: str, right_at: int) -> list[int]:  # type: ignore[no-untyped-def]
    """``BURST`` sign-ins for ``email`` sent at once, the right password at index ``right_at``."""
    client = app.test_client()

    async def attempt(i: int) -> int:
        password = PASSWORD if i == right_at else f"guess number {i}"
        response = await client.post("/api/auth/login", json={"email": email, "password": password}, headers=CSRF)
        return response.status_code

    return list(await asyncio.gather(*(attempt(i) for i in range(BURST))))


@pytest.mark.parametrize("backend", ["memory", "redis"])
async def test_forty_parallel_guesses_only_five_are_checked(app_factory, postgres_url, redis_url, backend):
    env = {"REDIS_URL": redis_url} if backend == "redis" else {}
    app = await app_factory(postgres_url, env=env)
    owner = await register_owner(app.test_client())
    statuses = await _burst(app, owner["email"], right_at=20)
    checked = statuses.count(401) + statuses.count(200)
    print(
        f"\nburst ({backend}): {BURST} parallel guesses -> {checked} checked, "
        f"{statuses.count(200)} accepted, {statuses.count(429)} refused with 429"
    )
    assert checked == 5, statuses
    assert statuses.count(429) == BURST - 5
    # the right password gets in only if it happened to be one of the five checked (as if guessed among them)
    assert statuses.count(200) <= 1
    # and the window holds afterwards too
    response = await app.test_client().post(
        "/api/auth/login", json={"email": owner["email"], "password": PASSWORD}, headers=CSRF
    )
    assert response.status_code == 429


async def test_a_successful_sign_in_does_not_use_up_the_address(app):
    owner = await register_owner(app.test_client())
    client = app.test_client()
    for _ in range(25):  # more than the 20 failures allowed per address
        response = await client.post(
            "/api/auth/login", json={"email": owner["email"], "password": PASSWORD}, headers=CSRF
        )
        assert response.status_code == 200


async def test_password_hashing_runs_in_a_bounded_pool_off_the_event_loop(app):
    client = app.test_client()

    async def sign_in(i: int) -> int:  # unknown accounts are checked against a dummy hash all the same
        response = await client.post(
            "/api/auth/login", json={"email": f"nobody{i}@example.com", "password": PASSWORD}, headers=CSRF
        )
        return response.status_code

    logins = [asyncio.ensure_future(sign_in(i)) for i in range(12)]
    health = 0
    while not all(task.done() for task in logins):  # the loop keeps serving while the hashes run
        assert (await client.get("/healthz")).status_code == 200
        health += 1
    assert [task.result() for task in logins] == [401] * 12
    hashers = [t for t in threading.enumerate() if t.name.startswith("argon2")]
    assert 1 <= len(hashers) <= HASH_WORKERS
    assert threading.main_thread() not in hashers
    assert health >= 1


@pytest.mark.parametrize(
    "password, why",
    [
        ("12345678", "commonly used"),
        ("password", "commonly used"),
        ("Password1", "commonly used"),
        ("        ", "different characters"),
        ("aaaaaaaaaa", "different characters"),
        ("1234567", "at least 8"),
        ("weak.owner@example.com", "e-mail"),
        ("weak.owner", "e-mail"),
    ],
)
async def test_the_password_policy(app, password, why):
    response = await app.test_client().post(
        "/api/auth/register",
        json={
            "email": "weak.owner@example.com",
            "password": password,
            "name": "Weak",
            "restaurantName": "Weak Bistro",
        },
        headers=CSRF,
    )
    body = await response.get_json()
    assert response.status_code == 400, body
    assert [e["path"] for e in body["errors"]] == ["password"]
    assert why in body["errors"][0]["message"]


async def test_staff_passwords_follow_the_policy_too(app):
    owner_client = app.test_client()
    await register_owner(owner_client)
    response = await owner_client.post(
        "/api/staff", json={"email": "sam@example.com", "password": "qwerty123", "name": "Sam"}, headers=CSRF
    )
    assert response.status_code == 400
    good = await owner_client.post(
        "/api/staff", json={"email": "sam@example.com", "password": "table by the window", "name": "Sam"}, headers=CSRF
    )
    assert good.status_code == 201
