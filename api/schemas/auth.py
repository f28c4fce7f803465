"""Accounts, sessions, API tokens and staff members."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, RootModel

from api.schemas import ApiModel
from api.schemas.common import Email, Name, TokenName
from api.schemas.restaurants import RestaurantOut, Timezone
from core.accounts import MIN_PASSWORD_LENGTH
from core.models import UserRole

Password = Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024)


class RegisterIn(ApiModel):
    """A restaurant owner signs up and gets a restaurant."""

    email: Email
    password: str = Password
    name: Name
    restaurant_name: Name
    timezone: Timezone | None = None


class LoginIn(ApiModel):
    email: str = Field(max_length=255)
    password: str = Field(max_length=1024)


class UserOut(ApiModel):
    id: int
    email: str
    name: str
    role: UserRole
    created_at: datetime


class LoginOut(ApiModel):
    user: UserOut
    restaurant: RestaurantOut | None = None


class AuthOut(ApiModel):
    user: UserOut
    restaurant: RestaurantOut | None


class SessionOut(ApiModel):
    """``GET /api/auth/session``: who is signed in, or ``signedIn: false`` (never a 401)."""

    signed_in: bool
    user: UserOut | None = None
    restaurant: RestaurantOut | None = None


class PasswordChangeIn(ApiModel):
    """``{currentPassword, newPassword, keepTokens}``: other sessions end; API tokens too unless ``keepTokens``."""

    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)
    keep_tokens: bool = False


class SignOutEverywhereIn(ApiModel):
    """``{revokeTokens}``: also revoke every API token of the user (default false)."""

    revoke_tokens: bool = False


class SignedOutOut(ApiModel):
    """How many sessions ended and API tokens were revoked."""

    message: str
    sessions_ended: int
    tokens_revoked: int


class TokenIn(ApiModel):
    """``role`` defaults to the caller's role and may only be lower (an owner may mint a staff token)."""

    name: TokenName
    role: UserRole | None = None


class TokenOut(ApiModel):
    id: int
    name: str
    prefix: str
    role: UserRole
    user_id: int
    restaurant_id: int | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked: bool


class TokenCreated(TokenOut):
    """Only this answer ever shows the token itself."""

    token: str


class StaffIn(ApiModel):
    email: Email
    password: str = Password
    name: Name
    #: ``staff`` (the default) or ``restaurant``: a second owner, who may change settings and manage staff.
    role: Literal["staff", "restaurant"] = "staff"


class StaffOut(ApiModel):
    id: int
    email: str
    name: str
    role: UserRole
    created_at: datetime


class TokenList(RootModel[list[TokenOut]]):
    """API tokens (their prefix, never the token)."""


class StaffList(RootModel[list[StaffOut]]):
    """The people who work at the restaurant."""
