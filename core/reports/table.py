"""What every report returns: named columns and rows of plain values, plus a few totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from core.reports.period import Period

Value = str | int | float | None


@dataclass
class Report:
    """One report over a :class:`Period`: ``columns`` name the values of each row of ``rows``
    (the CSV's header and lines; the page's chart and table), ``totals`` sum up the whole range."""

    name: str
    period: Period
    columns: list[str]
    rows: list[list[Value]]
    totals: Mapping[str, Value] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The JSON shape the API answers with."""
        return {
            "report": self.name,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "by": self.period.by,
            "timezone": self.period.timezone,
            "columns": self.columns,
            "rows": self.rows,
            "totals": dict(self.totals),
        }


def rate(part: int | float, whole: int | float) -> float | None:
    """``part / whole`` rounded to four places, None when ``whole`` is 0 (no rate, not 0 %)."""
    return round(part / whole, 4) if whole else None


def day_key(value: object) -> date:
    """A date read back from either database (``date`` on PostgreSQL, ISO text on SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
