"""Smart table assignment (core.booking.assignment): pure, no database."""

from __future__ import annotations

from core.booking.assignment import best_options, combination_fits, fits, has_option, largest_party
from core.models import Table, TableStatus


def table(
    id: int, low: int, high: int, *, combinable: bool = False, priority: int = 0, status: TableStatus = TableStatus.FREE
) -> Table:
    return Table(
        id=id,
        restaurant_id=1,
        name=f"T{id}",
        min_guests=low,
        max_guests=high,
        combinable=combinable,
        priority=priority,
        status=status,
    )


def ids(options: list[list[Table]]) -> list[list[int]]:
    return [[t.id for t in option] for option in options]


def test_a_table_fits_between_its_minimum_and_maximum():
    t = table(1, 2, 4)
    assert [fits(t, n) for n in (1, 2, 4, 5)] == [False, True, True, False]
    assert not fits(table(2, 1, 4, status=TableStatus.UNAVAILABLE), 2)


def test_smallest_table_that_fits_comes_first():
    tables = [table(1, 1, 8), table(2, 2, 4), table(3, 1, 2), table(4, 2, 6)]
    assert ids(best_options(tables, set(), 2)) == [[3], [2], [4], [1]]
    assert ids(best_options(tables, set(), 3)) == [[2], [4], [1]]


def test_priority_then_id_break_ties():
    tables = [table(1, 2, 4), table(2, 2, 4, priority=5), table(3, 2, 4), table(4, 2, 4, priority=1)]
    assert ids(best_options(tables, set(), 4)) == [[2], [4], [1], [3]]


def test_busy_and_unavailable_tables_are_skipped():
    tables = [table(1, 1, 2), table(2, 1, 2, status=TableStatus.UNAVAILABLE), table(3, 1, 4)]
    assert ids(best_options(tables, {1}, 2)) == [[3]]
    assert best_options(tables, {1, 3}, 2) == []


def test_minimum_guests_is_respected():
    assert best_options([table(1, 4, 6)], set(), 2) == []


def test_combinations_only_when_no_single_table_fits():
    tables = [table(1, 2, 4, combinable=True), table(2, 2, 4, combinable=True), table(3, 1, 8)]
    assert ids(best_options(tables, set(), 6)) == [[3]]
    assert ids(best_options(tables, {3}, 6)) == [[1, 2]]


def test_combinations_need_combinable_tables_that_add_up():
    tables = [table(1, 2, 4, combinable=True), table(2, 2, 4), table(3, 2, 2, combinable=True)]
    assert ids(best_options(tables, set(), 6)) == [[1, 3]]
    assert best_options(tables, set(), 7) == []


def test_combinations_ordered_by_fewest_tables_then_empty_seats_then_priority():
    tables = [
        table(1, 1, 4, combinable=True),
        table(2, 1, 4, combinable=True),
        table(3, 1, 6, combinable=True, priority=1),
        table(4, 1, 2, combinable=True),
    ]
    options = ids(best_options(tables, set(), 7))
    # pairs first: 1+3 and 2+3 seat 10 (3 empty; tie -> ids), 1+2 seats 8 (1 empty), 3+4 seats 8 (1 empty, priority)
    assert options[:4] == [[3, 4], [1, 2], [1, 3], [2, 3]]
    assert all(len(o) == 3 for o in options[4:])
    assert ids(best_options(tables, {3}, 9)) == [[1, 2, 4]]


def test_a_combination_never_holds_a_table_it_does_not_need():
    tables = [table(1, 1, 6, combinable=True), table(2, 1, 6, combinable=True), table(3, 1, 2, combinable=True)]
    assert [1, 2, 3] not in ids(best_options(tables, set(), 9))
    assert not combination_fits(tables, 9)
    assert combination_fits(tables, 13)


def test_combination_total_minimum_must_not_exceed_the_party():
    tables = [table(1, 4, 6, combinable=True), table(2, 4, 6, combinable=True)]
    assert best_options(tables, set(), 7) == []
    assert ids(best_options(tables, set(), 8)) == [[1, 2]]


def test_at_most_three_tables_are_combined():
    tables = [table(i, 1, 2, combinable=True) for i in range(1, 6)]
    assert ids(best_options(tables, set(), 6))[0] == [1, 2, 3]
    assert best_options(tables, set(), 7) == []


def test_limit_caps_the_options():
    tables = [table(i, 1, 4) for i in range(1, 10)]
    assert len(best_options(tables, set(), 2, limit=3)) == 3


def test_has_option_and_largest_party():
    tables = [table(1, 1, 4, combinable=True), table(2, 1, 6, combinable=True), table(3, 1, 10)]
    assert has_option(tables, set(), 10)
    assert not has_option(tables, {3}, 11)
    assert largest_party(tables) == 10
    assert largest_party(tables + [table(4, 1, 8, combinable=True)]) == 18
