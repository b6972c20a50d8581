"""How performance figures read: on the page, in a run chart with its table, and in
CSV/XLSX downloads (where a hidden count is written "[c]", the statistical
convention, with a note)."""

from __future__ import annotations

from safeguarding.core.charts import Chart, render_svg
from safeguarding.core.exports import Table
from safeguarding.performance.figures import BREAKDOWN_LABELS, IndicatorFigures, Selection
from safeguarding.performance.models import Indicator

HIDDEN_IN_DOWNLOADS = "[c]"


def value_text(value: float | None, unit: str, threshold: int) -> str:
    """A figure as the page shows it; a hidden one says so without giving it away."""
    if value is None:
        return f"fewer than {threshold}"
    if unit == Indicator.Unit.PERCENTAGE:
        return f"{value:,.1f}%"
    if unit == Indicator.Unit.COUNT:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def change_text(change: float | None, percent: float | None, unit: str) -> str:
    if change is None:
        return "Not available"
    if unit == Indicator.Unit.PERCENTAGE:
        return f"{change:+,.1f} percentage points"
    amount = f"{change:+,.0f}" if unit == Indicator.Unit.COUNT else f"{change:+,.1f}"
    return amount + (f" ({percent:+.0f}%)" if percent is not None else "")


def selection_caption(selection: Selection) -> str:
    where = selection.area.name if selection.area else "The partnership"
    how = "as published (small numbers hidden)" if selection.published else "true figures (not for publication)"
    return f"{where}, {how}"


def _cell(value: float | None) -> float | int | str:
    if value is None:
        return HIDDEN_IN_DOWNLOADS
    return int(value) if float(value).is_integer() else round(value, 2)


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
                "" if f.p_value is None else round(f.p_value, 4),
                f.verdict,
                "" if f.rolling_twelve_months is None else f.rolling_twelve_months,
                f.against_target,
                f.against_benchmark,
            ]
        )
        series_rows += [[i.code, p.period, _cell(p.value)] for p in f.series]
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
            ],
            summary_rows,
        ),
        Table("Series", ["indicator", "period", "value"], series_rows),
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
    as a table. Hidden values leave a gap rather than a misleading zero."""
    points = [p for p in figures.series if p.value is not None]
    if len(points) < 2:
        return None
    import altair as alt

    indicator = figures.indicator
    threshold = figures.selection.threshold
    rows = [{"Period": p.period, "Value": p.value} for p in figures.series if p.value is not None]
    values = sorted(p.value for p in points)
    median = values[len(values) // 2]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("Period:O", title="Period", sort=[p.period for p in figures.series])
    )
    line = base.mark_line(point=True, color="#1d70b8").encode(y=alt.Y("Value:Q", title=indicator.get_unit_display()))
    rule = (
        alt.Chart(alt.Data(values=[{"Median": median}]))
        .mark_rule(strokeDash=[4, 4], color="#505a5f")
        .encode(y="Median:Q")
    )
    layers = [line, rule]
    if indicator.target is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"Target": float(indicator.target)}]))
            .mark_rule(color="#00703c")
            .encode(y="Target:Q")
        )
    shown = ", ".join(f"{p.period} {value_text(p.value, indicator.unit, threshold)}" for p in figures.series)
    target = f", the target ({float(indicator.target):g}) as a green line" if indicator.target is not None else ""
    return Chart(
        title=f"Run chart: {indicator.title}",
        svg=render_svg(alt.layer(*layers).properties(width=560, height=240)),
        alt_text=f"Run chart of {indicator.title} by period with the median ({median:g}) as a dashed line{target}: "
        + shown
        + ".",
        columns=["Period", indicator.get_unit_display()],
        rows=[[p.period, value_text(p.value, indicator.unit, threshold)] for p in figures.series],
    )
