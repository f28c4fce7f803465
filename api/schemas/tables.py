"""Physical tables."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, RootModel

from api.schemas import ApiModel, Sent
from api.schemas.common import TableName
from core.models import TableStatus


class TableIn(ApiModel):
    name: TableName
    min_guests: int = Field(ge=1, le=1000)
    max_guests: int = Field(ge=1, le=1000)
    status: TableStatus = TableStatus.FREE
    position_x: float | None = None
    position_y: float | None = None
    shape: str = Field("round", min_length=1, max_length=50)
    combinable: bool = False
    priority: int = Field(0, ge=-1000, le=1000)


class TableUpdate(ApiModel):
    """Only the fields sent change. Staff may change ``status`` only."""

    name: Sent[TableName] = None
    min_guests: Sent[int] = Field(None, ge=1, le=1000)
    max_guests: Sent[int] = Field(None, ge=1, le=1000)
    status: Sent[TableStatus] = None
    position_x: float | None = None
    position_y: float | None = None
    shape: Sent[str] = Field(None, min_length=1, max_length=50)
    combinable: Sent[bool] = None
    priority: Sent[int] = Field(None, ge=-1000, le=1000)


class TableOut(ApiModel):
    id: int
    restaurant_id: int
    name: str
    min_guests: int
    max_guests: int
    status: TableStatus
    position_x: float | None
    position_y: float | None
    shape: str
    combinable: bool
    priority: int
    created_at: datetime


class TableList(RootModel[list[TableOut]]):
    """The restaurant's tables."""
