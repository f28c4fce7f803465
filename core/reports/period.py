"""The range a report covers: local dates of one restaurant, grouped by day or by week.

A report's range is two local dates (both included) in the restaurant's time zone. Reservations
carry their local date, so they are grouped by it directly; records stamped with an instant
(conversations, AI activities, reminders) are selected between the instants of local midnight
at the start and after the end, so a range over a daylight-saving change holds exactly its days
(a 23- or 25-hour day included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from core.errors import ValidationError

Grouping = Literal["day", "week"]
#: The longest range a report covers: a leap year.
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """One restaurant's local dates ``start``..``end`` (both included), in ``timezone``, grouped ``by``."""

    restaurant_id: int
    start: date
    end: date
    timezone: str
    by: Grouping = "day"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                f"'from' ({self.start}) is after 'to' ({self.end}): give the earlier date first.",
                code="bad_range",
            )
        days = (self.end - self.start).days + 1
        if days > MAX_DAYS:
            raise ValidationError(
                f"The range holds {days} days; a report covers at most {MAX_DAYS}. Ask for a shorter range.",
                code="range_too_long",
            )
        if self.by not in ("day", "week"):
            raise ValidationError(f"'by' must be 'day' or 'week', not {self.by!r}.", code="bad_grouping")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def starts_at(self) -> datetime:
        """The instant of local midnight at the start of the range."""
        return _midnight(self.start, self.zone)

    @property
    def ends_at(self) -> datetime:
        """The instant of local midnight after the range's last day (excluded)."""
        return _midnight(self.end + timedelta(days=1), self.zone)

    def days(self) -> list[date]:
        """Every local date of the range, in order."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def bucket(self, day: date) -> date:
        """The first day of the group ``day`` falls in: the day itself, or its week's Monday
        (a week at the range's edge may start before the range: it holds the range's days only)."""
        return day if self.by == "day" else day - timedelta(days=day.weekday())

    def buckets(self) -> list[date]:
        """The groups of the range, in order, each named by its first day."""
        return sorted({self.bucket(d) for d in self.days()})


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
