"""The statistics against scipy and values worked out by hand, and suppression
against an attacker who solves the published totals for each hidden cell."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.optimize import linprog

from safeguarding.core import suppression
from safeguarding.performance import rules


def test_rate_per_10000_and_percent_change():
    assert rules.rate_per_10000(45, 90_000) == 5.0
    assert rules.rate_per_10000(3, 0) is None
    assert rules.percent_change(100, 120) == 20.0
    assert rules.percent_change(0, 4) is None


def test_poisson_exact_test_matches_a_binomial_worked_by_hand():
    # 20 then 30 over equal periods: under no change, 30 of 50 ~ Binomial(50, 0.5).
    expected = stats.binomtest(30, 50, 0.5).pvalue
    assert rules.poisson_change_p_value(20, 30) == pytest.approx(expected)
    # By hand for tiny counts: 0 then 3, P = 2 * 0.5**3 = 0.25.
    assert rules.poisson_change_p_value(0, 3) == pytest.approx(0.25)
    # Twice the population later: the same counts are no rise at all.
    assert rules.poisson_change_p_value(100, 200, exposure_before=1, exposure_now=2) == pytest.approx(1.0)
    assert rules.poisson_change_p_value(0, 0) == 1.0


def test_a_twenty_percent_rise_in_mace_discussions_is_chance_at_small_numbers_and_real_at_large():
    small = rules.poisson_change_p_value(50, 60)
    large = rules.poisson_change_p_value(500, 600)
    assert rules.change_in_words(50, 60, small) == "a rise of 20%, within normal variation"
    assert rules.change_in_words(500, 600, large) == "a rise of 20%, more than normal variation"
    assert rules.change_in_words(600, 564, rules.poisson_change_p_value(600, 564)) == (
        "a fall of 6%, within normal variation"
    )
    assert rules.change_in_words(7, 7, 1.0) == "no change"


def test_wilson_interval_matches_the_textbook_values():
    # Wilson 95% interval for 81 of 263 (a standard worked example): 0.2553 to 0.3662.
    interval = rules.wilson_interval(81, 263)
    assert interval.low == pytest.approx(0.2553, abs=1e-4)
    assert interval.high == pytest.approx(0.3662, abs=1e-4)
    assert rules.wilson_interval(0, 0) is None
    assert rules.wilson_interval(0, 10).low == 0.0


def test_proportion_change_matches_a_chi_squared_test():
    chi2, p, _, _ = stats.chi2_contingency([[30, 70], [45, 55]], correction=False)
    assert rules.proportion_change_p_value(30, 100, 45, 100) == pytest.approx(p)


def test_small_counts_are_hidden_and_so_is_something_else_in_their_row_and_column():
    cells, row_totals, col_totals, grand = suppression.suppress_table([[12, 3, 20], [15, 9, 30]])
    assert cells[0][1] is None  # the 3
    assert sum(v is None for v in cells[0] + [row_totals[0]]) >= 2
    assert sum(v is None for v in [cells[0][1], cells[1][1], col_totals[1]]) >= 2
    assert suppression.display(None) == "fewer than 5" and suppression.display(1234) == "1,234"


def test_zero_is_shown_and_a_list_with_a_total_is_protected():
    values, total = suppression.suppress_list([0, 2, 40, 31])
    assert values[0] == 0 and values[1] is None
    assert sum(v is None for v in values + [total]) >= 2


def _bounds_of_hidden_cells(grid, shown):
    """For each hidden cell, the least and greatest value it can take given every
    shown value and every row and column sum (cells are never negative)."""
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    unknowns = [(i, j) for i in range(n_rows + 1) for j in range(n_cols + 1) if shown[i][j] is None]
    index = {cell: k for k, cell in enumerate(unknowns)}
    equations, targets = [], []
    lines = [[(i, j) for j in range(n_cols)] + [(i, n_cols)] for i in range(n_rows + 1)]
    lines += [[(i, j) for i in range(n_rows)] + [(n_rows, j)] for j in range(n_cols + 1)]
    for line in lines:
        *body, total = line
        row = [0.0] * len(unknowns)
        target = 0.0
        for cell, sign in [(c, 1) for c in body] + [(total, -1)]:
            if cell in index:
                row[index[cell]] += sign
            else:
                target -= sign * shown[cell[0]][cell[1]]
        if any(row):
            equations.append(row)
            targets.append(target)
    result = {}
    for cell, k in index.items():
        objective = [0.0] * len(unknowns)
        objective[k] = 1.0
        low = linprog(objective, A_eq=equations, b_eq=targets, bounds=(0, None)).fun
        high = linprog([-x for x in objective], A_eq=equations, b_eq=targets, bounds=(0, None))
        result[cell] = (low, math.inf if high.status == 3 else -high.fun)
    return result


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda cols: st.lists(st.lists(st.integers(0, 14), min_size=cols, max_size=cols), min_size=2, max_size=4)
    )
)
def test_no_hidden_cell_can_be_worked_out_from_what_is_published(rows):
    cells, row_totals, col_totals, grand = suppression.suppress_table(rows)
    grid = [list(r) + [sum(r)] for r in rows]
    grid.append([sum(r[j] for r in rows) for j in range(len(rows[0]))] + [sum(map(sum, rows))])
    shown = [list(c) + [t] for c, t in zip(cells, row_totals, strict=True)] + [list(col_totals) + [grand]]
    for i, line in enumerate(grid):
        for j, value in enumerate(line):
            if suppression.needs_primary_suppression(value):
                assert shown[i][j] is None, (rows, i, j)
            if shown[i][j] is not None:
                assert shown[i][j] == value
    for cell, (low, high) in _bounds_of_hidden_cells(grid, shown).items():
        value = grid[cell[0]][cell[1]]
        if suppression.needs_primary_suppression(value):
            assert high - low >= 1, f"hidden {value} at {cell} is pinned to [{low}, {high}] in {rows}"


def test_periods_follow_the_financial_year():
    import datetime as dt

    assert rules.period_bounds("2026-Q1", "quarterly") == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert rules.period_bounds("2026-Q4", "quarterly") == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert rules.period_bounds("2026-02", "monthly") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert rules.period_bounds("2025", "yearly") == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    with pytest.raises(ValueError, match="use YYYY-Qn"):
        rules.period_bounds("2026-Q5", "quarterly")
    assert rules.previous_period("2026-Q1", "quarterly") == "2025-Q4"
    assert rules.previous_period("2026-Q3", "quarterly", years=1) == "2025-Q3"
    assert rules.previous_period("2026-01", "monthly") == "2025-12"
    assert rules.previous_period("2026", "yearly") == "2025"


def test_return_due_date_and_status():
    import datetime as dt

    due = rules.return_due_on(dt.date(2026, 6, 30))
    assert due == dt.date(2026, 7, 28)  # 20 working days, no bank holidays in July
    assert rules.return_status(due_on=due, first_submitted_on=dt.date(2026, 7, 20), today=dt.date(2026, 9, 1)) == (
        "on_time"
    )
    assert rules.return_status(due_on=due, first_submitted_on=dt.date(2026, 8, 3), today=dt.date(2026, 9, 1)) == "late"
    assert rules.return_status(due_on=due, first_submitted_on=None, today=dt.date(2026, 9, 1)) == "missing"
    assert rules.return_status(due_on=due, first_submitted_on=None, today=dt.date(2026, 7, 28)) == "expected"


def test_unusual_values_are_queried_not_refused():
    assert rules.is_unusual(400, [100, 110, 95, 105])
    assert rules.is_unusual(20, [100, 110, 95, 105])
    assert not rules.is_unusual(140, [100, 110, 95, 105])
    assert not rules.is_unusual(400, [100, 110])  # too little history to judge
