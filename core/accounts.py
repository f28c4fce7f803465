"""Staff accounts: password hashing (argon2), creating users and their restaurant memberships."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.transactions import in_transaction

from core.errors import Conflict, NotFound, ValidationError
from core.models import Restaurant, StaffMembership, StaffSession, User, UserRole

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_rules(password: str) -> None:
    """Raise ``ValidationError`` for a password that is too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")


def normalise_email(email: str) -> str:
    """Trimmed, lower-case e-mail; raises ``ValidationError`` when it is clearly not one."""
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise ValidationError(f"{email!r} is not a valid e-mail address.")
    return email


async def create_user(
    *, email: str, name: str, password: str, role: UserRole, restaurant: Restaurant | None = None
) -> User:
    """Create a user (and its membership in ``restaurant`` unless admin); 409 when the e-mail is taken."""
    email = normalise_email(email)
    check_password_rules(password)
    if not name.strip():
        raise ValidationError("The name must not be empty.")
    if role != UserRole.ADMIN and restaurant is None:
        raise ValidationError("A restaurant owner or staff member needs a restaurant.")
    async with in_transaction():
        if await User.filter(email=email).exists():
            raise Conflict(f"A user with the e-mail {email} already exists.")
        user = await User.create(email=email, name=name.strip(), password_hash=hash_password(password), role=role)
        if restaurant is not None:
            await StaffMembership.create(user=user, restaurant=restaurant, role=role)
            if role == UserRole.RESTAURANT and restaurant.user_id is None:
                restaurant.user = user
                await restaurant.save(update_fields=["user_id"])
    return user


async def find_restaurant(ref: str) -> Restaurant:
    """A restaurant by id or exact name (for the command line)."""
    query = Restaurant.filter(id=int(ref)) if ref.isdigit() else Restaurant.filter(name=ref)
    restaurant = await query.first()
    if restaurant is None:
        raise NotFound(f"No restaurant {ref!r}.")
    return restaurant


def _session_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(user: User, *, now: datetime, duration: timedelta) -> str:
    """Record a new session of ``user`` and return its secret (for the cookie; not stored)."""
    token = secrets.token_urlsafe(32)
    await StaffSession.create(user=user, token_hash=_session_hash(token), expires_at=now + duration)
    return token


async def session_user(token: str, *, now: datetime) -> User | None:
    """The user of a live session, or None when it is unknown, signed out or expired."""
    session = (
        await StaffSession.filter(token_hash=_session_hash(token), expires_at__gt=now).select_related("user").first()
    )
    return None if session is None else session.user


async def close_session(token: str) -> None:
    """End one session (sign out)."""
    await StaffSession.filter(token_hash=_session_hash(token)).delete()


async def close_all_sessions(user_id: int) -> int:
    """End every session of a user (e.g. when staff access is removed); returns how many."""
    return await StaffSession.filter(user_id=user_id).delete()
