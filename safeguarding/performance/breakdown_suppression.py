"""Disclosure control for a period's published counts: the partnership total and every
breakdown of it, suppressed together so that no view of the figures (the total, one
area, one age band) can be combined with another to recover a hidden count.

Each breakdown is one equation: its cells, plus a "not stated" remainder, add up to
the total. With the total shown, the equations are independent, so each is suppressed
on its own with secondary suppression (``suppression.suppress_list``, which checks itself by
linear programming). If the total itself must be hidden, every cell of every breakdown
is hidden too: otherwise any complete breakdown would give the total away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from safeguarding.core import suppression

NOT_STATED = "not stated"


@dataclass
class SuppressedPeriod:
    total: int | None
    # breakdown -> {value: count or None}; includes NOT_STATED when the cells fall short of the total
    breakdowns: dict[str, dict[str, int | None]] = field(default_factory=dict)

    @property
    def hides_anything(self) -> bool:
        return self.total is None or any(v is None for cells in self.breakdowns.values() for v in cells.values())


def suppress_period(
    total: int, breakdowns: dict[str, dict[str, int]], threshold: int = suppression.DEFAULT_SUPPRESSION_THRESHOLD
) -> SuppressedPeriod:
    """Suppress one period's total and its breakdowns jointly (see the module docstring)."""
    published: dict[str, dict[str, int | None]] = {}
    total_hidden = suppression.needs_primary_suppression(total, threshold)
    for name, cells in breakdowns.items():
        labels = list(cells)
        values = [int(cells[label]) for label in labels]
        remainder = total - sum(values)
        if remainder < 0:
            # The cells do not add up to the total the sender gave: publish none of them
            # rather than reason about an inconsistent set of equations.
            published[name] = dict.fromkeys(labels)
            continue
        if remainder:
            labels.append(NOT_STATED)
            values.append(remainder)
        shown, grand = suppression.suppress_list(values, threshold)
        if grand is None:
            total_hidden = True
        published[name] = dict(zip(labels, shown, strict=True))
    if total_hidden:
        return SuppressedPeriod(None, {name: dict.fromkeys(cells) for name, cells in published.items()})
    return SuppressedPeriod(total, published)


def suppress_percentage(
    percentage: float, denominator: float | None, threshold: int = suppression.DEFAULT_SUPPRESSION_THRESHOLD
) -> float | None:
    """A percentage of a small group could identify a child: hide it when the group, or
    the number of children it stands for, is from 1 to threshold − 1."""
    if denominator is None:
        return percentage
    if 0 < denominator < threshold:
        return None
    numerator = round(percentage * denominator / 100)
    return None if suppression.needs_primary_suppression(numerator, threshold) else percentage


def equations_bounds(
    unknown_names: list[str], equations: list[tuple[dict[str, int], float]]
) -> dict[str, tuple[float, float]]:
    """For a set of published linear equations (coefficients on hidden cells, and the
    value they must add up to once the shown cells are taken away), the least and
    greatest value each hidden cell can take, cells never negative. Used by the tests to
    attack suppressed output as an outsider would."""
    from scipy.optimize import linprog  # SciPy is slow to load: only when a table needs secondary suppression

    index = {name: k for k, name in enumerate(unknown_names)}
    rows = []
    targets = []
    for coefficients, target in equations:
        row = [0.0] * len(unknown_names)
        for name, coefficient in coefficients.items():
            row[index[name]] += coefficient
        if any(row):
            rows.append(row)
            targets.append(target)
    bounds = {}
    for name, k in index.items():
        objective = [0.0] * len(unknown_names)
        objective[k] = 1.0
        low = linprog(objective, A_eq=rows or None, b_eq=targets or None, bounds=(0, None))
        high = linprog([-x for x in objective], A_eq=rows or None, b_eq=targets or None, bounds=(0, None))
        bounds[name] = (low.fun if low.status == 0 else 0.0, math.inf if high.status != 0 else -high.fun)
    return bounds
