"""Staff accounts: password hashing (argon2), the password policy, creating users and their memberships.

argon2 is slow on purpose (tens of milliseconds of CPU a hash): it runs in a small thread
pool of its own (:data:`HASH_WORKERS` threads), never on the event loop, so a burst of
sign-ins queues for the pool while every other request keeps being served.
"""

from __future__ import annotations

import asyncio
import functools
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.access import secret_hash
from core.errors import Conflict, NotFound, ValidationError
from core.models import ApiToken, Restaurant, StaffMembership, StaffSession, User, UserRole
from core.storage.orm import in_transaction

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
#: A password needs at least this many different characters ("aaaaaaaa", eight spaces are refused).
MIN_DISTINCT_CHARACTERS = 4
#: Threads hashing passwords: at most this many hashes run at once, the rest wait their turn.
HASH_WORKERS = max(1, min(4, os.cpu_count() or 1))
_pool: ThreadPoolExecutor | None = None


def _hash_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=HASH_WORKERS, thread_name_prefix="argon2")
    return _pool


def hash_password_sync(password: str) -> str:
    """An argon2id hash of ``password``, computed on the calling thread (command line, import time)."""
    return _hasher.hash(password)


def verify_password_sync(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``, computed on the calling thread."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    """An argon2id hash of ``password``, computed in the hashing pool (off the event loop)."""
    return await asyncio.get_running_loop().run_in_executor(_hash_pool(), hash_password_sync, password)


async def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; checked in the hashing pool (off the event loop)."""
    check = functools.partial(verify_password_sync, password_hash, password)
    return await asyncio.get_running_loop().run_in_executor(_hash_pool(), check)


@functools.cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn's list of the 30,000 most used passwords (from leaked password sets), lower case.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password_rules(password: str, *, email: str | None = None) -> None:
    """Raise ``ValidationError`` (field ``password``) for a password that is too short, too repetitive,
    one of the commonly used passwords, or the account's own e-mail address (or its part before the @)."""

    def refuse(message: str) -> ValidationError:
        return ValidationError(message, details={"field": "password"})

    if len(password) < MIN_PASSWORD_LENGTH:
        raise refuse(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        raise refuse(f"The password must use at least {MIN_DISTINCT_CHARACTERS} different characters.")
    folded = password.strip().casefold()
    if folded in _common_passwords() or folded.replace(" ", "") in _common_passwords():
        raise refuse("This password is one of the most commonly used ones; choose another (a few words work well).")
    if email:
        address = email.strip().casefold()
        if folded in (address, address.partition("@")[0]):
            raise refuse("The password must not be your e-mail address.")


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
    check_password_rules(password, email=email)
    if not name.strip():
        raise ValidationError("The name must not be empty.")
    if role != UserRole.ADMIN and restaurant is None:
        raise ValidationError("A restaurant owner or staff member needs a restaurant.")
    async with in_transaction():
        if await User.filter(email=email).exists():
            raise Conflict(f"A user with the e-mail {email} already exists.")
        user = await User.create(email=email, name=name.strip(), password_hash=await hash_password(password), role=role)
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


async def open_session(user: User, *, now: datetime, duration: timedelta) -> str:
    """Record a new session of ``user`` and return its secret (for the cookie; not stored)."""
    token = secrets.token_urlsafe(32)
    await StaffSession.create(user=user, token_hash=secret_hash(token), expires_at=now + duration)
    return token


async def close_session(token: str) -> None:
    """End one session (sign out)."""
    await StaffSession.filter(token_hash=secret_hash(token)).delete()


async def close_all_sessions(user_id: int) -> int:
    """End every session of a user (e.g. when staff access is removed); returns how many."""
    return await StaffSession.filter(user_id=user_id).delete()


async def sign_out_everywhere(
    user_id: int, *, now: datetime, keep_session: str | None = None, revoke_tokens: bool
) -> tuple[int, int]:
    """End every session of a user but ``keep_session`` (a session secret), and with ``revoke_tokens``
    revoke every API token they own; returns (sessions ended, tokens revoked). Open event streams of
    those sessions and tokens end at their next check (within seconds)."""
    sessions = StaffSession.filter(user_id=user_id)
    if keep_session is not None:
        sessions = sessions.exclude(token_hash=secret_hash(keep_session))
    ended = await sessions.delete()
    revoked = 0
    if revoke_tokens:
        revoked = await ApiToken.filter(user_id=user_id, revoked_at__isnull=True).update(revoked_at=now)
    return ended, revoked


async def change_password(
    user_id: int, current: str, new: str, *, now: datetime, keep_session: str | None, keep_tokens: bool
) -> tuple[int, int]:
    """Check ``current``, apply the password rules to ``new`` and store it; then sign out every other
    session (and revoke the user's API tokens unless ``keep_tokens``). ``ValidationError`` (field
    ``currentPassword``) when ``current`` is wrong; returns (sessions ended, tokens revoked)."""
    user = await User.get(id=user_id)
    if not await verify_password(user.password_hash, current):
        raise ValidationError("The current password is not right.", details={"field": "currentPassword"})
    try:
        check_password_rules(new, email=user.email)
    except ValidationError as refusal:
        raise ValidationError(refusal.message, details={"field": "newPassword"}) from None
    user.password_hash = await hash_password(new)
    await user.save(update_fields=["password_hash"])
    return await sign_out_everywhere(user_id, now=now, keep_session=keep_session, revoke_tokens=not keep_tokens)
