"""The AI activity log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from api.schemas import ApiModel, PageQuery


class ActivityQuery(PageQuery):
    """``type``, and ``from``/``to``: a date (the restaurant's local day, inclusive) or an ISO date-time."""

    type: str | None = Field(None, max_length=100)
    date_from: date | datetime | None = Field(None, alias="from")
    date_to: date | datetime | None = Field(None, alias="to")


class ActivityOut(ApiModel):
    id: int
    restaurant_id: int
    type: str
    message: str | None
    response: str | None
    confidence: float | None
    metadata: dict[str, Any] | list[Any] | None
    created_at: datetime
