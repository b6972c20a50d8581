"""Small-number suppression for anything published, written once for every area that
publishes counts (performance figures, move figures, the annual report): counts from 1 to
threshold − 1 are hidden, and further cells are hidden (secondary suppression) so that no
hidden cell can be worked out from the totals that are shown."""

from __future__ import annotations

import math

DEFAULT_SUPPRESSION_THRESHOLD = 5

SUPPRESSED = None  # a hidden cell


def needs_primary_suppression(count: int, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> bool:
    """Counts from 1 to threshold − 1 could identify a child; zero does not."""
    return 0 < count < threshold


def suppress_table(
    rows: list[list[int]], threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
) -> tuple[list[list[int | None]], list[int | None], list[int | None], int | None]:
    """Suppress a table of counts that will be published with its row totals, column
    totals and grand total. Returns (cells, row totals, column totals, grand total),
    with hidden values as None.

    Primary: cells and totals under the threshold (but above zero). Secondary: while any
    row or column (counting its total as one more cell in the margin's own line) has
    exactly one hidden cell, hide the smallest other non-zero cell in that line, so
    every hidden value has at least two unknowns in every equation that contains it.
    """
    n_rows, n_cols = len(rows), len(rows[0]) if rows else 0
    row_totals = [sum(r) for r in rows]
    col_totals = [sum(rows[i][j] for i in range(n_rows)) for j in range(n_cols)]
    grand = sum(row_totals)
    # The full grid including margins: an (n_rows + 1) x (n_cols + 1) table whose last
    # row and column are totals. Every line of it is an additive equation.
    grid = [list(r) + [row_totals[i]] for i, r in enumerate(rows)] + [col_totals + [grand]]
    hidden = [[needs_primary_suppression(v, threshold) for v in line] for line in grid]

    def lines():
        for i in range(n_rows + 1):
            yield [(i, j) for j in range(n_cols + 1)]
        for j in range(n_cols + 1):
            yield [(i, j) for i in range(n_rows + 1)]

    changed = True
    while changed:
        changed = False
        for line in lines():
            hidden_cells = [cell for cell in line if hidden[cell[0]][cell[1]]]
            if len(hidden_cells) != 1:
                continue
            candidates = [cell for cell in line if not hidden[cell[0]][cell[1]] and grid[cell[0]][cell[1]] > 0]
            if not candidates:
                continue
            i, j = min(candidates, key=lambda c: (grid[c[0]][c[1]], c))
            hidden[i][j] = True
            changed = True

    # Two hidden cells per line is not always enough: totals can combine (the grand
    # total less a row total gives a column total). So check each small hidden value
    # as an attacker would, by solving the published equations, and hide more until
    # none can be pinned down.
    while True:
        shown = [[None if hidden[i][j] else grid[i][j] for j in range(n_cols + 1)] for i in range(n_rows + 1)]
        pinned = [
            cell
            for cell, (low, high) in hidden_cell_bounds(shown).items()
            if needs_primary_suppression(grid[cell[0]][cell[1]], threshold) and high - low < 1
        ]
        if not pinned:
            break
        i, j = pinned[0]
        line_cells = [(i, c) for c in range(n_cols + 1)] + [(r, j) for r in range(n_rows + 1)]
        candidates = [c for c in line_cells if not hidden[c[0]][c[1]] and grid[c[0]][c[1]] > 0]
        if not candidates:
            candidates = [
                (r, c) for r in range(n_rows + 1) for c in range(n_cols + 1) if not hidden[r][c] and grid[r][c] > 0
            ]
        if not candidates:
            break
        r, c = min(candidates, key=lambda cell: (grid[cell[0]][cell[1]], cell))
        hidden[r][c] = True
    cells = [row[:n_cols] for row in shown[:n_rows]]
    return cells, [row[n_cols] for row in shown[:n_rows]], shown[n_rows][:n_cols], shown[n_rows][n_cols]


def hidden_cell_bounds(shown: list[list[int | None]]) -> dict[tuple[int, int], tuple[float, float]]:
    """For each hidden cell of a table with its margins (last row and column are
    totals), the least and greatest value consistent with everything shown, found by
    linear programming over the row and column sums (cells are never negative)."""
    from scipy.optimize import linprog  # SciPy is slow to load: only when a table needs secondary suppression

    n_rows, n_cols = len(shown) - 1, len(shown[0]) - 1
    unknowns = [(i, j) for i in range(n_rows + 1) for j in range(n_cols + 1) if shown[i][j] is None]
    if not unknowns:
        return {}
    index = {cell: k for k, cell in enumerate(unknowns)}
    lines = [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows + 1)]
    lines += [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols + 1)]
    equations, targets = [], []
    for line in lines:
        *body, total = line
        coefficients = [0.0] * len(unknowns)
        target = 0.0
        for cell, sign in [(c, 1) for c in body] + [(total, -1)]:
            if cell in index:
                coefficients[index[cell]] += sign
            else:
                target -= sign * shown[cell[0]][cell[1]]
        if any(coefficients):
            equations.append(coefficients)
            targets.append(target)
    bounds = {}
    for cell, k in index.items():
        objective = [0.0] * len(unknowns)
        objective[k] = 1.0
        low = linprog(objective, A_eq=equations or None, b_eq=targets or None, bounds=(0, None))
        high = linprog([-x for x in objective], A_eq=equations or None, b_eq=targets or None, bounds=(0, None))
        bounds[cell] = (low.fun if low.status == 0 else 0.0, math.inf if high.status != 0 else -high.fun)
    return bounds


def suppress_list(
    values: list[int], threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
) -> tuple[list[int | None], int | None]:
    """A single column of counts with its total, suppressed the same way."""
    cells, row_totals, _col_totals, grand = suppress_table([[v] for v in values], threshold)
    return [row[0] for row in cells], grand


def display(value: int | None, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> str:
    """How a published count reads: a hidden one says so without giving it away."""
    return f"fewer than {threshold}" if value is None else f"{value:,}"
