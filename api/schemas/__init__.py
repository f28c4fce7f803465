"""Pydantic models at the HTTP edge only: camelCase JSON (the seed's names), validated by quart-schema.

Every model derives from :class:`ApiModel` (``alias_generator=to_camel``,
``populate_by_name``), so Python uses snake_case and the wire camelCase
(``minGuests``, ``avgReservationDuration``). Responses are dumped ``by_alias`` (set
in ``create_app``). Request models ignore unknown keys, so a dashboard may send an
object back as it received it (``id``, ``createdAt``...).

For partial updates (PUT) a field that may be left out but not cleared is declared
``x: Sent[int] = None``: omitted it stays unset (see ``model_fields_set``), sent as
``null`` it is refused.

Every integer and date of every model is checked against what the database holds
(:func:`api.validation.check_bounds`), so no schema needs its own ``le=2**31-1``.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from api.validation import check_bounds

T = TypeVar("T")


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


#: a field of a partial update: None only while it was not sent (an explicit null is refused)
Sent = Annotated[T | None, BeforeValidator(_not_null)]


class ApiModel(BaseModel):
    """Base of every request and response model."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    @field_validator("*", mode="after")
    @classmethod
    def _fits_the_database(cls, value: object) -> object:
        """Every integer fits a PostgreSQL ``integer`` and every date the allowed range (``api.validation``)."""
        return check_bounds(value)

    def sent(self) -> dict[str, Any]:
        """The fields the client actually sent, snake_case, with their validated values."""
        return {name: getattr(self, name) for name in self.model_fields_set}


#: How deep a list may be paged: the database skips every row before a page, so page 1,000,000 of a big
#: restaurant would read all of them. Past this, narrow the list (dates, status, a search) instead.
MAX_PAGE_DEPTH = 10_000


class PageQuery(ApiModel):
    """``?page=&pageSize=`` (1-based; at most 100 a page, and no deeper than the first 10,000 rows)."""

    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)

    @model_validator(mode="after")
    def _not_too_deep(self) -> PageQuery:
        if self.page * self.page_size > MAX_PAGE_DEPTH:
            raise PydanticCustomError(
                "too_deep",
                "Pages reach the first {depth} rows only (page {page} of {size} ends at row {end}); narrow the list "
                "with its filters (dates, status, a search) instead.",
                {"depth": MAX_PAGE_DEPTH, "page": self.page, "size": self.page_size, "end": self.page * self.page_size},
            )
        return self


class Page(ApiModel, Generic[T]):
    """One page of a list: ``{items, total, page, pageSize}``."""

    items: list[T]
    total: int
    page: int
    page_size: int


class Message(ApiModel):
    """A plain ``{"message": ...}`` answer."""

    message: str


class FieldProblem(ApiModel):
    """One refused value of a validation error."""

    path: str = Field(description='Where: a dotted path into the body or query (`guest.phone`), "" for the whole.')
    message: str = Field(description="What is wrong with it.")


class ErrorOut(ApiModel):
    """The body of every error answer (4xx, 5xx).

    ``message`` says what went wrong in words a person can act on; most answers add a machine-readable
    ``code``; a validation error (400) lists each refused value in ``errors``; an answer may carry details
    of its own (``alternatives``, ``guestId``, ``reservations``...), as the operation's own error models show.
    """

    model_config = ConfigDict(extra="allow")

    message: str = Field(description="What went wrong, for a person.")
    code: str | None = Field(None, description="A short machine-readable reason (e.g. `slot_unavailable`, `csrf`).")
    errors: list[FieldProblem] | None = Field(None, description="400: each refused value.")
    retry_after: float | None = Field(None, description="Seconds to wait before trying again (with 429).")
