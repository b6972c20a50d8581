"""Performance's chapters of the annual report (local context, data and performance) and
the committee's question 7.

The indicators are read exactly as the "Published figures" page reads them
(``figures_as_selected`` with a published ``Selection``: small numbers hidden across every
view of a period), as they stood at the end of the reporting year, so the report can
show nothing that page would hide."""

from __future__ import annotations

import dataclasses

from django.urls import reverse

from safeguarding.core.charts import horizontal_bars
from safeguarding.core.report_sections import (
    ORDER,
    QUESTIONS,
    SUPPRESSED,
    Chart,
    Figure,
    ReportSection,
    ScrutinyQuestion,
    SectionContent,
    Window,
    chart_data,
    register_change_feed,
    register_question,
    register_section,
)
from safeguarding.core.tables import Table
from safeguarding.core.years import financial_year_start
from safeguarding.performance import presentation, rules, selectors
from safeguarding.performance.figures import IndicatorFigures, Selection, figures_as_selected
from safeguarding.performance.models import DataReturn, Indicator

U = Indicator.Unit
UNITS = {U.COUNT: "count", U.RATE: "rate", U.PERCENTAGE: "percent", U.DAYS: "days"}


def financial_year(window: Window) -> int:
    """The financial year (starting 1 April) the window starts in."""
    return financial_year_start(window.start)


# Local context ----------------------------------------------------------------------------


def _children_by_area(year: int) -> list[tuple[str, int | None, int | None]]:
    """(area, children 0–17, the estimate's year) with the latest estimate not after
    ``year``, as the figures use it."""
    _years, rows = selectors.population_table()
    result = []
    for _code, name, by_year in rows:
        known = [y for y in by_year if y <= year]
        estimate = max(known) if known else None
        result.append((name, by_year[estimate] if estimate else None, estimate))
    return result


def context(window: Window) -> SectionContent:
    year = financial_year(window)
    now, before = _children_by_area(year), _children_by_area(year - 1)
    counted = [(name, children) for name, children, _ in now if children is not None]
    total = sum(children for _, children in counted)
    total_before = sum(children for _, children, _ in before if children is not None)
    figure = Figure(
        "children",
        "Children aged 0 to 17",
        total if counted else None,
        total_before or None,
        source=reverse("performance:populations"),
        explanation=f"The mid-year estimates of children aged 0 to 17 in each area of the partnership, the latest "
        f"for the year starting April {year}, as the analyst recorded them; the rates per 10,000 children use them.",
    )
    earlier = {name: children for name, children, _ in before}
    table = Table(
        "Children aged 0 to 17 by area",
        ["Area", "Children", "Estimate for", "Year before"],
        [
            [name, children if children is not None else "no estimate", estimate or "", earlier.get(name) or ""]
            for name, children, estimate in now
        ],
    )
    charts = []
    if counted:
        charts.append(
            chart_data(
                horizontal_bars(
                    title="Children aged 0 to 17 by area",
                    rows=[{"Area": name, "Children": children} for name, children in counted],
                    category="Area",
                    value="Children",
                    category_title="Area",
                    value_title="Children aged 0 to 17",
                    value_format=",d",
                    alt_text="Bar chart of children aged 0 to 17 by area: "
                    + ", ".join(f"{name} {children:,}" for name, children in counted)
                    + ".",
                )
            )
        )
    return SectionContent(figures=[figure], tables=[table], charts=charts)


# Data and performance ---------------------------------------------------------------------


def _value(value: float | None, unit: str):
    """A published value as the report stores it: hidden ones "[c]", percentages as
    fractions (the report's unit), counts as whole numbers."""
    if value is None:
        return SUPPRESSED
    if unit == U.PERCENTAGE:
        return value / 100
    return int(value) if unit == U.COUNT and float(value).is_integer() else value


def _text(value: float | None, unit: str, threshold: int) -> str:
    return SUPPRESSED if value is None else presentation.value_text(value, unit, threshold)


def _in_window(f: IndicatorFigures, window: Window) -> bool:
    return f.latest is not None and rules.period_bounds(f.latest.period, f.indicator.frequency)[1] >= window.start


def _figure(f: IndicatorFigures, source: str) -> Figure:
    i, latest, before = f.indicator, f.latest, f.year_before
    return Figure(
        i.code,
        f"{i.title} ({presentation.period_text(latest.period, i.frequency)})",
        _value(latest.value, i.unit),
        _value(before.value, i.unit) if before else None,
        unit=UNITS.get(i.unit, "count"),
        source=source,
        explanation=f"{i.definition} From the partners' data returns for "
        f"{presentation.period_text(latest.period, i.frequency)}, the latest "
        f"{i.get_frequency_display().lower()} period in the year, against the same period a year before: {f.verdict}. "
        "Small numbers are hidden as in every published figure.",
    )


HIDDEN_CHANGE = "hidden: would reveal a small number"


def _change_from_year_before(f: IndicatorFigures) -> str:
    if f.change_from_year_before is not None:
        return presentation.change_text(f.change_from_year_before, f.change_from_year_before_percent, f.indicator.unit)
    if f.year_before is None:
        return "no figure a year before"
    return HIDDEN_CHANGE


def _row(f: IndicatorFigures) -> list:
    """Every cell says something: a figure, or why there is none."""
    i, threshold = f.indicator, f.selection.threshold
    texts = presentation.figure_texts(f)
    return [
        i.title,
        presentation.period_text(f.latest.period, i.frequency),
        _text(f.latest.value, i.unit, threshold),
        _text(f.year_before.value, i.unit, threshold) if f.year_before else "no figure sent",
        _change_from_year_before(f),
        texts.rate,
        texts.verdict,
        f.against_target or "no target set",
        f.against_benchmark or "no benchmark set",
    ]


# Question 7: the year against the year before ----------------------------------------------


def year_on_year(window: Window) -> list[IndicatorFigures]:
    """The committee's question 7 ("a 20% increase" in children at MACE, "a 6% increase"
    in domestic abuse: whole years against whole years). Each published count of events
    whose latest period is in the window: the 12 months to the window's end against the
    12 before, as the "Published figures" page shows them (``figures.year_on_year``:
    the totals, the change, and the exact Poisson test over the child population).
    Counts of children at a date (children in need) are left out: their quarter-ends
    are not added up. The reports app may call this for the annual report and the
    evidence pack; ``data`` already includes it."""
    figures = figures_as_selected(selectors.published_indicators(), Selection(published=True, until=window.end))
    return _with_year_on_year(figures, window)


def _with_year_on_year(figures: list[IndicatorFigures], window: Window) -> list[IndicatorFigures]:
    return [f for f in figures if f.year_on_year is not None and _in_window(f, window)]


def _year_on_year_row(f: IndicatorFigures) -> list:
    y, frequency = f.year_on_year, f.indicator.frequency
    hidden = y.verdict == "numbers too small to publish a comparison"
    missing = SUPPRESSED if hidden else "not every period sent"
    verdict, _note = presentation.year_on_year_text(y, frequency)
    return [
        f.indicator.title,
        rules.periods_label(y.first, y.last, frequency),
        missing if y.count is None else f"{y.count:,.0f}",
        missing if y.count_before is None else f"{y.count_before:,.0f}",
        presentation.change_text(y.change, y.change_percent, f.indicator.unit, HIDDEN_CHANGE if hidden else ""),
        verdict,
    ]


def year_on_year_table(figures: list[IndicatorFigures]) -> Table:
    return Table(
        "Counts over the year: the 12 months against the 12 before",
        [
            "Indicator",
            "12 months",
            "Count",
            "The 12 months before",
            "Change",
            "Is the change more than noise? (exact test, adjusted for population)",
        ],
        [_year_on_year_row(f) for f in figures],
    )


def _year_on_year_figure(f: IndicatorFigures, source: str) -> Figure:
    y, i = f.year_on_year, f.indicator
    months = rules.periods_label(y.first, y.last, i.frequency)
    before = rules.periods_label(y.first_before, y.last_before, i.frequency)
    hidden = y.verdict == "numbers too small to publish a comparison"
    value = (SUPPRESSED if hidden else None) if y.count is None else _value(y.count, i.unit)
    previous = (SUPPRESSED if hidden else None) if y.count_before is None else _value(y.count_before, i.unit)
    verdict, _note = presentation.year_on_year_text(y, i.frequency)
    return Figure(
        f"{i.code}-12-months",
        f"{i.title} ({months})",
        value,
        previous,
        source=source,
        explanation=f"{i.definition} The partners' returns for {months} added up, against {before}: {verdict}. "
        "The exact test compares the two totals allowing for the number of children in each year; a year with "
        "a period hidden or not sent is not compared.",
    )


def _run_chart(f: IndicatorFigures) -> Chart | None:
    """The last two years' run chart, its table saying "[c]" where a value is hidden."""
    recent = dataclasses.replace(f, series=f.series[-2 * rules.PERIODS_PER_YEAR[f.indicator.frequency] :])
    chart = presentation.run_chart(recent)
    if chart is None:
        return None
    i, threshold = f.indicator, f.selection.threshold
    rows = [[presentation.period_text(p.period, i.frequency), _text(p.value, i.unit, threshold)] for p in recent.series]
    return dataclasses.replace(chart_data(chart), rows=rows)


def data(window: Window) -> SectionContent:
    figures = figures_as_selected(selectors.published_indicators(), Selection(published=True, until=window.end))
    yearly = _with_year_on_year(figures, window)
    source = f"{reverse('performance:published')}?{window.query}"
    shown = [f for f in figures if _in_window(f, window)]
    charts = [chart for chart in map(_run_chart, shown) if chart is not None]
    missing = [f.indicator.title for f in figures if not _in_window(f, window)]
    notes = [
        f"{SUPPRESSED}: a count from 1 to {Selection().threshold - 1}, or a figure hidden so that one cannot be "
        "worked out from the others.",
        *([f"No figures sent for this year: {', '.join(missing)}."] if missing else []),
    ]
    tables = [
        Table(
            "Indicators: the year's last period against the same period a year before",
            [
                "Indicator",
                "Period",
                "Value",
                "Same period a year before",
                "Change",
                "Rate per 10,000 children",
                "Is the change more than noise?",
                "Against target",
                "Against benchmark",
            ],
            [_row(f) for f in shown],
        ),  # fmt: skip
        year_on_year_table(yearly),
        Table("Notes", ["Note"], [[note] for note in notes]),
    ]
    return SectionContent(
        figures=[_figure(f, source) for f in shown] + [_year_on_year_figure(f, source) for f in yearly],
        tables=tables,
        charts=charts,
    )


register_section(
    ReportSection(
        "context",
        "Local context",
        ORDER["context"],
        "The area the partnership serves: its children (by area, from the population estimates), and what "
        "changed locally in the year.",
        context,
    )
)
register_section(
    ReportSection(
        "data",
        "Data and performance",
        ORDER["data"],
        "What the multi-agency data show against the year before, whether each change is more than noise, and "
        "what the partners learned from it and did.",
        data,
    )
)
register_question(ScrutinyQuestion(7, QUESTIONS[7][0], data))


def returns_received_since(when) -> list[str]:
    """Returns sent after the report's figures were built: the figures do not hold them."""
    received = DataReturn.objects.filter(submitted_at__gt=when).select_related("organisation")
    count = received.count()
    if not count:
        return []
    latest = received.order_by("-submitted_at").first()
    what = "1 performance return was" if count == 1 else f"{count:,} performance returns were"
    return [
        f"{what} received since the figures were built, the latest from {latest.organisation.name} for {latest.period}."
    ]


register_change_feed("performance", returns_received_since)
