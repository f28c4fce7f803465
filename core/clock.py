"""The one clock: the current instant, timezone-aware.

Engine functions take ``now`` (or a ``Clock``) from their caller so tests can fix it; only the edges
(the runtime, the worker, the CLI) read :func:`utcnow`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

#: A source of the current instant (``utcnow``, or a test's fixed one).
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current instant, timezone-aware. The one clock; tests pass their own."""
    return datetime.now(UTC)
