"""Who is calling and where they may act: the one query behind every authenticated request.

An API token (by the SHA-256 of its secret) or a session (by the SHA-256 of its cookie's
secret) is read together with its user's role, the staff membership that decides the
restaurant, and (when the request names one with ``restaurantId``) whether that restaurant
exists, in one statement. Nothing is cached: revoking a token, signing out, removing a staff
member or changing a role takes effect on the very next request, in every process.

The statement is hand-written (no query building on the hot path) and runs on both backends
(:func:`core.db.fetch_dicts`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from core.db import fetch_dicts
from core.models import ApiToken, StaffSession, UserRole

_TOKEN_SQL = """
SELECT t.id AS token_id, t.user_id, t.role AS token_role, t.restaurant_id AS token_restaurant_id, t.last_used_at,
       u.role AS user_role, m.role AS member_role, m.restaurant_id AS member_restaurant_id{chosen}
FROM "api_tokens" t
JOIN "users" u ON u.id = t.user_id
LEFT JOIN "staff_memberships" m ON m.user_id = t.user_id AND m.restaurant_id = t.restaurant_id
WHERE t.token_hash = $1 AND t.revoked_at IS NULL
LIMIT 1
"""

# The membership in the restaurant asked for, else the user's first (by id).
_SESSION_SQL = """
SELECT s.user_id, u.role AS user_role, m.role AS member_role, m.restaurant_id AS member_restaurant_id{chosen}
FROM "staff_sessions" s
JOIN "users" u ON u.id = s.user_id
LEFT JOIN "staff_memberships" m ON m.id = (
  SELECT m2.id FROM "staff_memberships" m2 WHERE m2.user_id = s.user_id{in_chosen} ORDER BY m2.id LIMIT 1)
WHERE s.token_hash = $1 AND s.expires_at > $2
LIMIT 1
"""


@dataclass(frozen=True)
class Access:
    """What one lookup found: the user and their role, the token's own role, restaurant and last use
    (token lookups only), the membership that applies (``None`` when there is none), and whether the
    restaurant asked for exists (``None`` when none was asked for)."""

    user_id: int
    user_role: UserRole
    member_role: UserRole | None
    member_restaurant_id: int | None
    chosen_exists: bool | None
    token_id: int | None = None
    token_role: UserRole | None = None
    token_restaurant_id: int | None = None
    last_used_at: datetime | None = None


def secret_hash(secret: str) -> str:
    """The SHA-256 hex digest under which a token's or a session's secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


@cache
def _statement(template: str, chosen_at: int | None) -> str:
    chosen = f', EXISTS (SELECT 1 FROM "restaurants" c WHERE c.id = ${chosen_at}) AS chosen_exists' if chosen_at else ""
    in_chosen = f" AND m2.restaurant_id = ${chosen_at}" if chosen_at else ""
    return " ".join(template.format(chosen=chosen, in_chosen=in_chosen).split())


async def _one(template: str, args: Sequence[object], chosen: int | None) -> dict[str, Any] | None:
    if chosen is not None:
        args = [*args, chosen]
    rows = await fetch_dicts(_statement(template, len(args) if chosen is not None else None), args)
    return rows[0] if rows else None


def _role(value: object) -> UserRole | None:
    return None if value is None else UserRole(str(value))


def _chosen(row: dict[str, Any], chosen: int | None) -> bool | None:
    return None if chosen is None else bool(row["chosen_exists"])


async def token_access(token_hash: str, *, chosen: int | None = None) -> Access | None:
    """The live (not revoked) token stored under ``token_hash`` with its user and its membership in the
    token's restaurant; None when there is no such token. ``chosen``: a restaurant id asked for."""
    row = await _one(_TOKEN_SQL, [token_hash], chosen)
    if row is None:
        return None
    last_used = row["last_used_at"]
    if last_used is not None and not isinstance(last_used, datetime):  # SQLite answers text
        last_used = ApiToken._meta.fields_map["last_used_at"].to_python_value(last_used)
    return Access(
        user_id=row["user_id"],
        user_role=UserRole(row["user_role"]),
        member_role=_role(row["member_role"]),
        member_restaurant_id=row["member_restaurant_id"],
        chosen_exists=_chosen(row, chosen),
        token_id=row["token_id"],
        token_role=UserRole(row["token_role"]),
        token_restaurant_id=row["token_restaurant_id"],
        last_used_at=last_used,
    )


async def session_access(secret: str, *, now: datetime, chosen: int | None = None) -> Access | None:
    """The live session whose cookie carries ``secret`` (not signed out, not expired at ``now``) with its
    user and the membership that applies: in ``chosen`` when a restaurant is asked for, else the user's
    first. None when there is no such session."""
    expires = StaffSession._meta.fields_map["expires_at"].to_db_value(now, StaffSession)
    row = await _one(_SESSION_SQL, [secret_hash(secret), expires], chosen)
    if row is None:
        return None
    return Access(
        user_id=row["user_id"],
        user_role=UserRole(row["user_role"]),
        member_role=_role(row["member_role"]),
        member_restaurant_id=row["member_restaurant_id"],
        chosen_exists=_chosen(row, chosen),
    )
