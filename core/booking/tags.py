"""Tags on guests and bookings: what the host must know at a glance (VIP, an allergy, a birthday...).

A tag is a short lowercase slug. The known ones below get an icon and a translated label in the
dashboard; any other slug is a free tag, shown as written. :func:`clean_tags` is the one way a list
of tags is accepted, from staff (the API) and from the chat alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.errors import ValidationError

#: The tags the dashboard knows (icon and label), in the order it shows them.
KNOWN_TAGS: tuple[str, ...] = (
    "vip",
    "regular",
    "allergy",
    "dietary",
    "vegetarian",
    "vegan",
    "gluten_free",
    "birthday",
    "anniversary",
    "occasion",
    "business",
    "high_chair",
    "wheelchair",
    "accessibility",
    "window",
    "quiet",
    "outdoor",
    "walk_in",
)

#: At most this many tags on one guest or booking.
MAX_TAGS = 12
#: At most this many characters in one tag.
MAX_TAG_LENGTH = 32

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_SEPARATORS = re.compile(r"[\s\-]+")


def clean_tag(value: object) -> str:
    """One tag as stored: trimmed, lower case, inner spaces and dashes as ``_`` ("High chair" -> "high_chair").
    ``ValidationError`` (field ``tags``) for anything that is not a short slug of letters, digits and ``_``."""
    if not isinstance(value, str):
        raise ValidationError("A tag is a short word such as vip or allergy.", details={"field": "tags"})
    tag = _SEPARATORS.sub("_", value.strip().lower()).strip("_")
    if not tag or len(tag) > MAX_TAG_LENGTH or not _SLUG.match(tag):
        raise ValidationError(
            f"Tag {value!r} is not accepted: use up to {MAX_TAG_LENGTH} latin letters, digits or '_' "
            f"(known tags: {', '.join(KNOWN_TAGS)}).",
            details={"field": "tags", "tag": str(value)[:64]},
        )
    return tag


def clean_tags(values: Iterable[object] | None) -> list[str]:
    """A list of tags as stored: each cleaned by :func:`clean_tag`, duplicates dropped, in the order given.
    ``None`` is no tags. ``ValidationError`` (field ``tags``) for a bad tag or more than :data:`MAX_TAGS`."""
    if values is None:
        return []
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError('Tags are a list of words, e.g. ["vip", "allergy"].', details={"field": "tags"})
    cleaned: list[str] = []
    for value in values:
        tag = clean_tag(value)
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(f"At most {MAX_TAGS} tags, please.", details={"field": "tags"})
    return cleaned


def is_known(tag: str) -> bool:
    """True for a tag the dashboard shows with its own icon and label."""
    return tag in KNOWN_TAGS
