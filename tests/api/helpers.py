"""Small helpers for API tests: sign up, sign in, the CSRF header, tokens.

Every state-changing request made with a session cookie needs the CSRF header
(``X-Requested-With: XMLHttpRequest``); the helpers add it. Use a fresh
``app.test_client()`` per user: each client keeps its own cookie jar.
"""

from __future__ import annotations

import itertools
from typing import Any

CSRF = {"X-Requested-With": "XMLHttpRequest"}
PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def csrf_headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The CSRF header, plus ``extra``."""
    return {**CSRF, **(extra or {})}


def bearer(token: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """``Authorization: Bearer <token>`` (no CSRF header needed), plus ``extra``."""
    return {"Authorization": f"Bearer {token}", **(extra or {})}


async def register_owner(
    client: Any,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    name: str = "Olga Owner",
    restaurant_name: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Sign up a restaurant owner through ``POST /api/auth/register`` (which also signs the client in).

    Returns the JSON body ``{user, restaurant}`` plus ``email``/``password`` used.
    """
    n = next(_counter)
    email = email or f"owner{n}@example.com"
    body = {"email": email, "password": password, "name": name, "restaurantName": restaurant_name or f"Bistro {n}"}
    body.update(extra)
    response = await client.post("/api/auth/register", json=body, headers=CSRF)
    assert response.status_code == 201, await response.get_data(as_text=True)
    data = await response.get_json()
    data["email"], data["password"] = email, password
    return data


async def login(client: Any, email: str, password: str = PASSWORD, *, expect: int = 200) -> dict[str, Any]:
    """Sign ``client`` in through ``POST /api/auth/login``; asserts the status ``expect``."""
    response = await client.post("/api/auth/login", json={"email": email, "password": password}, headers=CSRF)
    assert response.status_code == expect, await response.get_data(as_text=True)
    return await response.get_json()


async def add_staff(
    owner_client: Any, *, email: str | None = None, password: str = PASSWORD, name: str = "Sam Staff"
) -> dict[str, Any]:
    """The owner signed in on ``owner_client`` creates a staff user (``POST /api/staff``)."""
    email = email or f"staff{next(_counter)}@example.com"
    response = await owner_client.post(
        "/api/staff", json={"email": email, "password": password, "name": name}, headers=CSRF
    )
    assert response.status_code == 201, await response.get_data(as_text=True)
    data = await response.get_json()
    data["email"], data["password"] = email, password
    return data


async def create_token(client: Any, name: str = "integration", **extra: Any) -> dict[str, Any]:
    """Create an API token for the signed-in user (``POST /api/auth/tokens``); the body has ``token``."""
    response = await client.post("/api/auth/tokens", json={"name": name, **extra}, headers=CSRF)
    assert response.status_code == 201, await response.get_data(as_text=True)
    return await response.get_json()


async def create_table(client: Any, headers: dict[str, str] | None = None, **fields: Any) -> dict[str, Any]:
    """Create a table (``POST /api/tables``) with sensible defaults; returns its JSON."""
    n = next(_counter)
    body = {"name": f"T{n}", "minGuests": 1, "maxGuests": 4, **fields}
    response = await client.post("/api/tables", json=body, headers=headers or CSRF)
    assert response.status_code == 201, await response.get_data(as_text=True)
    return await response.get_json()


async def create_guest(client: Any, headers: dict[str, str] | None = None, **fields: Any) -> dict[str, Any]:
    """Create a guest (``POST /api/guests``); returns its JSON."""
    n = next(_counter)
    body = {"name": f"Guest {n}", **fields}
    response = await client.post("/api/guests", json=body, headers=headers or CSRF)
    assert response.status_code == 201, await response.get_data(as_text=True)
    return await response.get_json()


async def make_admin(app: Any, *, email: str | None = None, password: str = PASSWORD) -> Any:
    """Create an admin (there is no sign-up for admins) and return a test client signed in as them."""
    from core.accounts import create_user
    from core.models import UserRole

    email = email or f"admin{next(_counter)}@example.com"
    await create_user(email=email, name="Ada Admin", password=password, role=UserRole.ADMIN)
    client = app.test_client()
    await login(client, email, password)
    return client


def collect_events(app: Any) -> list[Any]:
    """A list that receives every domain event the app publishes from now on."""
    events: list[Any] = []
    app.runtime.bus.add_handler(events.append)
    return events
