"""Published counts: a period's total and every breakdown of it suppressed together, so
that an outsider with all the published views cannot recover a hidden count."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.performance.breakdown_suppression import (
    NOT_STATED,
    equations_bounds,
    suppress_percentage,
    suppress_period,
)

THRESHOLD = 5


def test_a_small_area_count_is_hidden_with_a_second_cell_so_the_total_cannot_give_it_away():
    published = suppress_period(40, {"locality": {"north": 37, "south": 3}})
    # "south" (3) is small; if only it were hidden, 40 − 37 would give it away.
    assert published.total == 40
    assert published.breakdowns["locality"] == {"north": None, "south": None}


def test_cells_that_fall_short_of_the_total_get_a_not_stated_line():
    published = suppress_period(50, {"sex": {"female": 20, "male": 22}})
    assert published.breakdowns["sex"] == {"female": 20, "male": 22, NOT_STATED: 8}


def test_a_small_not_stated_remainder_is_protected_like_any_cell():
    published = suppress_period(44, {"sex": {"female": 20, "male": 22}})
    assert published.breakdowns["sex"][NOT_STATED] is None
    assert sum(v is None for v in published.breakdowns["sex"].values()) >= 2


def test_a_small_total_hides_every_breakdown():
    published = suppress_period(4, {"sex": {"female": 0, "male": 4}, "age_band": {"10-15": 4}})
    assert published.total is None
    assert all(v is None for cells in published.breakdowns.values() for v in cells.values())


def test_cells_that_add_up_to_more_than_the_total_are_not_published():
    published = suppress_period(10, {"sex": {"female": 9, "male": 9}})
    assert published.breakdowns["sex"] == {"female": None, "male": None}


def test_nothing_is_hidden_when_nothing_is_small():
    published = suppress_period(120, {"sex": {"female": 60, "male": 60}})
    assert not published.hides_anything


def test_a_percentage_of_a_small_group_or_standing_for_few_children_is_hidden():
    assert suppress_percentage(50.0, 4) is None  # half of 4 children
    assert suppress_percentage(2.0, 100) is None  # 2 children
    assert suppress_percentage(0.0, 100) == 0.0
    assert suppress_percentage(20.0, 100) == 20.0
    assert suppress_percentage(12.5, None) == 12.5  # no denominator sent: nothing to check


def _attack(total: int, breakdowns: dict[str, dict[str, int]]):
    """Everything published for the period, as equations an outsider could solve."""
    published = suppress_period(total, breakdowns, THRESHOLD)
    truth = {"total": total}
    shown = {"total": published.total}
    equations = []
    for name, cells in published.breakdowns.items():
        coefficients: dict[str, int] = {}
        target = 0.0
        for label, value in cells.items():
            key = f"{name}:{label}"
            truth[key] = breakdowns[name].get(label, total - sum(breakdowns[name].values()))
            shown[key] = value
            if value is None:
                coefficients[key] = 1
            else:
                target -= value
        # cells − total = 0
        if published.total is None:
            coefficients["total"] = -1
        else:
            target += published.total
        equations.append((coefficients, target))
    unknowns = [key for key, value in shown.items() if value is None]
    return truth, shown, unknowns, equations


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 30), min_size=2, max_size=4),
    st.lists(st.integers(0, 30), min_size=2, max_size=3),
    st.integers(0, 12),
)
def test_no_hidden_small_count_can_be_recovered_from_everything_published(localities, sexes, extra):
    total = max(sum(localities), sum(sexes)) + extra
    breakdowns = {
        "locality": {f"area{i}": v for i, v in enumerate(localities)},
        "sex": {f"sex{i}": v for i, v in enumerate(sexes)},
    }
    truth, shown, unknowns, equations = _attack(total, breakdowns)
    if not unknowns:
        return
    bounds = equations_bounds(unknowns, equations)
    for key in unknowns:
        if 0 < truth[key] < THRESHOLD:
            low, high = bounds[key]
            assert high - low >= 1, f"{key}={truth[key]} pinned to [{low}, {high}] from {shown}"
    # And every small count is hidden in the first place.
    for key, value in truth.items():
        if 0 < value < THRESHOLD:
            assert shown[key] is None, key
