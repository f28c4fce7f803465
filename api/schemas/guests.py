"""Guests of a restaurant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from api.schemas import ApiModel, PageQuery, Sent
from api.schemas.common import Email, Language, Name, Phone, TagFilter, Tags


class GuestQuery(PageQuery):
    """``?q=`` matches name, phone or e-mail (case-insensitive, part of it)."""

    q: str | None = Field(None, max_length=255)
    tag: TagFilter | None = None


class GuestIn(ApiModel):
    name: Name
    phone: Phone | None = None
    email: Email | None = None
    language: Language = "en"
    notes: str | None = Field(None, max_length=5000)
    tags: Tags = []


class GuestUpdate(ApiModel):
    """Only the fields sent change; ``null`` clears phone, e-mail or notes."""

    name: Sent[Name] = None
    phone: Phone | None = None
    email: Email | None = None
    language: Sent[Language] = None
    notes: str | None = Field(None, max_length=5000)
    tags: Sent[Tags] = None


class GuestOut(ApiModel):
    id: int
    restaurant_id: int
    name: str
    phone: str | None
    email: str | None
    language: str
    notes: str | None
    tags: list[str] = []
    created_at: datetime


class GuestDetail(GuestOut):
    """A guest with their record here: completed or seated visits, no-shows, latest reservations."""

    visit_count: int
    no_shows: int
    reservation_count: int
    recent_reservations: list[dict[str, Any]]
