"""The seating options for a booking, best first (an :class:`Options`), planned from the bookings around the
slot: for a new booking (:func:`plan_new`) or a move (:func:`plan_move`, the tables it holds first), or the
tables staff chose; and how each option is checked again under the tables' lock (:meth:`Options.fit_for`).
:func:`core.booking.placement.place` then tries them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.booking.assignment import option_fits, usable
from core.booking.availability import Ask, Setting, load_bookings, options_at, paced_out, window
from core.booking.reads import Bookings
from core.models import Table


def option_key(option: list[Table]) -> tuple[int, ...]:
    """The sorted table ids identifying a seating option."""
    return tuple(sorted(t.id for t in option))


def holds(tables: list[Table], guests: int) -> bool:
    """Capacity only: every table usable and their seats add up to ``guests``."""
    return bool(tables) and all(usable(t) for t in tables) and sum(t.max_guests for t in tables) >= guests


#: A check, under the tables' lock, that an option may seat a party (its tables, the party size).
Fit = Callable[[list[Table], int], bool]


def in_service(tables: list[Table], guests: int) -> bool:
    """Every table usable, whatever its seats: the check on tables staff chose by hand."""
    return bool(tables) and all(usable(t) for t in tables)


@dataclass(frozen=True)
class Options:
    """The seating options to try, best first. For those in ``relaxed`` (sorted table ids: the tables a
    reservation already holds) only capacity is enforced, not ``min_guests`` or combinability;
    ``replan=False`` never looks beyond ``candidates``. ``tables`` are the tables staff chose (named in
    the refusal), if any: ``by_hand`` options are checked for nothing but being in service, whatever their
    seats (:func:`seating_warning` says when they are too few)."""

    candidates: list[list[Table]]
    relaxed: frozenset[tuple[int, ...]] = frozenset()
    replan: bool = True
    tables: list[Table] | None = None

    @property
    def by_hand(self) -> bool:
        """True when staff chose the tables."""
        return self.tables is not None

    def fit_for(self, option: list[Table]) -> Fit:
        """How ``option`` is re-checked under lock: in service only (by hand), capacity only (relaxed) or
        every rule of automatic placement (:func:`core.booking.assignment.option_fits`)."""
        if self.by_hand:
            return in_service
        return holds if option_key(option) in self.relaxed else option_fits


def _chosen_options(bookings: Bookings, ask: Ask, setting: Setting, chosen: list[Table]) -> Options:
    busy = bookings.busy(ask.start, ask.until)
    free = not paced_out(setting, bookings, ask.start, ask.guests) and not busy & {t.id for t in chosen}
    return Options([chosen] if free else [], replan=False, tables=chosen)


async def plan_new(setting: Setting, ask: Ask, chosen: list[Table] | None) -> Options:
    """The options for a new booking: the tables staff chose when they are free (and pacing allows), else
    every free way to seat the party."""
    bookings = await load_bookings(setting, *window(setting, [ask.start], ask.duration))
    if chosen is not None:
        return _chosen_options(bookings, ask, setting, chosen)
    return Options(options_at(setting, bookings, ask.start, ask.until, ask.guests))


async def plan_move(
    setting: Setting, ask: Ask, chosen: list[Table] | None, reservation_id: int, held: list[int]
) -> Options:
    """The options for moving reservation ``reservation_id`` (ignoring its own allocations): the tables staff
    chose, else the tables it holds (``held``, main first) when they still seat the party and are free,
    then every other free option."""
    bookings = await load_bookings(
        setting, *window(setting, [ask.start], ask.duration), exclude_reservation_id=reservation_id
    )
    if chosen is not None:
        return _chosen_options(bookings, ask, setting, chosen)
    candidates = options_at(setting, bookings, ask.start, ask.until, ask.guests)
    keep = [t for t in (setting.table(i) for i in held) if t is not None]
    if not _keeps(setting, bookings, ask, keep, held):
        return Options(candidates)
    key = option_key(keep)
    return Options([keep] + [o for o in candidates if option_key(o) != key], frozenset({key}))


def _keeps(setting: Setting, bookings: Bookings, ask: Ask, keep: list[Table], held: list[int]) -> bool:
    """True when the tables a reservation holds still seat the party, are free and pacing allows."""
    if paced_out(setting, bookings, ask.start, ask.guests) or not holds(keep, ask.guests):
        return False
    return not bookings.busy(ask.start, ask.until) & set(held)
