"""Small field types shared by the resource schemas."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from core.accounts import normalise_email
from core.booking.guests import normalise_phone
from core.booking.tags import MAX_TAGS, clean_tag, clean_tags
from core.errors import ValidationError
from core.limits import column_max_length
from core.models import ApiToken, Table


def domain_check(func: Any) -> Any:
    """Wrap a core validator (raising ``core.errors.ValidationError``) as a pydantic one."""

    def check(value: Any) -> Any:
        try:
            return func(value)
        except ValidationError as exc:
            raise PydanticCustomError("invalid", exc.message) from None

    return check


def _email(value: str) -> str:
    return domain_check(normalise_email)(value)


def _origin(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
        raise PydanticCustomError("invalid", "an origin is a scheme and host, e.g. https://example.com")
    return f"{parts.scheme}://{parts.netloc}".lower()


def _phone(value: str) -> str:
    return domain_check(normalise_phone)(value)


Email = Annotated[str, Field(max_length=255), AfterValidator(_email)]
Origin = Annotated[str, Field(max_length=255), AfterValidator(_origin)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


def column_name(model: Any, field: str) -> Any:
    """A required, trimmed name no longer than the column ``model.field`` stores (its limit read from the model)."""
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=column_max_length(model, field))
    ]


TableName = column_name(Table, "name")
TokenName = column_name(ApiToken, "name")
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", max_length=10)]
#: A phone number in international form, stored as E.164 (``+447700900123``).
Phone = Annotated[str, Field(max_length=50), AfterValidator(_phone)]
#: Tags of a guest or booking: short lowercase slugs (``["vip", "allergy"]``), see ``core.booking.tags``.
Tags = Annotated[
    list[Annotated[str, Field(max_length=64)]],
    Field(max_length=4 * MAX_TAGS, description="Lowercase slugs such as vip, allergy, birthday (free tags allowed)."),
    AfterValidator(domain_check(clean_tags)),
]
#: One tag to filter by (cleaned like a stored tag).
TagFilter = Annotated[str, Field(max_length=64), AfterValidator(domain_check(clean_tag))]
