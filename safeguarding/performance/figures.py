"""The figures on the performance dashboards, for the partnership or one area, true or
as published: latest value, changes, rolling 12 months, rate per 10,000 children,
target and benchmark, a verdict in words, and a breakdown of the latest period.

All values of all indicators on a page come from one query. Published figures are
suppressed per period across the total and every breakdown at once
(``breakdown_suppression.suppress_period``), so that the partnership view, an area's view and a
breakdown can never be combined to recover a hidden count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from safeguarding.accounts.models import Area
from safeguarding.core.years import financial_year_start
from safeguarding.performance import breakdown_suppression, rules
from safeguarding.performance.models import BREAKDOWNS, Indicator, Population, ReturnValue

BREAKDOWN_LABELS = {"age_band": "Age band", "sex": "Sex", "ethnicity": "Ethnicity", "locality": "Area"}


@dataclass(frozen=True)
class Selection:
    """What a dashboard shows: the partnership or one area, which breakdown of the
    latest period, and whether small numbers are hidden as in published output."""

    area: Area | None = None
    breakdown: str = ""
    published: bool = False
    # The figures as they stood at the end of a reporting window (the annual report):
    # periods ending after it are left out, so "latest" is the window's last period.
    until: datetime.date | None = None

    @property
    def threshold(self) -> int:
        return settings.SUPPRESSION_THRESHOLD


@dataclass
class Point:
    period: str
    value: float | None  # None: hidden in published output
    denominator: float | None = None


@dataclass
class BreakdownRow:
    label: str
    value: float | None


@dataclass
class YearOnYear:
    """An event count's latest 12 months against the 12 before (the committee's
    question: "a 20% increase" in children at MACE is a whole year against a whole
    year), judged by the exact Poisson test allowing for the child population."""

    first: str  # the first and last periods of the latest 12 months
    last: str
    first_before: str  # and of the 12 months before them
    last_before: str
    count: float | None = None  # None: not every period sent, or one is hidden
    count_before: float | None = None
    change: float | None = None
    change_percent: float | None = None
    p_value: float | None = None
    adjusted_for_population: bool = False
    verdict: str = "not enough data yet"


@dataclass
class IndicatorFigures:
    indicator: Indicator
    selection: Selection
    series: list[Point] = field(default_factory=list)
    latest: Point | None = None
    previous: Point | None = None
    year_before: Point | None = None
    change_from_previous: float | None = None
    change_from_previous_percent: float | None = None
    change_from_year_before: float | None = None
    change_from_year_before_percent: float | None = None
    # Counts of events: the 12 months' total. Counts at a date (a stock): never a sum,
    # the average of the period-end counts instead.
    rolling_twelve_months: float | None = None
    twelve_months_average: float | None = None
    rate_per_10000: float | None = None
    year_on_year: YearOnYear | None = None
    interval: rules.Interval | None = None
    p_value: float | None = None
    verdict: str = "not enough data yet"
    against_target: str = ""
    against_benchmark: str = ""
    breakdown_rows: list[BreakdownRow] = field(default_factory=list)
    breakdown_note: str = ""
    suppressed: bool = False

    @property
    def is_count(self) -> bool:
        return self.indicator.unit == Indicator.Unit.COUNT

    @property
    def is_stock(self) -> bool:
        """A count of children at the period's end, not of events in it."""
        return self.is_count and self.indicator.is_stock


def _area_names() -> dict[str, str]:
    return dict(Area.objects.values_list("code", "name"))


class _Cells:
    """Every current value of the indicators, summed over senders, by period and cell."""

    def __init__(self, indicators: list[Indicator]):
        # indicator_id -> period -> (breakdown, value) -> [value, denominator or None]
        self.data: dict[int, dict[str, dict[tuple[str, str], list]]] = defaultdict(lambda: defaultdict(dict))
        # indicator_id -> period -> the organisations whose returns gave its totals
        self.senders: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        rows = ReturnValue.objects.filter(indicator__in=indicators, data_return__is_current=True).values_list(
            "indicator_id",
            "data_return__period",
            "data_return__organisation_id",
            "breakdown",
            "breakdown_value",
            "value",
            "denominator",
        )
        for indicator_id, period, organisation_id, breakdown, breakdown_value, value, denominator in rows:
            if not breakdown:
                self.senders[indicator_id][period].add(organisation_id)
            cell = self.data[indicator_id][period].setdefault((breakdown, breakdown_value), [0.0, None])
            cell[0] += float(value)
            if denominator is not None:
                cell[1] = (cell[1] or 0.0) + float(denominator)

    def periods(self, indicator: Indicator) -> dict[str, dict[tuple[str, str], list]]:
        return self.data.get(indicator.pk, {})

    def sender_ids(self) -> set[int]:
        return {pk for by_period in self.senders.values() for ids in by_period.values() for pk in ids}


def _population(area_codes: set[str], year: int, populations: dict[str, dict[int, int]]) -> int | None:
    """Children 0–17 in these areas for the financial year starting in ``year`` (the
    latest estimate not after it), or None when any area has none."""
    total = 0
    for code in area_codes:
        years = [y for y in populations.get(code, {}) if y <= year]
        if not years:
            return None
        total += populations[code][max(years)]
    return total or None


def _period_year(period: str, frequency: str) -> int:
    start, _ = rules.period_bounds(period, frequency)
    return financial_year_start(start)


def _organisation_areas(organisation_ids: set[int]) -> dict[int, set[str]]:
    """The areas each sending organisation serves."""
    areas: dict[int, set[str]] = defaultdict(set)
    for organisation_id, code in Area.objects.filter(organisations__in=organisation_ids).values_list(
        "organisations", "code"
    ):
        areas[organisation_id].add(code)
    return areas


def _sender_areas(cells: _Cells, indicator: Indicator, organisation_areas: dict[int, set[str]]):
    """For each period of the indicator, the areas served by the organisations that sent
    its totals: the children a partnership total is counted over. Not every organisation
    of the sender's kind: a neighbouring council on record (standing "other") sends none
    of these figures, and its children are not in them (issue 14, item 4)."""
    by_period = cells.senders.get(indicator.pk, {})

    def areas(period: str) -> set[str]:
        return set().union(*(organisation_areas.get(pk, set()) for pk in by_period.get(period, ())))

    return areas


def figures_as_selected(indicators, selection: Selection) -> list[IndicatorFigures]:
    """The figures exactly as ``selection`` asks, true or published, unchecked. Pages read
    them through ``selectors.indicator_figures``, which holds a reader without the right to
    true figures to the published ones; the report build asks for published ones itself."""
    indicators = list(indicators)
    cells = _Cells(indicators)
    populations: dict[str, dict[int, int]] = defaultdict(dict)
    for code, year, children in Population.objects.values_list("area__code", "year", "children"):
        populations[code][year] = children
    organisation_areas = _organisation_areas(cells.sender_ids())
    names = _area_names()
    return [
        _figures(
            indicator,
            selection,
            cells.periods(indicator),
            populations,
            _sender_areas(cells, indicator, organisation_areas),
            names,
        )
        for indicator in indicators
    ]


def published_verdict_for_period(indicator: Indicator, period: str) -> str | None:
    """The published verdict on ``period`` against the same period a year before, as the
    dashboards give it (e.g. "a fall of 20%, more than normal variation"), or None where
    the indicator has no figure for that period. A period code it cannot read raises
    ``ValueError``. Used as evidence of a recommendation's impact."""
    _, period_end = rules.period_bounds(period, indicator.frequency)
    [figures] = figures_as_selected([indicator], Selection(published=True, until=period_end))
    if figures.latest is None or figures.latest.period != period:
        return None
    return figures.verdict


def _figures(indicator, selection, periods, populations, sender_areas, names) -> IndicatorFigures:
    figures = IndicatorFigures(indicator=indicator, selection=selection)
    threshold = selection.threshold
    area_key = ("locality", selection.area.code) if selection.area else ("", "")

    def area_codes(period: str) -> set[str]:
        return {selection.area.code} if selection.area else sender_areas(period)

    is_count = indicator.unit == Indicator.Unit.COUNT

    true_points: list[Point] = []
    shown_points: list[Point] = []
    published_periods: dict[str, breakdown_suppression.SuppressedPeriod] = {}
    for period in sorted(periods):
        period_cells = periods[period]
        if area_key not in period_cells:
            continue
        if selection.until and rules.period_bounds(period, indicator.frequency)[1] > selection.until:
            continue
        value, denominator = period_cells[area_key]
        true_points.append(Point(period, value, denominator))
        shown = value
        if selection.published:
            if is_count:
                published = _suppress(period_cells, threshold)
                published_periods[period] = published
                shown = (
                    published.total
                    if not selection.area
                    else published.breakdowns.get("locality", {}).get(selection.area.code)
                )
            elif indicator.unit == Indicator.Unit.PERCENTAGE:
                shown = breakdown_suppression.suppress_percentage(value, denominator, threshold)
        shown_points.append(Point(period, shown, denominator))
    if not true_points:
        return figures
    figures.series = shown_points
    figures.suppressed = any(p.value is None for p in shown_points)
    by_period = {p.period: p for p in shown_points}
    true_by_period = {p.period: p for p in true_points}
    latest_true = true_points[-1]
    figures.latest = by_period[latest_true.period]
    previous_code = rules.previous_period(latest_true.period, indicator.frequency)
    year_before_code = rules.previous_period(latest_true.period, indicator.frequency, years=1)
    figures.previous = by_period.get(previous_code)
    figures.year_before = by_period.get(year_before_code)

    # Differences give a hidden value away when the other side is shown: only with both.
    if figures.previous and figures.previous.value is not None and figures.latest.value is not None:
        figures.change_from_previous = figures.latest.value - figures.previous.value
        figures.change_from_previous_percent = rules.percent_change(figures.previous.value, figures.latest.value)
    if figures.year_before and figures.year_before.value is not None and figures.latest.value is not None:
        figures.change_from_year_before = figures.latest.value - figures.year_before.value
        figures.change_from_year_before_percent = rules.percent_change(figures.year_before.value, figures.latest.value)

    if is_count:
        shown_values = {p.period: p.value for p in shown_points}
        if indicator.is_stock:
            figures.twelve_months_average = rules.twelve_months_average(
                shown_values, latest_true.period, indicator.frequency
            )
        else:
            figures.rolling_twelve_months = rules.rolling_twelve_months(
                shown_values, latest_true.period, indicator.frequency
            )
        population = _population(
            area_codes(latest_true.period), _period_year(latest_true.period, indicator.frequency), populations
        )
        if population and figures.latest.value is not None:
            figures.rate_per_10000 = rules.rate_per_10000(figures.latest.value, population)

    _verdict(figures, true_by_period.get(year_before_code), latest_true, area_codes, populations)
    if is_count and not indicator.is_stock:
        figures.year_on_year = _year_on_year(
            indicator, latest_true.period, true_by_period, by_period, area_codes, populations
        )
    if selection.published and (
        figures.latest.value is None or (figures.year_before and figures.year_before.value is None)
    ):
        figures.p_value = None
        figures.verdict = "numbers too small to publish a comparison"

    if figures.latest.value is not None:
        if indicator.target is not None:
            figures.against_target = rules.compare_with_reference(
                figures.latest.value, float(indicator.target), indicator.polarity, "target"
            )
        if indicator.benchmark is not None:
            figures.against_benchmark = rules.compare_with_reference(
                figures.latest.value, float(indicator.benchmark), indicator.polarity, "benchmark"
            )

    _breakdown(figures, periods.get(latest_true.period, {}), published_periods.get(latest_true.period), names)
    return figures


def _suppress(period_cells: dict[tuple[str, str], list], threshold: int) -> breakdown_suppression.SuppressedPeriod:
    total = int(period_cells.get(("", ""), [0])[0])
    breakdowns: dict[str, dict[str, int]] = defaultdict(dict)
    for (breakdown, value_label), (value, _denominator) in period_cells.items():
        if breakdown:
            breakdowns[breakdown][value_label] = int(value)
    return breakdown_suppression.suppress_period(total, dict(breakdowns), threshold)


def _verdict(figures: IndicatorFigures, year_before: Point | None, latest: Point, area_codes, populations) -> None:
    """Is the change from the same period a year before more than noise? Counts: the
    exact Poisson test, allowing for a changed population; rates: the same test on the
    counts behind them; percentages: Wilson intervals and a two-proportion test."""
    indicator = figures.indicator
    unit = indicator.unit
    if unit == Indicator.Unit.PERCENTAGE and latest.denominator:
        successes = round(latest.value * latest.denominator / 100)
        figures.interval = rules.wilson_interval(successes, round(latest.denominator))
    if year_before is None:
        return
    before, now = year_before.value, latest.value
    if unit in (Indicator.Unit.COUNT, Indicator.Unit.RATE):
        population_before = _population(
            area_codes(year_before.period), _period_year(year_before.period, indicator.frequency), populations
        )
        population_now = _population(
            area_codes(latest.period), _period_year(latest.period, indicator.frequency), populations
        )
        if unit == Indicator.Unit.RATE:
            if not (population_before and population_now):
                figures.verdict = rules.change_in_words_untested(before, now, "no child population to test it with")
                return
            before = round(before * population_before / 10_000)
            now = round(now * population_now / 10_000)
        exposures = (population_before, population_now) if population_before and population_now else (1.0, 1.0)
        figures.p_value = rules.poisson_change_p_value(int(before), int(now), *exposures)
        figures.verdict = rules.change_in_words(year_before.value, latest.value, figures.p_value)
    elif unit == Indicator.Unit.PERCENTAGE:
        if not (year_before.denominator and latest.denominator):
            figures.verdict = rules.change_in_words_untested(
                before, now, "no denominator sent to test it with", points=True
            )
            return
        figures.p_value = rules.proportion_change_p_value(
            round(before * year_before.denominator / 100),
            round(year_before.denominator),
            round(now * latest.denominator / 100),
            round(latest.denominator),
        )
        figures.verdict = rules.change_in_words(before, now, figures.p_value, points=True)
    else:
        figures.verdict = rules.change_in_words_untested(before, now, "no test for averages of days")


def _year_on_year(indicator, latest: str, true_by_period, shown_by_period, area_codes, populations) -> YearOnYear:
    """The 12 months to the end of ``latest`` against the 12 before, for a count of
    events. Each side needs every period sent; published, every period shown (a total
    over a hidden one would give it away). The exposure of each side is its periods'
    child populations added up, so a growing population is allowed for."""
    frequency = indicator.frequency
    n = rules.PERIODS_PER_YEAR[frequency]
    periods = [latest]
    for _ in range(2 * n - 1):
        periods.append(rules.previous_period(periods[-1], frequency))
    now, before = periods[:n][::-1], periods[n:][::-1]
    result = YearOnYear(first=now[0], last=now[-1], first_before=before[0], last_before=before[-1])
    if any(p not in true_by_period for p in periods):
        missing = sum(p not in true_by_period for p in periods)
        result.verdict = f"not enough data yet: {missing} of the {2 * n} periods not sent"
        return result
    if any(shown_by_period[p].value is None for p in periods):
        result.verdict = "numbers too small to publish a comparison"
        return result
    count = sum(true_by_period[p].value for p in now)
    count_before = sum(true_by_period[p].value for p in before)
    result.count, result.count_before = count, count_before
    result.change = count - count_before
    result.change_percent = rules.percent_change(count_before, count)

    def exposure(side: list[str]) -> int | None:
        found = [_population(area_codes(p), _period_year(p, frequency), populations) for p in side]
        return None if any(x is None for x in found) else sum(found)

    exposure_now, exposure_before = exposure(now), exposure(before)
    result.adjusted_for_population = bool(exposure_now and exposure_before)
    exposures = (exposure_before, exposure_now) if result.adjusted_for_population else (1.0, 1.0)
    result.p_value = rules.poisson_change_p_value(round(count_before), round(count), *exposures)
    result.verdict = rules.change_in_words(count_before, count, result.p_value)
    if not result.adjusted_for_population:
        result.verdict += " (not adjusted for population: no child population recorded)"
    return result


def _breakdown(figures: IndicatorFigures, latest_cells, published, names) -> None:
    selection = figures.selection
    if not selection.breakdown:
        return
    if selection.area is not None:
        figures.breakdown_note = (
            "Figures are sent for one breakdown at a time, so an area cannot be broken down further."
        )
        return
    if selection.breakdown not in figures.indicator.breakdowns:
        figures.breakdown_note = f"Not sent by {BREAKDOWN_LABELS[selection.breakdown].lower()}."
        return
    cells = {label: value for (name, label), (value, _d) in latest_cells.items() if name == selection.breakdown}
    if not cells:
        figures.breakdown_note = f"No figures by {BREAKDOWN_LABELS[selection.breakdown].lower()} for the latest period."
        return
    order = BREAKDOWNS.get(selection.breakdown) or sorted(cells)
    labels = [label for label in order if label in cells] + [label for label in sorted(cells) if label not in order]
    if selection.published and figures.is_count and published is not None:
        shown = published.breakdowns.get(selection.breakdown, {})
        labels += [breakdown_suppression.NOT_STATED] if breakdown_suppression.NOT_STATED in shown else []
        values = {label: shown.get(label) for label in labels}
    elif selection.published and figures.indicator.unit == Indicator.Unit.PERCENTAGE:
        values = {
            label: breakdown_suppression.suppress_percentage(cells[label], None, selection.threshold)
            for label in labels
        }
    else:
        values = dict(cells)
        total = figures.latest.value if figures.is_count else None
        if total is not None and total > sum(cells.values()):
            labels.append(breakdown_suppression.NOT_STATED)
            values[breakdown_suppression.NOT_STATED] = total - sum(cells.values())
    readable = (lambda code: names.get(code, code)) if selection.breakdown == "locality" else (lambda label: label)
    figures.breakdown_rows = [BreakdownRow(readable(label), values[label]) for label in labels]
