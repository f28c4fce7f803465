"""What a conversation remembers between turns besides its guided flow (:mod:`core.conversation.guided_state`).

Each lives under its own key of ``conversation.state`` (a JSON column), read with ``load(conversation)``
and written with ``save(conversation)``, which touch that key alone::

    {"misses": 2,                           # messages in a row not understood (Misses)
     "handoff_acknowledged": true,          # the guest was told a person will answer (HandoffNotice)
     "expect": {"answers": {"yes": "/cmd a 12", "no": "/cmd b 12"},   # a plain answer waited for
                "until": "2026-11-27T18:30:00+00:00"}}                 # (Expectation)

The stored shape is the one earlier releases wrote and read, so rows go both ways between them.
Reading is lenient, since a row may hold a value written by hand or by a release that knew other keys:
a missing or unreadable value reads as nothing (no misses, not told, no answer waited for, a wait that
has ended).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.jsontypes import JSON, JSONObject

if TYPE_CHECKING:
    from core.models import Conversation

MISSES = "misses"
ACKNOWLEDGED = "handoff_acknowledged"
EXPECT = "expect"


def stored(conversation: Conversation, key: str) -> object:
    """The value stored under ``key`` of the conversation's state (None when there is none)."""
    return (conversation.state or {}).get(key)


def put(conversation: Conversation, key: str, value: JSON) -> None:
    """Store ``value`` under ``key`` of the conversation's state; its other keys stay as they are."""
    conversation.state = {**(conversation.state or {}), key: value}


def drop(conversation: Conversation, key: str) -> None:
    """Remove ``key`` from the conversation's state (if there); its other keys stay as they are."""
    conversation.state = {k: v for k, v in (conversation.state or {}).items() if k != key}


@dataclass
class Misses:
    """How many of the guest's messages in a row the guided flow did not understand."""

    count: int = 0

    @classmethod
    def load(cls, conversation: Conversation) -> Misses:
        """The count the last turn saved (0 when there is none or it is unreadable)."""
        return cls(_count(stored(conversation, MISSES)))

    def save(self, conversation: Conversation) -> None:
        """Write the count back (0 is written too)."""
        put(conversation, MISSES, self.count)

    @staticmethod
    def clear(conversation: Conversation) -> None:
        """Forget the count (it reads as 0)."""
        drop(conversation, MISSES)


@dataclass
class HandoffNotice:
    """Whether the guest of a handed-off conversation was told that a person will answer."""

    told: bool = False

    @classmethod
    def load(cls, conversation: Conversation) -> HandoffNotice:
        """Whether they were told (any true value counts, as earlier releases read it)."""
        return cls(bool(stored(conversation, ACKNOWLEDGED)))

    def save(self, conversation: Conversation) -> None:
        """Write it back: ``true`` when told; no key at all when not."""
        if self.told:
            put(conversation, ACKNOWLEDGED, True)
        else:
            drop(conversation, ACKNOWLEDGED)


@dataclass
class Expectation:
    """The plain answers the bot waits for after a message of its own: ``answers`` maps ``yes``, ``no``,
    ``cancel`` or ``change`` to the command it runs; after ``until`` they are no longer read (None: an
    end that could not be read, so the wait is over)."""

    answers: dict[str, str] = field(default_factory=dict)
    until: datetime | None = None

    @classmethod
    def load(cls, conversation: Conversation) -> Expectation | None:
        """The answers waited for, or None when none are (nothing stored, or not an object)."""
        value = stored(conversation, EXPECT)
        if not isinstance(value, Mapping):
            return None
        answers = value.get("answers")
        found = {str(k): str(v) for k, v in answers.items() if v} if isinstance(answers, Mapping) else {}
        return cls(found, _moment(value.get("until")))

    def save(self, conversation: Conversation) -> None:
        """Write the wait back (it replaces any earlier one)."""
        until = self.until.astimezone(UTC).isoformat() if self.until is not None else None
        stored_answers: JSONObject = dict(self.answers)
        put(conversation, EXPECT, {"answers": stored_answers, "until": until})

    @staticmethod
    def clear(conversation: Conversation) -> None:
        """No answer is waited for any more."""
        drop(conversation, EXPECT)

    def over(self, now: datetime) -> bool:
        """Whether the wait has ended by ``now`` (an unreadable end has)."""
        return self.until is None or now >= self.until


def _count(value: object) -> int:
    """``int(value or 0)`` as earlier releases read the count, and 0 where that fails."""
    if not isinstance(value, int | float | str):
        return 0
    try:
        return int(value or 0)
    except (ValueError, OverflowError):
        return 0


def _moment(value: object) -> datetime | None:
    """An ISO datetime as :meth:`Expectation.save` writes it (a naive one is read as UTC); None if unreadable."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
