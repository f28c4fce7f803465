"""The dialog benchmark's figures (:mod:`bench.dialog_runner` replays the dialogs): per path, language and
category, and a Markdown table of them (docs/benchmarks.md)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from bench.dialog_runner import Outcome


def summary(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Figures per path, language and category (and per path and language over all categories)."""
    groups: dict[tuple[str, str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[(o.path, o.dialog.language, o.dialog.category)].append(o)
        groups[(o.path, o.dialog.language, "all")].append(o)
    rows = []
    for (path, language, category), group in sorted(groups.items()):
        turns = [o.turns_to_book for o in group if o.turns_to_book is not None and o.dialog.expect.get("booking")]
        rows.append(
            {
                "path": path,
                "language": language,
                "category": category,
                "dialogs": len(group),
                "passed": sum(o.passed for o in group),
                "passed_pct": round(100 * sum(o.passed for o in group) / len(group), 1),
                "outcome_reached": sum(o.reached for o in group),
                "wrong_bookings": sum(o.wrong_booking for o in group),
                "reasked": sum(bool(o.reasked) for o in group),
                "silent": sum(bool(o.silent) for o in group),
                "median_turns_to_book": statistics.median(turns) if turns else None,
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The summary as a Markdown table."""
    lines = [
        "| path | language | category | dialogs | passed | % | outcome reached | wrong bookings | re-asked | silent "
        "| median turns to book |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['path']} | {r['language']} | {r['category']} | {r['dialogs']} | {r['passed']} | {r['passed_pct']} "
            f"| {r['outcome_reached']} | {r['wrong_bookings']} | {r['reasked']} | {r['silent']} "
            f"| {r['median_turns_to_book'] if r['median_turns_to_book'] is not None else '-'} |"
        )
    return "\n".join(lines)
