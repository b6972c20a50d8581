"""Issue 14, items 2 and 3: what 12 months mean. A count of events (referrals) adds up
over the year; a count of children at a date (children in need) never does. And the
committee's question, a whole year against the year before, with the exact Poisson
test allowing for the child population, checked against hand-worked numbers."""

import datetime as dt
import math

import pytest
from django.urls import reverse

from safeguarding.accounts.models import Area
from safeguarding.core.audit import SystemActor
from safeguarding.core.datapackage import PackageError, import_files, parse_csv
from safeguarding.performance import presentation, returns, rules
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.figures import Selection, figures_as_selected
from safeguarding.performance.models import Indicator
from safeguarding.performance.services import population_set
from tests.conftest import make_persona, sign_in
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
HEADER = "indicator,period,breakdown,breakdown_value,value,denominator\n"


@pytest.fixture
def council(db):
    load_standard_set(actor=SYSTEM, priorities={})
    north = Area.objects.create(code="A1", name="Northtown")
    council = OrganisationFactory(code="council", kind="local_authority", standing="statutory_partner")
    council.areas.set([north])
    return council


def _send(organisation, line: str):
    returns.submit_return(
        organisation=organisation,
        rows=returns.read_upload("r.csv", (HEADER + line + "\n").encode()),
        file_name="r.csv",
        source="upload",
        actor=SYSTEM,
        submitted_by="test",
        now=dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC),
        confirm_unusual=True,
    )


# Item 2: a stock is never summed ------------------------------------------------------------

CHILDREN_IN_NEED = {"2025-Q2": 2050, "2025-Q3": 2070, "2025-Q4": 2080, "2026-Q1": 2083}  # adds up to 8,283


def test_the_catalogue_says_which_standard_indicators_are_stocks(council):
    stocks = set(Indicator.objects.filter(measure="stock").values_list("code", flat=True))
    assert stocks == {"children-in-need", "children-looked-after"}
    assert Indicator.objects.get(code="referrals").measure == "events"


def test_children_in_need_over_12_months_is_the_average_of_the_quarter_ends_never_their_sum(council, client):
    for period, value in CHILDREN_IN_NEED.items():
        _send(council, f"children-in-need,{period},,,{value},")
    indicator = Indicator.objects.get(code="children-in-need")
    (f,) = figures_as_selected([indicator], Selection())
    assert f.rolling_twelve_months is None
    assert f.twelve_months_average == pytest.approx(8283 / 4)
    assert f.year_on_year is None  # the exact test of events does not apply to snapshots
    texts = presentation.figure_texts(f)
    assert texts.twelve_months == "2,071" and texts.twelve_months_note.startswith("average of 4 quarter-end counts")

    sign_in(client, make_persona("analyst"))
    for url in (reverse("performance:overview"), reverse("performance:published")):
        page = client.get(url).content.decode()
        assert "8,283" not in page and "average of 4 quarter-end counts" in page
    page = client.get(reverse("performance:indicator", kwargs={"code": "children-in-need"})).content.decode()
    assert "8,283" not in page and "2,071 (average of 4 quarter-end counts" in page
    rows = presentation.download_tables([f], Selection())[0]
    row = dict(zip(rows.columns, rows.rows[0], strict=True))
    assert row["rolling_12_months"] == "" and row["twelve_months_average"] == 2070.8
    assert row["measure"] == "stock"


def test_referrals_over_12_months_are_a_total(council):
    for period, value in CHILDREN_IN_NEED.items():
        _send(council, f"referrals,{period},,,{value},")
    (f,) = figures_as_selected([Indicator.objects.get(code="referrals")], Selection())
    assert f.rolling_twelve_months == 8283 and f.twelve_months_average is None
    assert presentation.figure_texts(f).twelve_months_note == "total of 4 quarters"


INDICATORS = "code,title,definition,unit,owner_kind,frequency,polarity\n"


def test_the_data_package_carries_the_measure_and_an_old_package_keeps_it(council):
    # An old package (no measure column) keeps what is stored, and a new standard code
    # takes the catalogue's.
    Indicator.objects.filter(code="children-in-need").delete()
    old = INDICATORS + (
        "children-in-need,Children in need,At the period's end.,count,local_authority,quarterly,neutral\n"
        "referrals,Referrals,Contacts that became referrals.,count,local_authority,quarterly,neutral\n"
        "lado,LADO referrals,Allegations referred.,count,local_authority,quarterly,neutral\n"
    )
    import_files({"indicators.csv": parse_csv("indicators.csv", old.encode())}, actor=SYSTEM)
    measures = dict(Indicator.objects.values_list("code", "measure"))
    assert (measures["children-in-need"], measures["referrals"], measures["lado"]) == ("stock", "events", "events")

    Indicator.objects.filter(code="lado").update(measure="stock")
    import_files({"indicators.csv": parse_csv("indicators.csv", old.encode())}, actor=SYSTEM)
    assert Indicator.objects.get(code="lado").measure == "stock"  # not reset by an old package

    new = INDICATORS.replace("unit,", "unit,measure,") + (
        "lado,LADO referrals,Allegations referred.,count,events,local_authority,quarterly,neutral\n"
    )
    import_files({"indicators.csv": parse_csv("indicators.csv", new.encode())}, actor=SYSTEM)
    assert Indicator.objects.get(code="lado").measure == "events"

    bad = new.replace(",events,", ",snapshot,")
    with pytest.raises(PackageError) as error:
        import_files({"indicators.csv": parse_csv("indicators.csv", bad.encode())}, actor=SYSTEM)
    assert error.value.errors[0].startswith("indicators.csv, row 2, column measure:")


# Item 3: the year against the year before ---------------------------------------------------


def _binomial_two_sided_p(k: int, n: int, share: float) -> float:
    """The exact two-sided binomial p-value worked by hand, in logs: the probability of
    every outcome no more likely than the one seen (scipy's binomtest, 'two-sided')."""

    def log_pmf(i: int) -> float:
        return (
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + i * math.log(share)
            + (n - i) * math.log(1 - share)
        )

    seen = log_pmf(k)
    return min(1.0, sum(math.exp(log_pmf(i)) for i in range(n + 1) if log_pmf(i) <= seen + 1e-7))


def test_the_hand_worked_check_referrals_4006_then_4304_is_more_than_normal_variation():
    """Given 8,310 referrals over the two years, the later year's count is binomial with
    the later year's share of the child population (person-time) if nothing changed.

    Over equal populations the share is 1/2 and p = 0.0011 (z = 149 / 45.6 = 3.3), not
    the 0.0067 of the user test: that p is the test over a population 1.2% larger in
    the later year (15,000 then 15,185 children), share 15,185 / 30,185."""
    assert round(rules.percent_change(4006, 4304), 1) == 7.4
    equal = _binomial_two_sided_p(4304, 4006 + 4304, 0.5)
    assert equal == pytest.approx(0.00112, abs=0.00001)
    assert rules.poisson_change_p_value(4006, 4304, 15_000, 15_000) == pytest.approx(equal, rel=1e-6)
    grown = _binomial_two_sided_p(4304, 4006 + 4304, 15_185 / 30_185)
    assert grown == pytest.approx(0.0067, abs=0.0001)
    assert rules.poisson_change_p_value(4006, 4304, 15_000, 15_185) == pytest.approx(grown, rel=1e-6)
    for p_value in (equal, grown):
        assert rules.change_in_words(4006, 4304, p_value) == "a rise of 7.4%, more than normal variation"


# The year 2024/25 and 2025/26, quarter by quarter: 4,006 then 4,304 referrals.
YEAR_BEFORE = {"2024-Q1": 1000, "2024-Q2": 1010, "2024-Q3": 990, "2024-Q4": 1006}
YEAR = {"2025-Q1": 1070, "2025-Q2": 1080, "2025-Q3": 1075, "2025-Q4": 1079}


def _two_years(council, populations=(15_000, 15_185)):
    for period, value in (YEAR_BEFORE | YEAR).items():
        _send(council, f"referrals,{period},,,{value},")
    for year, children in zip((2024, 2025), populations, strict=True):
        population_set(area=Area.objects.get(code="A1"), year=year, children=children, actor=SYSTEM)
    return Indicator.objects.get(code="referrals")


def test_the_year_on_year_comparison_of_referrals_matches_the_hand_worked_numbers(council, client):
    indicator = _two_years(council)
    (f,) = figures_as_selected([indicator], Selection())
    y = f.year_on_year
    assert (y.first, y.last, y.first_before, y.last_before) == ("2025-Q1", "2025-Q4", "2024-Q1", "2024-Q4")
    assert (y.count, y.count_before) == (4304, 4006)
    assert round(y.change_percent, 1) == 7.4 and y.adjusted_for_population
    assert y.p_value == pytest.approx(_binomial_two_sided_p(4304, 8310, 15_185 / 30_185), rel=1e-6)
    assert y.verdict == "a rise of 7.4%, more than normal variation"
    # The quarter against the same quarter (1,079 against 1,006) alone says otherwise.
    assert f.verdict.endswith("within normal variation")

    text, note = presentation.year_on_year_text(y, "quarterly")
    assert text == "a rise of 7.4%, more than normal variation (p = 0.007)"
    assert note == "April 2025 to March 2026: 4,304; April 2024 to March 2025: 4,006"
    sign_in(client, make_persona("analyst"))
    for url in (reverse("performance:overview"), reverse("performance:published")):
        assert "A rise of 7.4%, more than normal variation (p = 0.007)" in client.get(url).content.decode()
    table = presentation.download_tables([f], Selection())[0]
    row = dict(zip(table.columns, table.rows[0], strict=True))
    assert (row["year_on_year_value"], row["year_on_year_value_before"]) == (4304, 4006)
    assert row["year_on_year_months"] == "April 2025 to March 2026"
    assert row["year_on_year_p_value"] == pytest.approx(0.0067, abs=0.0002)


def test_the_year_on_year_test_allows_for_a_growing_population(council):
    indicator = _two_years(council, populations=(15_000, 16_000))
    (f,) = figures_as_selected([indicator], Selection())
    # Person-time: four quarters of 15,000 children, then four of 16,000.
    share = 4 * 16_000 / (4 * 15_000 + 4 * 16_000)
    assert f.year_on_year.adjusted_for_population
    assert f.year_on_year.p_value == pytest.approx(_binomial_two_sided_p(4304, 8310, share), rel=1e-6)
    assert f.year_on_year.verdict == "a rise of 7.4%, within normal variation"


def test_the_reporting_year_is_compared_as_it_stood_at_the_year_s_end(council):
    indicator = _two_years(council)
    _send(council, "referrals,2026-Q1,,,2000,")  # after the year
    (f,) = figures_as_selected([indicator], Selection(published=True, until=dt.date(2026, 3, 31)))
    assert (f.year_on_year.count, f.year_on_year.count_before) == (4304, 4006)


def test_a_year_with_a_quarter_missing_or_hidden_is_not_compared(council):
    for period, value in (YEAR_BEFORE | YEAR).items():
        if period != "2024-Q3":
            _send(council, f"referrals,{period},,,{value},")
    (f,) = figures_as_selected([Indicator.objects.get(code="referrals")], Selection())
    assert f.year_on_year.count is None and f.year_on_year.p_value is None
    assert f.year_on_year.verdict == "not enough data yet: 1 of the 8 periods not sent"
    _send(council, "referrals,2024-Q3,,,3,")  # a small count: hidden when published
    (f,) = figures_as_selected([Indicator.objects.get(code="referrals")], Selection(published=True))
    assert f.year_on_year.count is None and f.year_on_year.verdict == "numbers too small to publish a comparison"


def test_question_7_and_the_annual_report_give_the_year_against_the_year_before(council):
    from safeguarding.core.report_sections import Window
    from safeguarding.performance import report

    _two_years(council)
    window = Window(dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    (f,) = report.year_on_year(window)
    assert (f.indicator.code, f.year_on_year.count, f.year_on_year.count_before) == ("referrals", 4304, 4006)
    content = report.data(window)
    table = next(t for t in content.tables if t.caption.startswith("Counts over the year"))
    assert table.rows == [
        [
            "Referrals to children's social care",
            "April 2025 to March 2026",
            "4,304",
            "4,006",
            "+298 (+7.4%)",
            "a rise of 7.4%, more than normal variation (p = 0.007)",
        ]
    ]
    figure = next(x for x in content.figures if x.key == "referrals-12-months")
    assert (figure.value, figure.previous) == (4304, 4006)
