"""What an operator checks first: the workers' heartbeats and the guest outbox's backlog.

:func:`service_status` reads both from the database (so it sees every worker on every host);
``tobeout status`` prints it and ``/metrics`` exports the same figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from core.db import fetch_dicts
from core.models import OPEN_STATUSES, WorkerHeartbeat

#: A worker whose last heartbeat is older than this is reported silent (dead, hung, or cut off).
SILENT_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class WorkerState:
    """One worker's last heartbeat."""

    name: str
    started_at: datetime
    beat_at: datetime
    seconds_since_beat: float
    polls: int
    failed_polls: int
    last_error: str | None

    @property
    def state(self) -> str:
        """``ok``, ``failing`` (its last polls could not work) or ``silent`` (no heartbeat for a minute)."""
        if self.seconds_since_beat > SILENT_AFTER_SECONDS:
            return "silent"
        return "failing" if self.failed_polls else "ok"


@dataclass(frozen=True)
class ServiceStatus:
    """Workers, outbox messages by open status, and how long the oldest due message has waited."""

    workers: list[WorkerState] = field(default_factory=list)
    outbox: dict[str, int] = field(default_factory=dict)
    due: int = 0
    oldest_due_seconds: float | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (times as ISO strings), with each worker's ``state``."""
        workers = []
        for worker in self.workers:
            row = asdict(worker)
            row.update(started_at=worker.started_at.isoformat(), beat_at=worker.beat_at.isoformat(), state=worker.state)
            workers.append(row)
        return {
            "workers": workers,
            "outbox": dict(self.outbox),
            "due": self.due,
            "oldestDueSeconds": self.oldest_due_seconds,
        }


async def service_status(now: datetime) -> ServiceStatus:
    """The workers' heartbeats and the outbox backlog at ``now`` (three cheap queries)."""
    workers = [
        WorkerState(
            name=row.name,
            started_at=row.started_at,
            beat_at=row.beat_at,
            seconds_since_beat=max(0.0, (now - row.beat_at).total_seconds()),
            polls=row.polls,
            failed_polls=row.failed_polls,
            last_error=row.last_error,
        )
        for row in await WorkerHeartbeat.all().order_by("name")
    ]
    counts = await fetch_dicts(
        "SELECT status, COUNT(*) AS n FROM guest_outbox WHERE status IN ($1, $2, $3) GROUP BY status",
        [str(s.value) for s in OPEN_STATUSES],
    )
    outbox = {str(s.value): 0 for s in OPEN_STATUSES}
    outbox.update({str(row["status"]): int(row["n"]) for row in counts})
    [due] = await fetch_dicts(
        "SELECT COUNT(*) AS n, MIN(next_attempt_at) AS oldest FROM guest_outbox "
        "WHERE status = $1 AND next_attempt_at <= $2",
        [str(OPEN_STATUSES[0].value), now],
    )
    oldest = due["oldest"]
    if isinstance(oldest, str):  # SQLite answers text
        oldest = datetime.fromisoformat(oldest)
    waited = max(0.0, (now - oldest).total_seconds()) if isinstance(oldest, datetime) else None
    return ServiceStatus(workers=workers, outbox=outbox, due=int(due["n"]), oldest_due_seconds=waited)


def describe(status: ServiceStatus) -> str:
    """``tobeout status``'s text: one line per worker, then the outbox."""
    lines = [f"workers: {len(status.workers)}"]
    for worker in status.workers:
        line = (
            f"  {worker.name:<40} {worker.state:<8} last beat {worker.seconds_since_beat:.0f} s ago, "
            f"{worker.polls} polls since {worker.started_at:%Y-%m-%d %H:%M:%S}"
        )
        if worker.failed_polls:
            line += f", {worker.failed_polls} failed in a row: {worker.last_error}"
        lines.append(line)
    backlog = ", ".join(f"{name} {count}" for name, count in status.outbox.items())
    lines.append(f"outbox: {backlog}")
    oldest = "none" if status.oldest_due_seconds is None else f"waiting {status.oldest_due_seconds:.0f} s"
    lines.append(f"due now: {status.due} (oldest {oldest})")
    return "\n".join(lines)
