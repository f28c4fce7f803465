"""Guests of a restaurant and the channel identities that lead to them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

if TYPE_CHECKING:
    from core.models.restaurant import Restaurant


def fold_name(name: str | None) -> str:
    """``name`` as guest search compares it: lower case in any script ("Мария" -> "мария"), spaces squeezed.
    (``lower`` rather than ``casefold``, so that rows backfilled by PostgreSQL's ``lower()`` match too.)"""
    return " ".join((name or "").lower().split())


def phone_digits(phone: str | None) -> str:
    """The digits of ``phone`` ("+44 7700 900555" -> "447700900555")."""
    return "".join(ch for ch in (phone or "") if ch.isdigit())


class Guest(Model):
    """A restaurant's guest (seed table ``guests``); ``phone`` is stored in E.164."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="guests", on_delete=fields.CASCADE
    )
    restaurant_id: int
    name = fields.CharField(max_length=255)
    phone = fields.CharField(max_length=50, null=True)
    email = fields.CharField(max_length=255, null=True)
    language = fields.CharField(max_length=10, default="en")
    notes = fields.TextField(null=True)
    # Lowercase slugs (core.booking.tags) that follow the guest to every booking: vip, allergy...
    tags: fields.JSONField[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Search keys kept by save(): neither PostgreSQL's C collation nor SQLite's LIKE folds
    # non-ASCII case, so the folded name and the phone's digits are stored and searched instead.
    name_folded = fields.CharField(max_length=255, default="")
    phone_digits = fields.CharField(max_length=50, default="")

    class Meta:
        table = "guests"
        indexes = (("restaurant_id", "phone"), ("restaurant_id", "email"))

    def refresh_search_keys(self) -> None:
        """Set the search keys (:attr:`name_folded`, :attr:`phone_digits`) from the name and phone: :meth:`save`
        does it, and so must anything that writes the row by hand."""
        self.name_folded = fold_name(self.name)
        self.phone_digits = phone_digits(self.phone)

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Iterable[str] | None = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        """Save, refreshing the search keys whenever the name or phone is saved."""
        self.refresh_search_keys()
        if update_fields is not None:
            fields_ = list(update_fields)
            if "name" in fields_:
                fields_.append("name_folded")
            if "phone" in fields_:
                fields_.append("phone_digits")
            update_fields = fields_
        await super().save(
            using_db=using_db, update_fields=update_fields, force_create=force_create, force_update=force_update
        )


class GuestIdentity(Model):
    """Who a guest is on one channel: the id the channel knows them by (a user id, a phone number, a session)."""

    id = fields.IntField(primary_key=True)
    restaurant: fields.ForeignKeyRelation[Restaurant] = fields.ForeignKeyField(
        "models.Restaurant", related_name="guest_identities", on_delete=fields.CASCADE
    )
    restaurant_id: int
    guest: fields.ForeignKeyRelation[Guest] = fields.ForeignKeyField(
        "models.Guest", related_name="identities", on_delete=fields.CASCADE
    )
    guest_id: int
    channel = fields.CharField(max_length=32)
    external_id = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "guest_identities"
        unique_together = (("restaurant", "channel", "external_id"),)
