"""Issue 14, item 8: the verdict words. Percentage points for changes in percentages,
"p < 0.001" rather than "p = 0.000", a legend for the run chart's dashed line, periods
as people read them, and a reason in every blank cell."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.accounts.models import Area
from safeguarding.core.audit import SystemActor
from safeguarding.performance import presentation, returns, rules
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.figures import Selection, figures_as_selected
from safeguarding.performance.models import Indicator
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


def test_a_change_in_a_percentage_is_in_percentage_points(council):
    assert (
        rules.change_in_words(20, 22.5, 0.5, points=True) == "a rise of 2.5 percentage points, within normal variation"
    )
    assert rules.change_in_words(21, 20, 0.5, points=True) == "a fall of 1 percentage point, within normal variation"
    _send(council, "re-referrals-12m,2025-Q2,,,20,500")
    _send(council, "re-referrals-12m,2026-Q2,,,25,520")
    (f,) = figures_as_selected([Indicator.objects.get(code="re-referrals-12m")], Selection())
    assert f.verdict.startswith("a rise of 5 percentage points, ")
    assert "%" not in f.verdict


def test_a_tiny_p_value_reads_p_below_0_001_never_p_equals_0_000(council, client):
    assert presentation.p_text(0.00004) == "p < 0.001"
    assert presentation.p_text(0.0067) == "p = 0.007"
    _send(council, "referrals,2025-Q2,,,100,")
    _send(council, "referrals,2026-Q2,,,300,")
    sign_in(client, make_persona("analyst"))
    page = client.get(reverse("performance:indicator", kwargs={"code": "referrals"})).content.decode()
    assert "p &lt; 0.001" in page and "p = 0.000" not in page


def test_the_run_chart_s_dashed_line_has_a_legend(council):
    for period, value in {"2025-Q2": 100, "2025-Q3": 110, "2025-Q4": 120}.items():
        _send(council, f"referrals,{period},,,{value},")
    (f,) = figures_as_selected([Indicator.objects.get(code="referrals")], Selection())
    chart = presentation.run_chart(f)
    assert "Median (110)" in chart.svg and "Referrals to children" in chart.svg  # the legend's entries
    assert 'stroke-dasharray="4,4"' in chart.svg or "4,4" in chart.svg
    assert chart.rows[0] == ["July to September 2025", "100"]
    assert "Jul to Sep 2025" in chart.svg  # the axis, short


def test_periods_read_as_people_say_them(council, client):
    assert rules.period_label("2025-Q2", "quarterly") == "July to September 2025"
    assert rules.period_label("2025-Q4", "quarterly") == "January to March 2026"
    assert rules.period_label("2026-04", "monthly") == "April 2026"
    assert rules.period_label("2026", "yearly") == "April 2026 to March 2027"
    assert rules.periods_label("2024-Q3", "2025-Q2", "quarterly") == "October 2024 to September 2025"
    _send(council, "referrals,2025-Q2,,,100,")
    sign_in(client, make_persona("analyst"))
    page = client.get(reverse("performance:overview")).content.decode()
    assert "July to September 2025" in page and "2025-Q2" not in page.split("Returns from the statutory")[0]


def test_each_blank_cell_says_why(council):
    _send(council, "referrals,2026-Q2,,,3,")  # no population, no quarter before, small
    _send(council, "exclusions,2025,,,12,")
    indicators = Indicator.objects.filter(code__in=["referrals", "re-referrals-12m", "exclusions"])
    by_code = {f.indicator.code: f for f in figures_as_selected(indicators, Selection())}
    t = presentation.figure_texts(by_code["referrals"], today=dt.date(2026, 11, 1))
    assert t.rate == "no child population recorded for the area and year"
    assert t.since_previous == "no figure for April to June 2026"
    assert t.twelve_months == "not available: 3 of the 4 quarters not sent"
    assert t.year_before == "July to September 2025: no figure sent"
    assert t.against == "none set"
    # October to December 2026 has not ended on 1 November: nothing to say yet; on
    # 10 January 2027 it has ended and its return is not yet due.
    assert t.next_return == ""
    later = presentation.figure_texts(by_code["referrals"], today=dt.date(2027, 1, 10))
    assert later.next_return.startswith("October to December 2026: not yet due (due ")
    overdue = presentation.figure_texts(by_code["referrals"], today=dt.date(2027, 3, 1))
    assert overdue.next_return.startswith("October to December 2026: not received (was due ")

    t = presentation.figure_texts(by_code["re-referrals-12m"])
    assert t.latest == "No returns yet" and t.rate == "not applicable: not a count"

    (published,) = figures_as_selected([Indicator.objects.get(code="referrals")], Selection(published=True))
    t = presentation.figure_texts(published)
    assert t.latest == "hidden: fewer than 5, or would reveal one"
    assert t.rate == "hidden: would reveal a small number"
