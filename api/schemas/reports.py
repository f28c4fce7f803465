"""Reports: the query string and the JSON answer of ``GET /api/reports/{name}``."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from api.schemas import ApiModel

Value = str | int | float | None


class ReportQuery(ApiModel):
    """``from``/``to``: the restaurant's local dates, both included (default: the 30 days to today);
    ``by``: ``day`` or ``week`` (weeks start on Monday); ``format``: ``json`` or ``csv``."""

    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    by: Literal["day", "week"] = "day"
    format: Literal["json", "csv"] = "json"


class ReportOut(ApiModel):
    """One report: ``columns`` name the values of each of ``rows``; ``totals`` sum up the range."""

    report: str
    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    by: Literal["day", "week"]
    timezone: str
    columns: list[str]
    rows: list[list[Value]]
    totals: dict[str, Value]
