"""Performance's chapters of the annual report (local context, data and performance) and
the committee's question 7.

The indicators are read exactly as the "Published figures" page reads them
(``compute_figures`` with a published ``Selection``: small numbers hidden across every
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
    ChartData,
    Figure,
    ReportSection,
    ScrutinyQuestion,
    SectionContent,
    Table,
    Window,
    chart_data,
    register_question,
    register_section,
)
from safeguarding.performance import presentation, rules, selectors
from safeguarding.performance.figures import IndicatorFigures, Selection, compute_figures
from safeguarding.performance.models import Indicator

U = Indicator.Unit
UNITS = {U.COUNT: "count", U.RATE: "rate", U.PERCENTAGE: "percent", U.DAYS: "days"}


def financial_year(window: Window) -> int:
    """The financial year (starting 1 April) the window starts in."""
    return window.start.year if window.start.month >= 4 else window.start.year - 1


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
        f"{i.title} ({latest.period})",
        _value(latest.value, i.unit),
        _value(before.value, i.unit) if before else None,
        unit=UNITS.get(i.unit, "count"),
        source=source,
        explanation=f"{i.definition} From the partners' data returns for {latest.period}, the latest "
        f"{i.get_frequency_display().lower()} period in the year, against the same period a year before: {f.verdict}. "
        "Small numbers are hidden as in every published figure.",
    )


def _row(f: IndicatorFigures) -> list:
    i, threshold = f.indicator, f.selection.threshold
    return [
        i.title,
        f.latest.period,
        _text(f.latest.value, i.unit, threshold),
        _text(f.year_before.value, i.unit, threshold) if f.year_before else "no figure",
        presentation.change_text(f.change_from_year_before, f.change_from_year_before_percent, i.unit),
        "" if f.rate_per_10000 is None else round(f.rate_per_10000, 1),
        f.verdict,
        f.against_target,
        f.against_benchmark,
    ]


def _run_chart(f: IndicatorFigures) -> ChartData | None:
    """The last two years' run chart, its table saying "[c]" where a value is hidden."""
    recent = dataclasses.replace(f, series=f.series[-2 * rules.PERIODS_PER_YEAR[f.indicator.frequency] :])
    chart = presentation.run_chart(recent)
    if chart is None:
        return None
    data = chart_data(chart)
    data.rows = [[p.period, _text(p.value, f.indicator.unit, f.selection.threshold)] for p in recent.series]
    return data


def data(window: Window) -> SectionContent:
    figures = compute_figures(selectors.published_indicators(), Selection(published=True, until=window.end))
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
        Table("Notes", ["Note"], [[note] for note in notes]),
    ]
    return SectionContent(figures=[_figure(f, source) for f in shown], tables=tables, charts=charts)


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
