"""Dashboard figures checked against values worked out by hand and by scipy: changes,
rolling 12 months, rates per 10,000 children, the verdict on each change, targets;
and published figures hiding small numbers in every view."""

import datetime as dt

import pytest
from scipy import stats

from safeguarding.accounts.models import Area
from safeguarding.core.audit import SystemActor
from safeguarding.performance import returns, rules
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.figures import Selection, figures_as_selected
from safeguarding.performance.models import Indicator
from safeguarding.performance.services import indicator_update, population_set
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
HEADER = "indicator,period,breakdown,breakdown_value,value,denominator\n"


@pytest.fixture
def partnership(db):
    load_standard_set(actor=SYSTEM, priorities={})
    north = Area.objects.create(code="A1", name="Northtown")
    south = Area.objects.create(code="A2", name="Southtown")
    police = OrganisationFactory(code="police", kind="police", standing="statutory_partner")
    police.areas.set([north, south])
    council = OrganisationFactory(code="council", kind="local_authority", standing="statutory_partner")
    council.areas.set([north])
    for area, (children_2025, children_2026) in {north: (10_000, 10_200), south: (5_000, 5_000)}.items():
        population_set(area=area, year=2025, children=children_2025, actor=SYSTEM)
        population_set(area=area, year=2026, children=children_2026, actor=SYSTEM)
    return {"police": police, "council": council, "north": north, "south": south}


def _send(organisation, lines: list[str]):
    rows = returns.read_upload("r.csv", (HEADER + "\n".join(lines) + "\n").encode())
    returns.submit_return(
        organisation=organisation,
        rows=rows,
        file_name="r.csv",
        source="upload",
        actor=SYSTEM,
        submitted_by="test",
        now=NOW,
        confirm_unusual=True,
    )


def _da_incidents(partnership):
    # Quarterly totals 100, 110, 120, 130, 150, split between the two areas.
    for period, total, north in [
        ("2025-Q2", 100, 70),
        ("2025-Q3", 110, 80),
        ("2025-Q4", 120, 85),
        ("2026-Q1", 130, 90),
        ("2026-Q2", 150, 100),
    ]:
        _send(
            partnership["police"],
            [f"da-incidents,{period},,,{total},", f"da-incidents,{period},locality,A1,{north},"]
            + [f"da-incidents,{period},locality,A2,{total - north},"],
        )
    return Indicator.objects.get(code="da-incidents")


def test_partnership_figures_match_hand_worked_values_and_scipy(partnership):
    indicator = _da_incidents(partnership)
    (f,) = figures_as_selected([indicator], Selection())
    assert (f.latest.period, f.latest.value) == ("2026-Q2", 150)
    assert (f.change_from_previous, round(f.change_from_previous_percent, 2)) == (20, 15.38)
    assert (f.change_from_year_before, f.change_from_year_before_percent) == (50, 50)
    assert f.rolling_twelve_months == 110 + 120 + 130 + 150
    # The police serve both areas: 10,200 + 5,000 children in 2026/27.
    assert f.rate_per_10000 == pytest.approx(150 * 10_000 / 15_200)
    # Exact Poisson test allowing for the population: 15,000 children then, 15,200 now.
    expected = stats.binomtest(150, 250, 15_200 / 30_200).pvalue
    assert f.p_value == pytest.approx(expected)
    assert f.verdict == "a rise of 50%, more than normal variation"


def test_one_area_uses_its_own_cells_and_population(partnership):
    indicator = _da_incidents(partnership)
    (f,) = figures_as_selected([indicator], Selection(area=partnership["south"]))
    assert [p.value for p in f.series] == [30, 30, 35, 40, 50]
    assert f.rate_per_10000 == pytest.approx(50 * 10_000 / 5_000)
    assert f.p_value == pytest.approx(stats.binomtest(50, 80, 0.5).pvalue)
    assert f.verdict.startswith("a rise of 66.7%")


def test_a_breakdown_of_the_latest_period_lists_each_cell(partnership):
    indicator = _da_incidents(partnership)
    (f,) = figures_as_selected([indicator], Selection(breakdown="locality"))
    assert [(r.label, r.value) for r in f.breakdown_rows] == [("Northtown", 100), ("Southtown", 50)]
    (f,) = figures_as_selected([indicator], Selection(breakdown="sex"))
    assert f.breakdown_rows == [] and "Not sent by sex" in f.breakdown_note


def test_percentages_are_judged_with_the_two_proportion_test_and_a_wilson_interval(partnership):
    _send(partnership["council"], ["re-referrals-12m,2025-Q2,,,20,500"])
    _send(partnership["council"], ["re-referrals-12m,2026-Q2,,,25,520"])
    indicator = Indicator.objects.get(code="re-referrals-12m")
    indicator_update(indicator=indicator, actor=SYSTEM, target=22)
    (f,) = figures_as_selected([indicator], Selection())
    assert f.p_value == pytest.approx(rules.proportion_change_p_value(100, 500, 130, 520))
    interval = rules.wilson_interval(130, 520)
    assert (f.interval.low, f.interval.high) == pytest.approx((interval.low, interval.high))
    assert f.rolling_twelve_months is None and f.rate_per_10000 is None  # not counts
    assert f.against_target == "worse than the target (22)"  # lower is better


def test_a_percentage_without_denominators_says_why_it_is_not_tested(partnership):
    _send(partnership["council"], ["re-referrals-12m,2025-Q2,,,20,"])
    _send(partnership["council"], ["re-referrals-12m,2026-Q2,,,25,"])
    (f,) = figures_as_selected([Indicator.objects.get(code="re-referrals-12m")], Selection())
    assert f.p_value is None
    assert f.verdict == "a rise of 5 percentage points (no denominator sent to test it with)"


def test_targets_and_benchmarks_are_read_with_the_indicator_s_polarity():
    assert rules.compare_with_reference(90, 100, "higher_better", "target") == "worse than the target (100)"
    assert rules.compare_with_reference(90, 100, "lower_better", "target") == "better than the target (100)"
    assert rules.compare_with_reference(110, 100, "neutral", "benchmark") == "above the benchmark (100)"
    assert rules.compare_with_reference(22.4, 22.4, "lower_better", "benchmark") == "on the benchmark (22.4)"


def test_rolling_twelve_months_needs_every_quarter():
    values = {"2025-Q3": 1.0, "2025-Q4": 2.0, "2026-Q1": 3.0, "2026-Q2": 4.0}
    assert rules.rolling_twelve_months(values, "2026-Q2", "quarterly") == 10
    assert rules.rolling_twelve_months(values | {"2025-Q4": None}, "2026-Q2", "quarterly") is None
    assert rules.rolling_twelve_months({"2026-Q2": 4.0}, "2026-Q2", "quarterly") is None


def _mace(partnership):
    for period, total, ages, south in [
        ("2025-Q2", 20, (0, 6, 8, 6), 8),
        ("2025-Q3", 3, (0, 0, 3, 0), 1),
        ("2025-Q4", 25, (0, 5, 10, 10), 9),
        ("2026-Q1", 28, (0, 6, 12, 10), 10),
        ("2026-Q2", 30, (0, 2, 18, 10), 3),
    ]:
        lines = [f"mace-children-new,{period},,,{total},"]
        lines += [
            f"mace-children-new,{period},age_band,{band},{n},"
            for band, n in zip(["0-4", "5-9", "10-15", "16-17"], ages, strict=True)
        ]
        lines += [
            f"mace-children-new,{period},locality,A1,{total - south},",
            f"mace-children-new,{period},locality,A2,{south},",
        ]
        _send(partnership["police"], lines)
    return Indicator.objects.get(code="mace-children-new")


def test_published_figures_hide_small_counts_in_every_view(partnership):
    indicator = _mace(partnership)
    (true,) = figures_as_selected([indicator], Selection(breakdown="age_band"))
    assert not true.suppressed and true.rolling_twelve_months == 3 + 25 + 28 + 30

    (published,) = figures_as_selected([indicator], Selection(breakdown="age_band", published=True))
    assert published.latest.value == 30  # the total is large enough
    cells = {r.label: r.value for r in published.breakdown_rows}
    assert cells["5-9"] is None and cells["0-4"] == 0
    assert sum(v is None for v in cells.values()) >= 2  # 30 − the rest would give 5-9 away
    # 2025-Q3's total (3) is hidden, so the 12 months that include it are not published.
    assert [p.value for p in published.series][1] is None
    assert published.rolling_twelve_months is None

    # Southtown had 3 in the latest quarter: hidden in its own view, and Northtown's 27
    # is hidden too, or 30 − 27 would give it away.
    (south,) = figures_as_selected([indicator], Selection(area=partnership["south"], published=True))
    (north,) = figures_as_selected([indicator], Selection(area=partnership["north"], published=True))
    assert south.latest.value is None and north.latest.value is None
    assert south.change_from_previous is None and south.rate_per_10000 is None
    assert south.verdict == "numbers too small to publish a comparison"
    assert south.p_value is None


def test_non_count_units_are_not_summed_or_rated(partnership):
    _send(partnership["council"], ["cp-plans-repeat-2y,2026-Q2,,,18,"])
    (f,) = figures_as_selected([Indicator.objects.get(code="cp-plans-repeat-2y")], Selection())
    assert f.latest.value == 18 and f.rolling_twelve_months is None and f.rate_per_10000 is None
    assert f.verdict == "not enough data yet"


# Issue 14, item 4: the population is that of the organisations that sent the return --------


def test_a_neighbouring_council_of_standing_other_does_not_change_the_rate(partnership):
    """A neighbouring council (kind local_authority, standing other: its staff book
    training) serves an area of its own. Its children are not the senders' children."""
    east = Area.objects.create(code="B9", name="Easttown")
    neighbour = OrganisationFactory(code="neighbour", kind="local_authority", standing="other")
    neighbour.areas.set([east])
    _send(partnership["council"], ["referrals,2025-Q2,,,100,"])
    _send(partnership["council"], ["referrals,2026-Q2,,,119,"])
    indicator = Indicator.objects.get(code="referrals")

    # No population for Easttown: the rate must not go blank, nor the test go unadjusted.
    (f,) = figures_as_selected([indicator], Selection())
    assert f.rate_per_10000 == pytest.approx(119 * 10_000 / 10_200)  # Northtown's children only
    assert f.p_value == pytest.approx(stats.binomtest(119, 219, 10_200 / 20_200).pvalue)

    # Easttown's population recorded: it must not be added to the senders'.
    population_set(area=east, year=2025, children=3_400, actor=SYSTEM)
    (f,) = figures_as_selected([indicator], Selection())
    assert f.rate_per_10000 == pytest.approx(119 * 10_000 / 10_200)


def test_the_population_is_that_of_the_organisations_that_sent_the_figures(partnership):
    """Two councils of the partnership: a period only one of them sent is rated over its
    children alone."""
    south_council = OrganisationFactory(code="south-council", kind="local_authority", standing="statutory_partner")
    south_council.areas.set([partnership["south"]])
    _send(partnership["council"], ["referrals,2026-Q2,,,102,"])
    (f,) = figures_as_selected([Indicator.objects.get(code="referrals")], Selection())
    assert f.rate_per_10000 == pytest.approx(102 * 10_000 / 10_200)
    _send(south_council, ["referrals,2026-Q2,,,50,"])
    (f,) = figures_as_selected([Indicator.objects.get(code="referrals")], Selection())
    assert f.rate_per_10000 == pytest.approx(152 * 10_000 / 15_200)


# The selector pages read (issue 15, item 1): the reader decides true or published ----------


def test_a_reader_without_the_right_to_true_figures_gets_the_published_ones_whatever_they_ask(partnership):
    from django.contrib.auth.models import AnonymousUser

    from safeguarding.performance.selectors import indicator_figures
    from tests.conftest import make_persona

    indicator = _mace(partnership)
    asked = Selection(breakdown="age_band")  # true figures
    analyst, scrutiny = make_persona("analyst"), make_persona("scrutiny_member")
    (true,) = indicator_figures(user=analyst, indicators=[indicator], selection=asked)
    assert true.rolling_twelve_months == 3 + 25 + 28 + 30
    for reader in (scrutiny, AnonymousUser()):
        (shown,) = indicator_figures(user=reader, indicators=[indicator], selection=asked)
        assert shown.rolling_twelve_months is None  # 2025-Q3's 3 is hidden, so the 12 months are
        assert {r.label: r.value for r in shown.breakdown_rows}["5-9"] is None


def test_priorities_with_dashboards_are_listed_only_to_readers_of_the_performance_pages(partnership):
    from django.contrib.auth.models import AnonymousUser

    from safeguarding.governance.models import Priority
    from safeguarding.performance.selectors import priorities_with_indicators
    from tests.conftest import make_persona

    priority = Priority.objects.create(code="exploitation", title="Exploitation", started_on=dt.date(2026, 4, 1))
    Indicator.objects.filter(code="mace-children-new").update(priority=priority)
    assert list(priorities_with_indicators(user=make_persona("analyst"))) == [priority]
    assert list(priorities_with_indicators(user=AnonymousUser())) == []
    assert list(priorities_with_indicators(user=make_persona("training_coordinator"))) == []
