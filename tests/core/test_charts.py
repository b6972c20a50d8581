"""Charts: the category axis's title must not lie over the category labels."""

import re

from safeguarding.core.charts import horizontal_bars, stacked_bars

LONG = "Testshire Council Children's Services Department"
ROWS = [{"org": LONG, "n": 30}, {"org": "Testshire Constabulary", "n": 9}]


def _category_axis(svg: str) -> tuple[str, list[float]]:
    """The category axis's title transform and its labels' y positions (the labels
    anchored at the end, left of the axis line)."""
    titles = re.findall(r'role-axis-title"[^>]*><text text-anchor="(\w+)" transform="([^"]+)"[^>]*>([^<]+)<', svg)
    (transform,) = [t for anchor, t, text in titles if text == "Organisation"]
    labels = re.findall(r'<text text-anchor="end" transform="translate\(-?[\d.]+,([\d.]+)\)"[^>]*>[^<]*Testshire', svg)
    return transform, [float(y) for y in labels]


def _title_sits_level_above_the_labels(svg: str) -> None:
    transform, label_ys = _category_axis(svg)
    assert "rotate" not in transform, f"the title is turned up the side, over the labels: {transform}"
    title_y = float(re.match(r"translate\(-?[\d.]+,(-?[\d.]+)\)", transform).group(1))
    assert label_ys and title_y < min(label_ys) - 13, (title_y, label_ys)  # a line (13 px) clear of the first label


def test_a_bar_charts_category_title_sits_level_above_long_labels():
    chart = horizontal_bars(
        title="Meetings",
        rows=ROWS,
        category="org",
        value="n",
        category_title="Organisation",
        value_title="Meetings attended",
        alt_text="Meetings attended by each organisation.",
    )
    _title_sits_level_above_the_labels(chart.svg)


def test_a_stacked_bar_charts_category_title_sits_level_above_long_labels():
    rows = [{"org": r["org"], "how": how, "n": r["n"]} for r in ROWS for how in ("Attended", "Missed")]
    chart = stacked_bars(
        title="Attendance",
        rows=rows,
        category="org",
        series="how",
        value="n",
        category_title="Organisation",
        value_title="Meetings",
        series_order=["Attended", "Missed"],
        alt_text="How each organisation attended.",
    )
    _title_sits_level_above_the_labels(chart.svg)
