"""The reservation status state machine.

::

    created   -> confirmed | seated | canceled | no_show
    confirmed -> seated | canceled | no_show
    seated    -> completed
    completed | canceled | no_show -> archived

``created -> seated`` is allowed on purpose: a guest who arrives before anyone
confirmed the booking (or a walk-in recorded as ``created``) is simply seated.
Only the active statuses (created, confirmed, seated) hold tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InvalidTransition, ValidationError
from core.models import ACTIVE_STATUSES, Reservation, ReservationStatus

S = ReservationStatus

#: The allowed status moves.
TRANSITIONS: dict[ReservationStatus, frozenset[ReservationStatus]] = {
    S.CREATED: frozenset({S.CONFIRMED, S.SEATED, S.CANCELED, S.NO_SHOW}),
    S.CONFIRMED: frozenset({S.SEATED, S.CANCELED, S.NO_SHOW}),
    S.SEATED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset({S.ARCHIVED}),
    S.CANCELED: frozenset({S.ARCHIVED}),
    S.NO_SHOW: frozenset({S.ARCHIVED}),
    S.ARCHIVED: frozenset(),
}


#: Corrections of a wrong final status back to a live one (:mod:`core.booking.corrections`): outside the
#: state machine, by staff, within the restaurant's correction window, while the tables are free.
CORRECTIONS: dict[ReservationStatus, frozenset[ReservationStatus]] = {
    S.COMPLETED: frozenset({S.SEATED}),
    S.NO_SHOW: frozenset({S.CREATED, S.CONFIRMED, S.SEATED}),
    S.CANCELED: frozenset({S.CREATED, S.CONFIRMED}),
}


@dataclass(frozen=True)
class StatusModel:
    """The state machine as a client draws it: every status in lifecycle order, those that hold tables
    (``active``: a booking in one can be moved, edited, seated), the allowed moves and the corrections."""

    statuses: tuple[ReservationStatus, ...]
    active: tuple[ReservationStatus, ...]
    transitions: dict[ReservationStatus, tuple[ReservationStatus, ...]]
    corrections: dict[ReservationStatus, tuple[ReservationStatus, ...]]


def status_model() -> StatusModel:
    """The reservation statuses and their moves (what ``GET /api/reservations/statuses`` answers)."""
    order = tuple(ReservationStatus)
    return StatusModel(
        statuses=order,
        active=tuple(s for s in order if s in ACTIVE_STATUSES),
        transitions={s: tuple(t for t in order if t in TRANSITIONS[s]) for s in order},
        corrections={s: tuple(t for t in order if t in moves) for s, moves in CORRECTIONS.items()},
    )


def corrections_of(status: ReservationStatus | str) -> list[str]:
    """The statuses a booking in ``status`` may be corrected back to (sorted; [] for a live one)."""
    return sorted(str(s) for s in CORRECTIONS.get(S(status), frozenset()))


def parse_status(value: ReservationStatus | str) -> ReservationStatus:
    """``value`` as a status; ``ValidationError`` (field ``status``) for an unknown one."""
    try:
        return ReservationStatus(value)
    except ValueError:
        raise ValidationError(f"Unknown reservation status {value!r}.", details={"field": "status"}) from None


def ensure_transition(old: ReservationStatus, target: ReservationStatus) -> None:
    """Raise ``InvalidTransition`` (details ``from``, ``to``, ``allowed``) unless ``old -> target`` is allowed."""
    if target in TRANSITIONS[old]:
        return
    allowed = sorted(str(s) for s in TRANSITIONS[old])
    raise InvalidTransition(
        f"A {old} reservation cannot become {target}"
        + (f"; it can become {', '.join(allowed)}." if allowed else "; it can no longer change."),
        details={"from": str(old), "to": str(target), "allowed": allowed},
    )


def ensure_active(reservation: Reservation) -> None:
    """Raise ``InvalidTransition`` unless the reservation still holds its tables (created, confirmed, seated)."""
    if reservation.status not in ACTIVE_STATUSES:
        raise InvalidTransition(
            f"A {reservation.status} reservation can no longer be changed.",
            details={"from": str(reservation.status)},
        )
