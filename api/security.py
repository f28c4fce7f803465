"""Who is calling, for which restaurant, and may they: sessions, API tokens, roles, CSRF, login throttling.

How a request is authenticated
------------------------------
* **Session cookie** (the dashboard): quart-auth's signed cookie ``tobeout_session``
  (HttpOnly, SameSite=Lax, Secure when ``TOBEOUT_ENV=production``) holds only the user
  id. The role and the restaurant are looked up on every request, so removing a staff
  member or changing a role takes effect at once.
* **API token** (integrators): ``Authorization: Bearer tbo_...``. Only the SHA-256 of
  a token is stored (:class:`core.models.ApiToken`); a revoked or unknown token is a
  401, never a fallback to the cookie. A token acts with its own role (never more
  than its owner's current role) on its own restaurant.
* Either way the lookup is one statement (:mod:`core.access`: the session or token, its
  user, the membership and the restaurant asked for, joined), uncached; a token's
  ``last_used_at`` is written at most once a minute on top.

CSRF defence: a required custom header
--------------------------------------
Every state-changing request (POST, PUT, PATCH, DELETE) under ``/api/`` that is not
authenticated by a Bearer token must carry ``X-Requested-With: XMLHttpRequest``,
or it is refused with 403 before the view runs. A browser cannot add a custom
header to a cross-site request without a CORS preflight, and the API grants no
cross-origin credentials, so a forged form or ``fetch`` from another site cannot
pass. This covers login, register and logout too (they set or clear the cookie, so
login CSRF is refused as well). Bearer requests are exempt: browsers never attach
``Authorization`` on their own. A view that must accept foreign posts (none in the
staff API) can opt out with :func:`csrf_exempt`.

Roles
-----
``admin`` passes every role check and acts on any restaurant, chosen per request
with ``?restaurantId=`` or the ``X-Restaurant-Id`` header; ``restaurant`` (owner)
and ``staff`` act on the restaurant they are a member of (a user with several
memberships may pick one the same way; an id they do not belong to is a 404).

The helpers every blueprint uses: :func:`login_required`, :func:`require_roles`,
:func:`current_principal` and :func:`restaurant_scope`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, Literal, ParamSpec, TypeVar

from quart import Quart, current_app, g, request
from quart_auth import AuthUser, QuartAuth, current_user

from api.errors import ApiError
from core.access import secret_hash, session_access, token_access
from core.accounts import close_session, open_session
from core.errors import NotFound, PermissionDenied, RateLimited, ValidationError
from core.limits import INT_MAX
from core.models import ApiToken, User, UserRole
from core.runtime import runtime_of

P = ParamSpec("P")
T = TypeVar("T")

CSRF_HEADER = "X-Requested-With"
CSRF_VALUE = "XMLHttpRequest"
RESTAURANT_HEADER = "X-Restaurant-Id"
RESTAURANT_PARAM = "restaurantId"
TOKEN_PREFIX = "tbo_"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SESSION_DURATION = 14 * 24 * 3600
TOKEN_TOUCH_SECONDS = 60

#: Login throttling: failures counted per e-mail and per client address over one window.
LOGIN_WINDOW_SECONDS = 15 * 60
LOGIN_MAX_FAILURES_PER_EMAIL = 5
LOGIN_MAX_FAILURES_PER_ADDRESS = 20
SIGNUP_WINDOW_SECONDS = 60 * 60
SIGNUP_MAX_PER_ADDRESS = 20

ROLE_RANK = {UserRole.STAFF: 1, UserRole.RESTAURANT: 2, UserRole.ADMIN: 3}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of this request."""

    user_id: int
    role: UserRole
    restaurant_id: int | None
    via: Literal["session", "token"]
    token_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.ADMIN

    @property
    def is_owner(self) -> bool:
        """Owner of the restaurant in scope, or admin."""
        return self.role in (UserRole.RESTAURANT, UserRole.ADMIN)


def init_security(app: Quart) -> QuartAuth:
    """Install quart-auth (cookie settings come from ``app.config``) and the CSRF guard."""
    app.config.setdefault("QUART_AUTH_DURATION", SESSION_DURATION)
    app.config.setdefault("QUART_AUTH_COOKIE_HTTP_ONLY", True)
    auth = QuartAuth(app)
    app.before_request(_csrf_guard)
    return auth


# --- CSRF ---------------------------------------------------------------------------------

CSRF_EXEMPT = "_tobeout_csrf_exempt"  # the attribute csrf_exempt sets on a view function
#: The attribute login_required and require_roles set on their wrapper: the roles let through
#: (empty: any signed-in caller). The OpenAPI document reads it (api/openapi.py).
SIGN_IN_ROLES = "_tobeout_sign_in_roles"


def csrf_exempt(func: Callable[P, T]) -> Callable[P, T]:
    """Mark a view as not needing the CSRF header (for endpoints called by other sites)."""
    setattr(func, CSRF_EXEMPT, True)
    return func


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, or None when there is none."""
    raw = request.headers.get("Authorization", "")
    scheme, _, token = raw.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or ""


async def _csrf_guard() -> None:
    if request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, CSRF_EXEMPT, False):
        return
    if bearer_token() is not None:
        return
    if request.headers.get(CSRF_HEADER, "") != CSRF_VALUE:
        raise PermissionDenied(
            f"Missing the {CSRF_HEADER}: {CSRF_VALUE} header; state-changing requests with a session need it.",
            code="csrf",
        )


# --- tokens --------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return secret_hash(token)


def new_token() -> tuple[str, str, str]:
    """A fresh token: ``(token, its hash, its display prefix)``."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token), token[:12]


def _lower_role(a: UserRole, b: UserRole) -> UserRole:
    return a if ROLE_RANK[a] <= ROLE_RANK[b] else b


def _requested_or_refusal() -> tuple[int | None, ValidationError | None]:
    """The restaurant asked for, or the refusal of a malformed one (raised where it applies)."""
    try:
        return _requested_restaurant_id(), None
    except ValidationError as refusal:
        return None, refusal


async def _token_principal(token: str) -> Principal:
    invalid = ApiError(401, "This API token is not valid or was revoked.", code="invalid_token")
    if not token.startswith(TOKEN_PREFIX):
        raise invalid
    wanted, refusal = _requested_or_refusal()
    row = await token_access(hash_token(token), chosen=wanted)  # the only query (bar the touch below)
    if row is None or row.token_id is None or row.token_role is None:
        raise invalid
    role = row.token_role
    if row.user_role == UserRole.ADMIN:
        restaurant_id = row.token_restaurant_id
        role = _lower_role(role, UserRole.ADMIN)
    else:
        if row.member_role is None:
            raise invalid
        role = _lower_role(role, row.member_role)
        restaurant_id = row.member_restaurant_id
        if refusal is not None:
            raise refusal
        if wanted is not None and wanted != restaurant_id:
            raise NotFound("No such restaurant.")
    now = runtime_of(current_app).clock()
    if row.last_used_at is None or now - row.last_used_at > timedelta(seconds=TOKEN_TOUCH_SECONDS):
        await ApiToken.filter(id=row.token_id).update(last_used_at=now)
    if role == UserRole.ADMIN:
        restaurant_id = _chosen_restaurant(wanted, refusal, row.chosen_exists) or restaurant_id
    return Principal(row.user_id, role, restaurant_id, "token", row.token_id)


# --- sessions ------------------------------------------------------------------------------


SESSION_PREFIX = "s:"


async def start_session(user: User) -> None:
    """Sign ``user`` in: a session row is recorded and the response sets the cookie carrying its secret."""
    from quart_auth import login_user

    token = await open_session(user, now=runtime_of(current_app).clock(), duration=timedelta(seconds=SESSION_DURATION))
    login_user(AuthUser(SESSION_PREFIX + token))
    g.pop("_tobeout_principal", None)


async def end_session() -> None:
    """Sign out: the session row is deleted (a copied cookie stops working too) and the cookie cleared."""
    from quart_auth import logout_user

    auth_id = current_user.auth_id
    if auth_id and str(auth_id).startswith(SESSION_PREFIX):
        await close_session(str(auth_id)[len(SESSION_PREFIX) :])
    logout_user()
    g.pop("_tobeout_principal", None)


def _requested_restaurant_id() -> int | None:
    raw = request.args.get(RESTAURANT_PARAM) or request.headers.get(RESTAURANT_HEADER)
    if raw is None or raw == "":
        return None
    if not raw.strip().isdigit() or not 0 < int(raw) <= INT_MAX:
        raise ValidationError(f"{RESTAURANT_PARAM} must be a restaurant id.", details={"field": RESTAURANT_PARAM})
    return int(raw)


def _chosen_restaurant(wanted: int | None, refusal: ValidationError | None, exists: bool | None) -> int | None:
    """An admin's chosen restaurant (checked to exist by the lookup), or None when none was given."""
    if refusal is not None:
        raise refusal
    if wanted is not None and not exists:
        raise NotFound("No such restaurant.")
    return wanted


async def _session_principal() -> Principal | None:
    auth_id = current_user.auth_id
    if not auth_id or not str(auth_id).startswith(SESSION_PREFIX):
        return None
    wanted, refusal = _requested_or_refusal()
    row = await session_access(  # the only query
        str(auth_id)[len(SESSION_PREFIX) :], now=runtime_of(current_app).clock(), chosen=wanted
    )
    if row is None:
        return None
    if row.user_role == UserRole.ADMIN:
        return Principal(row.user_id, UserRole.ADMIN, _chosen_restaurant(wanted, refusal, row.chosen_exists), "session")
    if refusal is not None:
        raise refusal
    if row.member_role is None:
        if wanted is not None:
            raise NotFound("No such restaurant.")
        return None
    return Principal(row.user_id, row.member_role, row.member_restaurant_id, "session")


async def current_principal() -> Principal:
    """The caller of this request (resolved once, then cached in ``g``); 401 when nobody signed in."""
    cached = g.get("_tobeout_principal")
    if cached is not None:
        return cached
    token = bearer_token()
    principal = await _token_principal(token) if token is not None else await _session_principal()
    if principal is None:
        raise ApiError(401, "Sign in first.", code="unauthenticated")
    g._tobeout_principal = principal
    return principal


async def optional_principal() -> Principal | None:
    """The caller, or None when the request is anonymous (invalid tokens still raise 401)."""
    try:
        return await current_principal()
    except ApiError as exc:
        if exc.extra.get("code") == "unauthenticated":
            return None
        raise


def credential_check() -> tuple[str, Callable[[datetime], Awaitable[bool]]]:
    """The caller's credential, for something that outlives the request (an event stream): a key naming
    it (``token:<id>`` or ``session:<hash prefix>``) and ``still_valid(now)``, which looks it up again
    (one statement, no request context needed) and is False once the token is revoked, the session
    ended, or the user lost the restaurant the request was scoped to."""
    who = principal()
    token = bearer_token()
    scope = who.restaurant_id
    if token is not None:
        hashed = hash_token(token)

        async def token_valid(now: datetime) -> bool:
            row = await token_access(hashed)
            if row is None or row.token_id is None:
                return False
            return row.user_role == UserRole.ADMIN or (
                row.member_role is not None and row.member_restaurant_id == scope
            )

        return f"token:{who.token_id}", token_valid
    secret = str(current_user.auth_id)[len(SESSION_PREFIX) :]

    async def session_valid(now: datetime) -> bool:
        row = await session_access(secret, now=now)
        if row is None:
            return False
        return row.user_role == UserRole.ADMIN or (row.member_role is not None and row.member_restaurant_id == scope)

    return "session:" + secret_hash(secret)[:16], session_valid


def current_session_secret() -> str | None:
    """The secret of the caller's session cookie (None for a token or anonymous caller)."""
    auth_id = current_user.auth_id
    if bearer_token() is None and auth_id and str(auth_id).startswith(SESSION_PREFIX):
        return str(auth_id)[len(SESSION_PREFIX) :]
    return None


def principal() -> Principal:
    """The principal resolved by :func:`login_required` / :func:`require_roles` for this request."""
    cached = g.get("_tobeout_principal")
    if cached is None:
        raise RuntimeError("principal() needs a view decorated with @login_required or @require_roles")
    return cached


def restaurant_scope() -> int:
    """The id of the restaurant the caller acts on; every query of a view filters by it.

    Admins choose it with ``?restaurantId=`` or ``X-Restaurant-Id`` (400 when missing).
    Call it inside a view decorated with :func:`login_required` or :func:`require_roles`.
    """
    who = principal()
    if who.restaurant_id is None:
        raise ValidationError(
            f"Choose a restaurant with ?{RESTAURANT_PARAM}= or the {RESTAURANT_HEADER} header.",
            code="restaurant_required",
        )
    return who.restaurant_id


def login_required(func: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Let any signed-in caller (session or token) through; 401 otherwise."""

    @wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        await current_principal()
        return await func(*args, **kwargs)

    setattr(wrapper, SIGN_IN_ROLES, frozenset())
    return wrapper


def require_roles(*roles: str | UserRole) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """Let callers with one of ``roles`` through (admin always passes); 401 anonymous, 403 other roles."""
    allowed = {UserRole(role) for role in roles}

    def decorator(func: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @wraps(func)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            who = await current_principal()
            if who.role != UserRole.ADMIN and who.role not in allowed:
                raise PermissionDenied("Your role may not do this.")
            return await func(*args, **kwargs)

        setattr(wrapper, SIGN_IN_ROLES, frozenset(allowed))
        return wrapper

    return decorator


def require_session(message: str = "Sign in with a session to do this; API tokens may not.") -> None:
    """403 unless the caller came with a session cookie (e.g. to mint API tokens)."""
    if principal().via != "session":
        raise PermissionDenied(message)


# --- login throttling ------------------------------------------------------------------------


def client_address() -> str:
    """The client's address as the server sees it (put a proxy-headers middleware in front if proxied)."""
    return request.remote_addr or "unknown"


def _throttle_keys(email: str, address: str) -> tuple[tuple[str, int], tuple[str, int]]:
    email_key = "login-fail:email:" + hashlib.sha256(email.encode()).hexdigest()[:32]
    return (email_key, LOGIN_MAX_FAILURES_PER_EMAIL), ("login-fail:addr:" + address, LOGIN_MAX_FAILURES_PER_ADDRESS)


async def count_login_attempt(email: str, address: str) -> None:
    """Count this sign-in attempt against the e-mail and the address *before* the password is checked;
    429 (with Retry-After) past either limit.

    Counting first, in one atomic increment per key, is what makes the limit hold under a burst: of
    40 guesses sent at once only the first :data:`LOGIN_MAX_FAILURES_PER_EMAIL` are checked at all.
    A successful sign-in gives its attempt back (:func:`record_login_success`), so only failures
    (and refused attempts) use up the window.
    """
    cache = runtime_of(current_app).cache
    for key, limit in _throttle_keys(email, address):  # an attempt refused for its e-mail uses up no address
        if await cache.incr(key, ttl=LOGIN_WINDOW_SECONDS) > limit:
            raise RateLimited(
                "Too many failed sign-in attempts; try again later.",
                details={"retryAfter": LOGIN_WINDOW_SECONDS},
            )


async def record_login_success(email: str, address: str) -> None:
    """A successful sign-in clears the e-mail's failures and gives the address its attempt back."""
    cache = runtime_of(current_app).cache
    (email_key, _), (address_key, _) = _throttle_keys(email, address)
    await cache.delete(email_key)
    await cache.incr(address_key, ttl=LOGIN_WINDOW_SECONDS, amount=-1)


async def check_signup_allowed(address: str) -> None:
    """Count a sign-up attempt from ``address``; 429 (with Retry-After) past the hourly limit.

    Every attempt counts, refused ones too, which also slows down probing which e-mails exist.
    """
    cache = runtime_of(current_app).cache
    if await cache.incr("signup:addr:" + address, ttl=SIGNUP_WINDOW_SECONDS) > SIGNUP_MAX_PER_ADDRESS:
        raise RateLimited(
            "Too many sign-ups from this address; try again later.", details={"retryAfter": SIGNUP_WINDOW_SECONDS}
        )


def openapi_security_schemes() -> dict[str, Any]:
    """The OpenAPI security schemes, for ``QuartSchema(security_schemes=...)``."""
    return {
        "session": {"type": "apiKey", "in_": "cookie", "name": "tobeout_session"},
        "token": {"type": "http", "scheme": "bearer"},
    }
