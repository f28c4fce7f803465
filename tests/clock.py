"""A settable clock for tests, and the fixed instant most tests start from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Wednesday 25 November 2026, 10:00 in London (UTC+0 in winter): "tomorrow" is Thu 26, "Friday" is Fri 27.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OPEN_ALL_WEEK = {day: [{"open": "12:00", "close": "23:00"}] for day in WEEKDAYS}


@dataclass
class Clock:
    """The clock handed to engines and apps: ``clock()`` is the current instant; tests move it."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward by ``timedelta(**delta)``."""
        self.now += timedelta(**delta)
