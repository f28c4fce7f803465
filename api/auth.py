"""Sign-up, sign-in, sign-out, who am I, and integrators' API tokens.

Login, register and logout are state-changing requests: they need the CSRF header
``X-Requested-With: XMLHttpRequest`` like every other (see :mod:`api.security`).
"""

from __future__ import annotations

from typing import Any

from quart import Blueprint, current_app
from quart_schema import tag, validate_request, validate_response
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from api.common import out
from api.errors import ApiError
from api.openapi import answers_error
from api.schemas import Message
from api.schemas.auth import (
    AuthOut,
    LoginIn,
    LoginOut,
    PasswordChangeIn,
    RegisterIn,
    SessionOut,
    SignedOutOut,
    SignOutEverywhereIn,
    TokenCreated,
    TokenIn,
    TokenList,
    TokenOut,
    UserOut,
)
from api.schemas.restaurants import RestaurantOut
from api.security import (
    ROLE_RANK,
    check_signup_allowed,
    client_address,
    count_login_attempt,
    current_principal,
    current_session_secret,
    end_session,
    login_required,
    new_token,
    principal,
    record_login_success,
    require_session,
    start_session,
)
from core import accounts
from core.accounts import create_user, hash_password_sync, normalise_email, verify_password
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import ApiToken, Restaurant, StaffMembership, User, UserRole
from core.runtime import runtime_of
from core.storage.orm import in_transaction

blueprint = Blueprint("auth", __name__, url_prefix="/api/auth")
#: Active API tokens one user may hold; beyond, revoke one first (the list stays cheap to read).
MAX_ACTIVE_TOKENS = 100
#: Revoked tokens the list still shows (the most recently revoked).
REVOKED_LISTED = 50
_DUMMY_HASH = hash_password_sync("not the password of anyone")


def user_out(user: User) -> UserOut:
    return out(UserOut, user)


async def restaurant_out(restaurant_id: int | None) -> RestaurantOut | None:
    """The restaurant's profile, or None (an admin who chose none)."""
    if restaurant_id is None:
        return None
    restaurant = await Restaurant.filter(id=restaurant_id).first()
    return None if restaurant is None else out(RestaurantOut, restaurant)


def token_out(row: ApiToken, model: type[TokenOut] = TokenOut, **extra: str) -> TokenOut:
    return out(model, row, revoked=row.revoked_at is not None, **extra)


@blueprint.post("/register")
@tag(["auth"])
@answers_error(409, "a user with this e-mail already exists")
@answers_error(429, "too many sign-ups from this address")
@validate_request(RegisterIn)
@validate_response(AuthOut, 201)
async def register(data: RegisterIn) -> tuple[AuthOut, int]:
    """A restaurant owner signs up: creates the user (role ``restaurant``) and their restaurant, and signs in.

    409 when the e-mail is taken; 400 for a password under 8 characters; 429 after
    :data:`~api.security.SIGNUP_MAX_PER_ADDRESS` attempts from one address within an hour.
    """
    await check_signup_allowed(client_address())
    if await User.filter(email=data.email).exists():
        raise Conflict(f"A user with the e-mail {data.email} already exists.")
    extra: dict[str, Any] = {"timezone": data.timezone} if data.timezone else {}
    try:
        async with in_transaction():
            restaurant = await Restaurant.create(name=data.restaurant_name, **extra)
            user = await create_user(
                email=data.email,
                name=data.name,
                password=data.password,
                role=UserRole.RESTAURANT,
                restaurant=restaurant,
            )
    except IntegrityError:  # the same e-mail signed up concurrently
        raise Conflict(f"A user with the e-mail {data.email} already exists.") from None
    await restaurant.refresh_from_db()
    await start_session(user)
    return AuthOut(user=user_out(user), restaurant=out(RestaurantOut, restaurant)), 201


@blueprint.post("/login")
@tag(["auth"])
@answers_error(401, "wrong e-mail or password (code `bad_credentials`)")
@answers_error(429, "too many failed sign-in attempts for this e-mail or address")
@validate_request(LoginIn)
@validate_response(LoginOut)
async def login(data: LoginIn) -> LoginOut:
    """Sign in with e-mail and password: 200 with the user and a session cookie; 401 on bad credentials.

    After 5 failures for one e-mail, or 20 from one address, within 15 minutes: 429 with Retry-After.
    """
    address = client_address()
    try:
        email = normalise_email(data.email)
    except ValidationError:
        email = data.email.strip().lower()
    await count_login_attempt(email, address)
    user = await User.filter(email=email).first()
    ok = await verify_password(user.password_hash if user else _DUMMY_HASH, data.password)
    membership = None
    if ok and user is not None and user.role != UserRole.ADMIN:
        membership = await StaffMembership.filter(user_id=user.id).order_by("id").first()
        ok = membership is not None
    if not ok or user is None:
        raise ApiError(401, "Wrong e-mail or password.", code="bad_credentials")
    await record_login_success(email, address)
    await start_session(user)
    rid = membership.restaurant_id if membership is not None else None
    return LoginOut(user=user_out(user), restaurant=await restaurant_out(rid))


@blueprint.post("/logout")
@tag(["auth"])
@validate_response(Message)
async def logout() -> Message:
    """End the session (clears the cookie). Harmless when not signed in."""
    await end_session()
    return Message(message="Signed out.")


@blueprint.post("/password")
@tag(["auth"])
@login_required
@answers_error(
    400, "the current password is not right (`currentPassword`) or the new one breaks a rule (`newPassword`)"
)
@validate_request(PasswordChangeIn)
@validate_response(SignedOutOut)
async def change_password(data: PasswordChangeIn) -> SignedOutOut:
    """Change the signed-in user's password (the current one required). Every other session of the user
    ends, and every API token of theirs is revoked unless ``keepTokens``; their open event streams end
    within seconds. This session stays signed in (with a token: every session ends)."""
    who = principal()
    ended, revoked = await accounts.change_password(
        who.user_id,
        data.current_password,
        data.new_password,
        now=runtime_of(current_app).clock(),
        keep_session=current_session_secret(),
        keep_tokens=data.keep_tokens,
    )
    return SignedOutOut(message="Password changed.", sessions_ended=ended, tokens_revoked=revoked)


@blueprint.post("/logout-everywhere")
@tag(["auth"])
@login_required
@validate_request(SignOutEverywhereIn)
@validate_response(SignedOutOut)
async def logout_everywhere(data: SignOutEverywhereIn) -> SignedOutOut:
    """Sign out every session of the signed-in user, this one included (and with ``revokeTokens``
    revoke their API tokens); their open event streams end within seconds."""
    who = principal()
    ended, revoked = await accounts.sign_out_everywhere(
        who.user_id, now=runtime_of(current_app).clock(), revoke_tokens=data.revoke_tokens
    )
    await end_session()
    return SignedOutOut(message="Signed out everywhere.", sessions_ended=ended, tokens_revoked=revoked)


@blueprint.get("/me")
@tag(["auth"])
@login_required
@validate_response(AuthOut)
async def me() -> AuthOut:
    """The signed-in user and the restaurant they act on (null for an admin who chose none)."""
    who = await current_principal()
    user = await User.get(id=who.user_id)
    data = user_out(user)
    data.role = who.role
    return AuthOut(user=data, restaurant=await restaurant_out(who.restaurant_id))


@blueprint.get("/session")
@tag(["auth"])
@answers_error(400, "`restaurantId` is not an id")
@answers_error(401, "an API token that is not valid or was revoked")
@answers_error(404, "the restaurant chosen with `restaurantId` is not one of yours")
@validate_response(SessionOut)
async def session() -> SessionOut:
    """Like ``/me``, but answers 200 ``{signedIn: false}`` instead of 401 when nobody is signed in,
    so a page can ask without a failed request (the dashboard's first call)."""
    try:
        who = await current_principal()
    except ApiError as error:
        if error.status != 401:
            raise
        return SessionOut(signed_in=False)
    user = await User.get(id=who.user_id)
    data = user_out(user)
    data.role = who.role
    return SessionOut(signed_in=True, user=data, restaurant=await restaurant_out(who.restaurant_id))


# --- API tokens -------------------------------------------------------------------------------


def _tokens_visible() -> QuerySet[ApiToken]:
    """Owners and admins see every token of the restaurant; staff only their own."""
    who = principal()
    if who.restaurant_id is None:
        return ApiToken.filter(user_id=who.user_id)
    query = ApiToken.filter(restaurant_id=who.restaurant_id)
    if not who.is_owner:
        query = query.filter(user_id=who.user_id)
    return query


@blueprint.get("/tokens")
@tag(["tokens"])
@login_required
@validate_response(TokenList)
async def list_tokens() -> list[TokenOut]:
    """The API tokens (never the tokens themselves: their prefix, name, role and use): every active one and the
    last 50 revoked, newest first."""
    visible = _tokens_visible()
    active = await visible.filter(revoked_at=None).order_by("-created_at", "-id")
    revoked = await visible.filter(revoked_at__not_isnull=True).order_by("-revoked_at", "-id").limit(REVOKED_LISTED)
    return [token_out(t) for t in sorted([*active, *revoked], key=lambda t: (t.created_at, t.id), reverse=True)]


@blueprint.post("/tokens")
@tag(["tokens"])
@answers_error(403, "a token may only be made with a session, and not with a higher role than yours")
@answers_error(
    400,
    "a non-admin token needs a restaurant (code `restaurant_required`); the user already holds 100 active "
    "tokens (code `too_many_tokens`)",
)
@login_required
@validate_request(TokenIn)
@validate_response(TokenCreated, 201)
async def create_token(data: TokenIn) -> tuple[TokenOut, int]:
    """Create a token for the restaurant in scope; the answer shows ``token`` this once only.

    Needs a session (a token cannot mint tokens). ``role`` may not exceed the caller's.
    """
    require_session()
    who = principal()
    role = data.role or who.role
    if ROLE_RANK[role] > ROLE_RANK[who.role]:
        raise PermissionDenied("A token may not have a higher role than yours.")
    if who.is_admin and role != UserRole.ADMIN and who.restaurant_id is None:
        raise ValidationError("Choose a restaurant for a non-admin token.", code="restaurant_required")
    if await ApiToken.filter(user_id=who.user_id, revoked_at=None).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            f"You have {MAX_ACTIVE_TOKENS} active tokens, the most one user may hold; revoke one first.",
            code="too_many_tokens",
        )
    token, token_hash, prefix = new_token()
    row = await ApiToken.create(
        user_id=who.user_id,
        restaurant_id=who.restaurant_id,
        name=data.name,
        token_hash=token_hash,
        prefix=prefix,
        role=role,
    )
    return token_out(row, TokenCreated, token=token), 201


@blueprint.delete("/tokens/<int:token_id>")
@tag(["tokens"])
@login_required
@validate_response(TokenOut)
async def revoke_token(token_id: int) -> TokenOut:
    """Revoke a token at once (owners: any of the restaurant's; staff: their own). 404 when not visible."""
    row = await _tokens_visible().filter(id=token_id).first()
    if row is None:
        raise NotFound("No such token.")
    if row.revoked_at is None:
        row.revoked_at = runtime_of(current_app).clock()
        await row.save(update_fields=["revoked_at"])
    return token_out(row)
