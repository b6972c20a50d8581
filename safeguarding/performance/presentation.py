"""How performance figures read: on the page, in a run chart with its table, and in
CSV/XLSX downloads (where a hidden count is written "[c]", the statistical
convention, with a note).

Every cell of the dashboards says something: a figure, or why there is none ("not
yet due", "hidden: fewer than 5, or would reveal one", "no child population
recorded"). Periods read as people say them ("July to September 2025"); a change in
a percentage is in percentage points; p-values below 0.001 read "p < 0.001"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from safeguarding.core.charts import Chart, render_svg
from safeguarding.core.tables import Table
from safeguarding.core.years import financial_year_start
from safeguarding.performance import rules
from safeguarding.performance.figures import BREAKDOWN_LABELS, IndicatorFigures, Selection, YearOnYear
from safeguarding.performance.models import Indicator

HIDDEN_IN_DOWNLOADS = "[c]"
NOT_A_COUNT = "not applicable: not a count"


def hidden_text(threshold: int) -> str:
    """A hidden figure, whether small itself or hidden so that a small one cannot be
    worked out (saying which would give the small one away)."""
    return f"hidden: fewer than {threshold}, or would reveal one"


def p_text(p_value: float | None) -> str:
    """ "p = 0.007"; "p < 0.001" rather than a misleading "p = 0.000"."""
    if p_value is None:
        return ""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def period_text(code: str, frequency: str) -> str:
    """A period as people read it: "July to September 2025", not "2025-Q2"."""
    return rules.period_label(code, frequency)


def value_text(value: float | None, unit: str, threshold: int) -> str:
    """A figure as the page shows it; a hidden one says so without giving it away."""
    if value is None:
        return hidden_text(threshold)
    if unit == Indicator.Unit.PERCENTAGE:
        return f"{value:,.1f}%"
    if unit == Indicator.Unit.COUNT:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def change_text(change: float | None, percent: float | None, unit: str, missing: str = "Not available") -> str:
    """A change as the page shows it; ``missing`` says why there is none."""
    if change is None:
        return missing
    if unit == Indicator.Unit.PERCENTAGE:
        return f"{change:+,.1f} percentage points"
    amount = f"{change:+,.0f}" if unit == Indicator.Unit.COUNT else f"{change:+,.1f}"
    if percent is None:
        return amount
    shown = f"{percent:+,.1f}"
    return f"{amount} ({shown[:-2] if shown.endswith('.0') else shown}%)"


@dataclass(frozen=True)
class FigureTexts:
    """One indicator's row of a dashboard, each cell in words: a figure, or the reason
    there is none."""

    latest: str
    latest_period: str
    next_return: str  # the period after the latest: "not yet due", or not received
    rate: str
    since_previous: str
    twelve_months: str
    twelve_months_note: str  # "total" or "average of 4 quarter-end counts"
    year_before: str  # the same period a year before, as a hint under the verdict
    verdict: str
    year_on_year: str
    year_on_year_note: str
    against: str


def _reference_text(f: IndicatorFigures) -> str:
    parts = [text for text in (f.against_target, f.against_benchmark) if text]
    if parts:
        return "; ".join(parts)
    if f.latest is not None and f.latest.value is None and (f.indicator.target or f.indicator.benchmark):
        return "hidden: the latest figure is hidden"
    return "none set"


def _rate_text(f: IndicatorFigures) -> str:
    if f.rate_per_10000 is not None:
        return f"{f.rate_per_10000:,.1f}"
    if not f.is_count:
        return NOT_A_COUNT
    if f.latest is None:
        return "no returns yet"
    if f.latest.value is None:
        return "hidden: would reveal a small number"
    return "no child population recorded for the area and year"


def _since_previous_text(f: IndicatorFigures) -> str:
    i = f.indicator
    if f.latest is None:
        return "no returns yet"
    if f.change_from_previous is not None:
        return change_text(f.change_from_previous, f.change_from_previous_percent, i.unit)
    previous = rules.previous_period(f.latest.period, i.frequency)
    if f.previous is None:
        return f"no figure for {period_text(previous, i.frequency)}"
    return "hidden: would reveal a small number"


def _twelve_months_texts(f: IndicatorFigures) -> tuple[str, str]:
    i = f.indicator
    if not f.is_count:
        return NOT_A_COUNT, ""
    if f.latest is None:
        return "no returns yet", ""
    n = rules.PERIODS_PER_YEAR[i.frequency]
    unit = {"quarterly": "quarter", "monthly": "month", "yearly": "year"}[i.frequency]
    value = f.twelve_months_average if f.is_stock else f.rolling_twelve_months
    if value is not None:
        if f.is_stock:
            return f"{value:,.0f}", f"average of {n} {unit}-end counts, not a total (children at a date)"
        return f"{value:,.0f}", f"total of {n} {unit}s" if n > 1 else "total"
    shown = {p.period for p in f.series}
    period, missing = f.latest.period, 0
    for _ in range(n):
        missing += period not in shown
        period = rules.previous_period(period, i.frequency)
    if missing:
        return f"not available: {missing} of the {n} {unit}s not sent", ""
    return "hidden: a period in it would reveal a small number", ""


def year_on_year_text(y: YearOnYear | None, frequency: str) -> tuple[str, str]:
    """The 12 months' verdict and what it compared: ("A rise of 7.4%, more than
    normal variation (p = 0.007)", "April 2025 to March 2026: 4,304; ...")."""
    if y is None:
        return "not applicable: only for counts of events", ""
    now = rules.periods_label(y.first, y.last, frequency)
    before = rules.periods_label(y.first_before, y.last_before, frequency)
    verdict = y.verdict + (f" ({p_text(y.p_value)})" if y.p_value is not None else "")
    if y.count is None:
        return verdict, f"{now} against {before}"
    return verdict, f"{now}: {y.count:,.0f}; {before}: {y.count_before:,.0f}"


def next_return_text(f: IndicatorFigures, today: datetime.date) -> str:
    """Why the period after the latest has no figure: not yet ended, not yet due, or
    due and not received."""
    if f.latest is None or f.selection.until is not None:
        return ""
    i = f.indicator
    following = _next(f.latest.period, i)
    _start, end = rules.period_bounds(following, i.frequency)
    label = period_text(following, i.frequency)
    if end >= today:
        return ""
    due = rules.return_due_on(end)
    if today <= due:
        return f"{label}: not yet due (due {_date(due)})"
    return f"{label}: not received (was due {_date(due)})"


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _next(code: str, indicator: Indicator) -> str:
    _start, end = rules.period_bounds(code, indicator.frequency)
    following = end + datetime.timedelta(days=1)
    if indicator.frequency == "monthly":
        return f"{following:%Y-%m}"
    fy = financial_year_start(following)
    if indicator.frequency == "yearly":
        return str(fy)
    return f"{fy}-Q{((following.month - 4) % 12) // 3 + 1}"


def figure_texts(f: IndicatorFigures, today: datetime.date | None = None) -> FigureTexts:
    """Every cell of an indicator's dashboard row, in words."""
    i, threshold = f.indicator, f.selection.threshold
    twelve, twelve_note = _twelve_months_texts(f)
    year_on_year, year_on_year_note = year_on_year_text(f.year_on_year, i.frequency)
    if not (f.is_count and not f.is_stock):
        year_on_year, year_on_year_note = "not applicable: only for counts of events", ""
    year_before = ""
    if f.year_before is not None:
        year_before = (
            f"{period_text(f.year_before.period, i.frequency)}: {value_text(f.year_before.value, i.unit, threshold)}"
        )
    elif f.latest is not None:
        code = rules.previous_period(f.latest.period, i.frequency, years=1)
        year_before = f"{period_text(code, i.frequency)}: no figure sent"
    verdict = f.verdict + (f" ({p_text(f.p_value)})" if f.p_value is not None else "")
    return FigureTexts(
        latest=value_text(f.latest.value, i.unit, threshold) if f.latest else "No returns yet",
        latest_period=period_text(f.latest.period, i.frequency) if f.latest else "",
        next_return=next_return_text(f, today or datetime.date.today()),
        rate=_rate_text(f),
        since_previous=_since_previous_text(f),
        twelve_months=twelve,
        twelve_months_note=twelve_note,
        year_before=year_before,
        verdict=verdict,
        year_on_year=year_on_year,
        year_on_year_note=year_on_year_note,
        against=_reference_text(f),
    )


def selection_caption(selection: Selection) -> str:
    where = selection.area.name if selection.area else "The partnership"
    how = "as published (small numbers hidden)" if selection.published else "true figures (not for publication)"
    return f"{where}, {how}"


def _cell(value: float | None) -> float | int | str:
    if value is None:
        return HIDDEN_IN_DOWNLOADS
    return int(value) if float(value).is_integer() else round(value, 2)


def _p_cell(p_value: float | None) -> float | str:
    """Three significant figures: a tiny p-value stays a number, not 0."""
    return "" if p_value is None else float(f"{p_value:.3g}")


def _year_on_year_cells(f: IndicatorFigures) -> list:
    y = f.year_on_year
    if y is None:
        return ["", "", "", "", "", "", ""]
    frequency = f.indicator.frequency
    return [
        rules.periods_label(y.first, y.last, frequency),
        "" if y.count is None else _cell(y.count),
        rules.periods_label(y.first_before, y.last_before, frequency),
        "" if y.count_before is None else _cell(y.count_before),
        "" if y.change_percent is None else round(y.change_percent, 1),
        _p_cell(y.p_value),
        y.verdict,
    ]


def download_tables(all_figures: list[IndicatorFigures], selection: Selection) -> list[Table]:
    """The dashboard's figures, its series and (if chosen) its breakdown, for download."""
    summary_rows, series_rows, breakdown_rows = [], [], []
    for f in all_figures:
        i = f.indicator
        latest = f.latest
        summary_rows.append(
            [
                i.code,
                i.title,
                i.get_unit_display(),
                latest.period if latest else "",
                _cell(latest.value) if latest else "",
                "" if f.rate_per_10000 is None else round(f.rate_per_10000, 1),
                "" if f.change_from_previous is None else round(f.change_from_previous, 2),
                "" if f.change_from_year_before is None else round(f.change_from_year_before, 2),
                "" if f.change_from_year_before_percent is None else round(f.change_from_year_before_percent, 1),
                _p_cell(f.p_value),
                f.verdict,
                "" if f.rolling_twelve_months is None else f.rolling_twelve_months,
                f.against_target,
                f.against_benchmark,
                period_text(latest.period, i.frequency) if latest else "",
                i.measure if f.is_count else "",
                "" if f.twelve_months_average is None else round(f.twelve_months_average, 1),
                *_year_on_year_cells(f),
            ]
        )
        series_rows += [[i.code, p.period, _cell(p.value), period_text(p.period, i.frequency)] for p in f.series]
        breakdown_rows += [[i.code, latest.period, row.label, _cell(row.value)] for row in f.breakdown_rows]
    tables = [
        Table(
            "Indicators",
            [
                "indicator",
                "title",
                "unit",
                "latest_period",
                "latest_value",
                "rate_per_10000_children",
                "change_from_previous_period",
                "change_from_year_before",
                "change_from_year_before_percent",
                "p_value",
                "verdict",
                "rolling_12_months",
                "against_target",
                "against_benchmark",
                "latest_period_months",
                "measure",
                "twelve_months_average",
                "year_on_year_months",
                "year_on_year_value",
                "year_on_year_months_before",
                "year_on_year_value_before",
                "year_on_year_change_percent",
                "year_on_year_p_value",
                "year_on_year_verdict",
            ],
            summary_rows,
        ),
        Table("Series", ["indicator", "period", "value", "period_months"], series_rows),
    ]
    if selection.breakdown:
        tables.append(
            Table(
                f"By {BREAKDOWN_LABELS[selection.breakdown].lower()}",
                ["indicator", "period", selection.breakdown, "value"],
                breakdown_rows,
            )
        )
    tables.append(
        Table(
            "Notes",
            ["note"],
            [
                [selection_caption(selection)],
                [
                    f"{HIDDEN_IN_DOWNLOADS}: a count from 1 to {selection.threshold - 1}, or a figure hidden so that "
                    "one cannot be worked out from the others."
                ]
                if selection.published
                else ["Contains small numbers: for internal use, not for publication."],
            ],
        )
    )
    return tables


def run_chart(figures: IndicatorFigures) -> Chart | None:
    """The series with its median as a dashed line (a run chart), and the same numbers
    as a table. A legend names each line (the dashed one is the median). Hidden values
    leave a gap rather than a misleading zero."""
    points = [p for p in figures.series if p.value is not None]
    if len(points) < 2:
        return None
    import altair as alt  # Altair is slow to load: only when a chart is drawn

    indicator = figures.indicator
    threshold = figures.selection.threshold
    label = {p.period: rules.period_label(p.period, indicator.frequency, short=True) for p in figures.series}
    values = sorted(p.value for p in points)
    median = values[len(values) // 2]
    lines = [indicator.title, f"Median ({median:g})"]
    colours = ["#1d70b8", "#505a5f"]
    dashes = [[1, 0], [4, 4]]
    if indicator.target is not None:
        lines.append(f"Target ({float(indicator.target):g})")
        colours.append("#00703c")
        dashes.append([1, 0])
    legend = alt.Legend(title=None, orient="bottom", symbolType="stroke", symbolStrokeWidth=2, labelLimit=400)
    colour = alt.Color("Line:N", scale=alt.Scale(domain=lines, range=colours), legend=legend)
    dash = alt.StrokeDash("Line:N", scale=alt.Scale(domain=lines, range=dashes), legend=legend)
    rows = [{"Period": label[p.period], "Value": p.value, "Line": lines[0]} for p in points]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("Period:O", title="Period", sort=[label[p.period] for p in figures.series])
    )
    line = base.mark_line(point=True).encode(
        y=alt.Y("Value:Q", title=indicator.get_unit_display()), color=colour, strokeDash=dash
    )
    rule = (
        alt.Chart(alt.Data(values=[{"Median": median, "Line": lines[1]}]))
        .mark_rule()
        .encode(y="Median:Q", color=colour, strokeDash=dash)
    )
    layers = [line, rule]
    if indicator.target is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"Target": float(indicator.target), "Line": lines[2]}]))
            .mark_rule()
            .encode(y="Target:Q", color=colour, strokeDash=dash)
        )
    shown = ", ".join(
        f"{period_text(p.period, indicator.frequency)} {value_text(p.value, indicator.unit, threshold)}"
        for p in figures.series
    )
    target = f", the target ({float(indicator.target):g}) as a green line" if indicator.target is not None else ""
    return Chart(
        title=f"Run chart: {indicator.title}",
        svg=render_svg(alt.layer(*layers).properties(width=560, height=240)),
        alt_text=f"Run chart of {indicator.title} by period with the median ({median:g}) as a dashed line{target}: "
        + shown
        + ".",
        columns=["Period", indicator.get_unit_display()],
        rows=[
            [period_text(p.period, indicator.frequency), value_text(p.value, indicator.unit, threshold)]
            for p in figures.series
        ],
    )
