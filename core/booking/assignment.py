"""Smart table assignment: which free table (or combination of tables) suits a party best.

Pure functions over :class:`~core.models.Table` objects; no I/O. Availability and
the booking service decide which tables are busy and call :func:`best_options`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import combinations

from core.models import Table, TableStatus

#: The largest number of tables one combined booking may use.
MAX_COMBINED_TABLES = 3


def usable(table: Table) -> bool:
    """True unless staff took the table out of booking (status ``unavailable``)."""
    return table.status != TableStatus.UNAVAILABLE


def fits(table: Table, guests: int) -> bool:
    """True when ``table`` alone may seat ``guests``: ``min_guests <= guests <= max_guests`` and usable."""
    return usable(table) and table.min_guests <= guests <= table.max_guests


def combination_fits(tables: Collection[Table], guests: int) -> bool:
    """True when combinable ``tables`` together may seat ``guests``: total ``max_guests >= guests``,
    total ``min_guests <= guests``, and every table is needed (none could be left out)."""
    if not all(usable(t) and t.combinable for t in tables):
        return False
    seats = sum(t.max_guests for t in tables)
    if seats < guests or sum(t.min_guests for t in tables) > guests:
        return False
    return all(seats - t.max_guests < guests for t in tables)


def option_fits(tables: Collection[Table], guests: int) -> bool:
    """True when ``tables`` (one table, or a combination of 2..3) may seat ``guests``."""
    if len(tables) == 1:
        return fits(next(iter(tables)), guests)
    return 2 <= len(tables) <= MAX_COMBINED_TABLES and combination_fits(tables, guests)


def _single_key(guests: int) -> Callable[[Table], tuple[int, int, int]]:
    return lambda t: (t.max_guests - guests, -t.priority, t.id)


def _combo_key(guests: int) -> Callable[[list[Table]], tuple[int, int, int, list[int]]]:
    return lambda c: (len(c), sum(t.max_guests for t in c) - guests, -sum(t.priority for t in c), [t.id for t in c])


def _combos(pool: list[Table], guests: int, size: int) -> Iterator[list[Table]]:
    for combo in combinations(pool, size):
        if combination_fits(combo, guests):
            yield list(combo)


def best_options(
    tables: Iterable[Table],
    busy: Collection[int],
    guests: int,
    *,
    limit: int | None = None,
    max_tables: int = MAX_COMBINED_TABLES,
) -> list[list[Table]]:
    """The ways to seat ``guests`` on the free ``tables``, best first.

    ``busy`` holds the ids of tables that are not free for the whole interval.
    Single tables that fit come first, ordered by fewest empty seats (the
    smallest table that fits), then higher ``priority``, then id. Only when no
    single table fits, combinations of 2..``max_tables`` combinable tables whose
    seats add up (total ``max_guests >= guests``, total ``min_guests <= guests``,
    no table superfluous) are offered, ordered by fewest tables, fewest empty
    seats, higher total priority, then ids. Each combination lists its tables by
    id. ``limit`` caps the number of options returned (and the work done).
    """
    free = sorted((t for t in tables if t.id not in busy and usable(t)), key=lambda t: t.id)
    singles = sorted((t for t in free if fits(t, guests)), key=_single_key(guests))
    if singles:
        return [[t] for t in singles[:limit]]
    return _combinations(free, guests, limit, max_tables)


def _combinations(free: list[Table], guests: int, limit: int | None, max_tables: int) -> list[list[Table]]:
    """The combinations of :func:`best_options`, best first (free tables by id)."""
    pool = _pool(free, guests)
    found: list[list[Table]] = []
    for size in range(2, max_tables + 1):
        if limit is not None and len(found) >= limit:
            break
        found.extend(_combos(pool, guests, size))
    found.sort(key=_combo_key(guests))
    return found[:limit]


def _pool(free: Iterable[Table], guests: int) -> list[Table]:
    """The free tables that may be part of a combination for ``guests``."""
    return [t for t in free if t.combinable and t.min_guests <= guests]


def has_option(tables: Iterable[Table], busy: Collection[int], guests: int) -> bool:
    """True when :func:`best_options` would return anything (stops at the first option found)."""
    free = [t for t in tables if t.id not in busy and usable(t)]
    if any(fits(t, guests) for t in free):
        return True
    pool = sorted(_pool(free, guests), key=lambda t: t.id)
    return any(next(_combos(pool, guests, size), None) is not None for size in range(2, MAX_COMBINED_TABLES + 1))


def largest_party(tables: Iterable[Table]) -> int:
    """The most guests any usable table or combination of up to three combinable tables can seat."""
    usable_tables = [t for t in tables if usable(t)]
    single = max((t.max_guests for t in usable_tables), default=0)
    combined = sorted((t.max_guests for t in usable_tables if t.combinable), reverse=True)[:MAX_COMBINED_TABLES]
    return max(single, sum(combined) if len(combined) >= 2 else 0)
