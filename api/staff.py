"""Staff members of a restaurant, managed by its owner (staff may not manage users)."""

from __future__ import annotations

from quart import Blueprint
from quart_schema import tag, validate_request, validate_response
from tortoise.exceptions import IntegrityError

from api.openapi import answers_error
from api.schemas.auth import StaffIn, StaffList, StaffOut
from api.security import principal, require_roles, restaurant_scope
from core.accounts import create_user
from core.errors import Conflict, NotFound, PermissionDenied
from core.models import ApiToken, Restaurant, StaffMembership, User, UserRole
from core.storage.orm import in_transaction

blueprint = Blueprint("staff", __name__, url_prefix="/api/staff")


def member_out(membership: StaffMembership, user: User) -> StaffOut:
    return StaffOut(id=user.id, email=user.email, name=user.name, role=membership.role, created_at=user.created_at)


@blueprint.get("")
@tag(["staff"])
@require_roles("restaurant")
@validate_response(StaffList)
async def list_staff() -> list[StaffOut]:
    """Everyone who works at the restaurant (owners and staff), by name."""
    rid = restaurant_scope()
    members = await StaffMembership.filter(restaurant_id=rid).select_related("user").order_by("user__name", "id")
    return [member_out(m, m.user) for m in members]


@blueprint.post("")
@tag(["staff"])
@answers_error(409, "a user with this e-mail already exists")
@require_roles("restaurant")
@validate_request(StaffIn)
@validate_response(StaffOut, 201)
async def add_staff(data: StaffIn) -> tuple[StaffOut, int]:
    """Add a user to the restaurant: staff, or (``role: restaurant``) a second owner; 409 when the e-mail is taken."""
    rid = restaurant_scope()
    restaurant = await Restaurant.get(id=rid)
    try:
        async with in_transaction():
            user = await create_user(
                email=data.email,
                name=data.name,
                password=data.password,
                role=UserRole(data.role),
                restaurant=restaurant,
            )
    except IntegrityError:
        raise Conflict(f"A user with the e-mail {data.email} already exists.") from None
    membership = await StaffMembership.get(user_id=user.id, restaurant_id=rid)
    return member_out(membership, user), 201


@blueprint.delete("/<int:user_id>")
@tag(["staff"])
@answers_error(403, "owners cannot be removed, only staff members")
@require_roles("restaurant")
@validate_response(StaffOut)
async def remove_staff(user_id: int) -> StaffOut:
    """Remove a staff member: their membership, their tokens here, and the user when they work nowhere else.

    Owners cannot be removed this way (403); another restaurant's user is a 404.
    """
    rid = restaurant_scope()
    membership = await StaffMembership.filter(restaurant_id=rid, user_id=user_id).select_related("user").first()
    if membership is None:
        raise NotFound("No such staff member.")
    if membership.role != UserRole.STAFF or user_id == principal().user_id:
        raise PermissionDenied("Only staff members can be removed, not owners.")
    answer = member_out(membership, membership.user)
    async with in_transaction():
        await ApiToken.filter(restaurant_id=rid, user_id=user_id).delete()
        await membership.delete()
        if not await StaffMembership.filter(user_id=user_id).exists():
            await User.filter(id=user_id, role=UserRole.STAFF).delete()
    return answer
