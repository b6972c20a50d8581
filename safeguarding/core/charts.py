"""Charts as SVG (Vega-Altair rendered by vl-convert), always with their data table.

A ``Chart`` carries the picture, a text alternative and the table of the same
figures, so a page, a PDF or a screen reader each get the numbers.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert

from safeguarding.core.chart_record import Chart

GOVUK_BLUE = "#1d70b8"
GOVUK_PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f"]
FONT = "Helvetica, Arial, sans-serif"
# Room for an organisation's whole name beside a bar (Vega cuts labels at 180 px).
LABEL_LIMIT = 320
# The category axis's title sits level, above its labels: turned up the side it lay
# over long labels, whose width the renderer underestimates.
CATEGORY_AXIS = alt.Axis(
    labelLimit=LABEL_LIMIT, titleAngle=0, titleAlign="right", titleBaseline="bottom", titleX=-8, titleY=-6
)


def render_svg(chart: alt.Chart) -> str:
    spec = (
        chart.configure_axis(labelFont=FONT, titleFont=FONT, labelFontSize=13, titleFontSize=13)
        .configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=13)
        .configure_view(stroke=None)
        .to_dict()
    )
    return vl_convert.vegalite_to_svg(spec)


def horizontal_bars(
    *,
    title: str,
    rows: list[dict],
    category: str,
    value: str,
    category_title: str,
    value_title: str,
    alt_text: str,
    percent: bool = False,
    value_format: str | None = None,
) -> Chart:
    """One bar per category, longest first; ``percent`` values are fractions 0–1."""
    encoding_value = alt.X(
        f"{value}:Q",
        title=value_title,
        axis=alt.Axis(format=".0%") if percent else alt.Axis(format=value_format or "d", tickMinStep=1),
        scale=alt.Scale(domain=[0, 1]) if percent else alt.Undefined,
    )
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color=GOVUK_BLUE)
        .encode(
            x=encoding_value,
            y=alt.Y(f"{category}:N", title=category_title, sort="-x", axis=CATEGORY_AXIS),
        )
        .properties(width=520, height=max(60, 28 * len(rows)))
    )
    table_rows = [[row[category], _format(row[value], percent)] for row in rows]
    return Chart(title, alt_text, render_svg(chart), [category_title, value_title], table_rows)


def stacked_bars(
    *,
    title: str,
    rows: list[dict],
    category: str,
    series: str,
    value: str,
    category_title: str,
    value_title: str,
    series_order: list[str],
    alt_text: str,
) -> Chart:
    """Bars split into parts (e.g. attended, by deputy, missed), in a fixed order."""
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=value_title, stack="zero", axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(f"{category}:N", title=category_title, axis=CATEGORY_AXIS),
            color=alt.Color(
                f"{series}:N",
                title=None,
                sort=series_order,
                scale=alt.Scale(domain=series_order, range=GOVUK_PALETTE[: len(series_order)]),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("order:Q"),
        )
        .transform_calculate(order=f"indexof({series_order!r}, datum.{series})")
        .properties(width=520, height=max(60, 28 * len({r[category] for r in rows})))
    )
    categories: dict[str, dict[str, Any]] = {}
    for row in rows:
        categories.setdefault(row[category], {})[row[series]] = row[value]
    table_rows = [[name, *[parts.get(s, 0) for s in series_order]] for name, parts in categories.items()]
    return Chart(title, alt_text, render_svg(chart), [category_title, *series_order], table_rows)


def _format(value, percent: bool) -> str:
    if value is None:
        return "no data"
    return f"{value:.0%}" if percent else f"{value:,}"
