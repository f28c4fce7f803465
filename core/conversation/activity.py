"""Recording what the engine did in ``ai_activities``: one batch of rows per turn.

Types written by the engine:

- ``response_generated``: every answered turn (message, reply, path ``llm``/``guided``,
  latency, token counts, the tool calls made);
- ``reservation_intent``: the guest asked to book (guided flow started, or the model
  looked for or made a booking), with what was understood and a confidence;
- ``tool_call``: one per tool the model called (arguments, result, latency);
- ``fallback``: the LLM failed or was spent and the guided path answered instead;
- ``error``: an unexpected failure; the guest got an apology;
- ``handoff``: the turn handed the conversation to a person (``reason``: ``guest_asked`` or
  ``not_understood``; ``path``: ``llm`` when the model's tool did it, else ``guided``; ``language``).

``fallback`` and ``handoff`` rows carry the conversation's ``language`` (the reports group by it).
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime

from tortoise import timezone

from core.jsontypes import JSONLike
from core.models import AiActivity

log = logging.getLogger(__name__)

RESPONSE_GENERATED = "response_generated"
RESERVATION_INTENT = "reservation_intent"
TOOL_CALL = "tool_call"
FALLBACK = "fallback"
ERROR = "error"
HANDOFF = "handoff"


@dataclass(frozen=True)
class ActivityRow:
    """One ``ai_activities`` row of a turn, before it is written."""

    type: str
    message: str
    response: str | None
    confidence: float | None
    metadata: dict[str, JSONLike] | None


@dataclass
class TurnLog:
    """The activity rows of one turn, written together by :meth:`flush` (one INSERT)."""

    restaurant_id: int
    message: str
    rows: list[ActivityRow] = field(default_factory=list)
    #: When the turn happened (the engine's clock); the rows are stamped with it.
    at: datetime | None = None

    def add(
        self,
        type: str,
        *,
        response: str | None = None,
        confidence: float | None = None,
        message: str | None = None,
        **metadata: JSONLike,
    ) -> None:
        """Queue one row; ``message`` defaults to the guest's text of this turn."""
        text = self.message if message is None else message
        self.rows.append(ActivityRow(type, text, response, confidence, metadata or None))

    def path(self) -> str | None:
        """Which path answered this turn (``llm``, ``guided``, ``fallback``, ``command``), once it answered."""
        for row in self.rows:
            if row.type == RESPONSE_GENERATED and row.metadata:
                return str(row.metadata.get("path"))
        return None

    def answered_by(self) -> str:
        """The path to count this turn under: ``fallback`` when the model failed and another path answered,
        else :meth:`path` (``error`` when nothing answered)."""
        if any(row.type == FALLBACK for row in self.rows):
            return "fallback"
        return self.path() or "error"

    def activities(self) -> list[AiActivity]:
        """The queued rows as (unsaved) ``ai_activities`` rows, stamped with :attr:`at` (else the current time)."""
        at = self.at if self.at is not None else timezone.now()
        return [AiActivity(restaurant_id=self.restaurant_id, **asdict(row), created_at=at) for row in self.rows]

    async def write(self) -> None:
        """Write the queued rows (one INSERT); raises on failure and keeps the rows queued."""
        if self.rows:
            await AiActivity.bulk_create(self.activities())
            self.rows = []

    async def flush(self) -> None:
        """Write the queued rows; a failure is logged, never raised (the guest still gets the reply)."""
        try:
            await self.write()
        except Exception:
            log.exception("could not record %d ai_activities rows", len(self.rows))
            self.rows = []


def ms_since(started: float) -> int:
    """Milliseconds since ``started`` (a ``time.perf_counter()`` reading): a turn's or a call's latency."""
    return int((time.perf_counter() - started) * 1000)
