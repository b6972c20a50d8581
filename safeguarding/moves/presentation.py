"""How the question 10 figures read, on the page and in CSV/XLSX downloads alike: the
same tables, the window beside the year before, and for readers who may not see small
numbers, hidden counts written "[c]" (the statistical convention) with a note.

Hiding follows the house rules of ``performance``: a count from 1 to the threshold − 1
is hidden (primary), and enough others with it that no hidden count can be worked back
from the totals (secondary, ``core.suppression.suppress_table``, which checks itself
by linear programming). Figures shared by several tables (all moves, CP plan moves,
other moves) are hidden everywhere or nowhere, and when one is hidden so is every
count that would add up to it.
"""

from __future__ import annotations

from dataclasses import replace

from safeguarding.children.models import Source
from safeguarding.core.suppression import needs_primary_suppression, suppress_list, suppress_table
from safeguarding.core.tables import Table
from safeguarding.moves.figures import AreaMoves, Conferences, Delays, MoveFigures, SourceMoves
from safeguarding.moves.rules import FOUND_LATE_AFTER_WORKING_DAYS, TRANSFER_IN_CONFERENCE_WORKING_DAYS

HIDDEN = "[c]"
KIND_LABELS = dict(Source.Kind.choices)


def _table(rows: list[list[int]], threshold: int):
    if not rows:
        return [], [], [0] * 2, 0
    return suppress_table(rows, threshold)


def published(figures: MoveFigures, threshold: int) -> MoveFigures:
    """The figures as a reader without ``VIEW_UNSUPPRESSED`` may see them: hidden
    counts become ``None``, and so do medians and percentiles worked out from fewer
    than ``threshold`` moves."""
    f = figures
    kinds = list(f.by_kind)
    in_cells, in_rows, in_cols, in_grand = _table([[a.in_cp_plan, a.in_other] for a in f.by_area], threshold)
    out_cells, out_rows, out_cols, out_grand = _table([[a.out_cp_plan, a.out_other] for a in f.by_area], threshold)
    _cells, source_totals, kind_totals, found_grand = _table(
        [[s.count if s.kind == kind else 0 for kind in kinds] for s in f.by_source], threshold
    )
    if not f.by_source:
        kind_totals = [0] * len(kinds)
    c = f.conferences
    conference_cells, conference_total = suppress_list(
        [c.within_time, c.held_late, c.overdue, c.not_yet_due, c.closed_without], threshold
    )
    d = f.delays
    (acknowledged, not_acknowledged), acknowledge_grand = suppress_list([d.acknowledged, d.not_acknowledged], threshold)

    all_hidden = needs_primary_suppression(f.moves, threshold) or None in (
        in_grand,
        out_grand,
        found_grand,
        acknowledge_grand,
    )
    split_hidden = all_hidden or None in (in_cols[0], in_cols[1], out_cols[0], out_cols[1], conference_total)
    if split_hidden:
        # CP plan and other moves hidden: so is every line that adds up to either.
        in_cells = out_cells = [[None, None] for _ in f.by_area]
        conference_cells, conference_total = [None] * 5, None

    def hide(value):
        return None if all_hidden else value

    def unless_few(value, n: int):
        return None if 0 < n < threshold else value

    return replace(
        f,
        moves=hide(f.moves),
        cp_plan=None if split_hidden else f.cp_plan,
        other=None if split_hidden else f.other,
        by_area=[
            AreaMoves(
                area=a.area,
                in_cp_plan=hide(in_cells[i][0]),
                in_other=hide(in_cells[i][1]),
                in_total=hide(in_rows[i]),
                out_cp_plan=hide(out_cells[i][0]),
                out_other=hide(out_cells[i][1]),
                out_total=hide(out_rows[i]),
            )
            for i, a in enumerate(f.by_area)
        ],
        by_kind={kind: hide(kind_totals[k]) for k, kind in enumerate(kinds)},
        by_source=[
            SourceMoves(name=s.name, kind=s.kind, count=hide(source_totals[i])) for i, s in enumerate(f.by_source)
        ],
        found_late=hide(None if needs_primary_suppression(f.found_late, threshold) else f.found_late),
        found_late_health_only=hide(
            None if needs_primary_suppression(f.found_late_health_only, threshold) else f.found_late_health_only
        ),
        delays=Delays(
            to_alert_median_days=unless_few(d.to_alert_median_days, d.to_alert_from),
            to_alert_p90_days=unless_few(d.to_alert_p90_days, d.to_alert_from),
            to_alert_from=hide(d.to_alert_from),
            acknowledged=hide(acknowledged),
            acknowledge_median_working_days=unless_few(d.acknowledge_median_working_days, d.acknowledged),
            not_acknowledged=hide(not_acknowledged),
        ),
        conferences=Conferences(*conference_cells, total=conference_total),
    )


# Tables ---------------------------------------------------------------------------------


def cell(value) -> int | float | str:
    """A count or a figure as the page and the downloads show it."""
    if value is None:
        return HIDDEN
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 1)
    return value


def _average(value, moves) -> int | float | str:
    """A median or percentile: hidden, or nothing to work out from ("")."""
    if value is None:
        return "" if moves == 0 else HIDDEN
    return cell(value)


def _period(f: MoveFigures) -> str:
    return f"{f.start:%-d %B %Y} to {f.end:%-d %B %Y}"


def _area_table(name: str, now: MoveFigures, before: MoveFigures, way: str) -> Table:
    def numbers(a: AreaMoves) -> list:
        return [getattr(a, f"{way}_cp_plan"), getattr(a, f"{way}_other"), getattr(a, f"{way}_total")]

    earlier = {a.area: a for a in before.by_area}
    rows = [
        [a.area, *map(cell, numbers(a)), *map(cell, numbers(earlier[a.area]) if a.area in earlier else [0, 0, 0])]
        for a in now.by_area
    ]
    rows.append(
        ["All areas", cell(now.cp_plan), cell(now.other), cell(now.moves)]
        + [cell(before.cp_plan), cell(before.other), cell(before.moves)]
    )
    return Table(
        name,
        [
            "Area",
            "On a child protection plan",
            "Other open involvement",
            "All",
            "On a child protection plan, year before",
            "Other open involvement, year before",
            "All, year before",
        ],
        rows,
    )


def _pairs(name: str, first: str, lines: list[tuple[str, object, object]]) -> Table:
    return Table(name, [first, "This period", "Year before"], [[label, cell(a), cell(b)] for label, a, b in lines])


def tables(now: MoveFigures, before: MoveFigures) -> list[Table]:
    """Every table on the page, in order, the window beside the year before. Names fit
    a worksheet's 31 characters."""
    sources_before = {(s.name, s.kind): s.count for s in before.by_source}
    sources_now = {(s.name, s.kind): s.count for s in now.by_source}
    sources = list(sources_now) + [key for key in sources_before if key not in sources_now]
    # A system that found nothing in one period found none, unless that period is hidden.
    none_now, none_before = (0 if f.moves is not None else None for f in (now, before))
    nd, bd = now.delays, before.delays
    nc, bc = now.conferences, before.conferences
    return [
        _pairs(
            "Children who moved",
            "Children with an open involvement found in another area",
            [
                ("All moves", now.moves, before.moves),
                ("On a child protection plan", now.cp_plan, before.cp_plan),
                ("Other open involvement (not on a plan)", now.other, before.other),
            ],
        ),
        _area_table("Moves into each area", now, before, "in"),
        _area_table("Moves out of each area", now, before, "out"),
        _pairs(
            "First found by kind of agency",
            "Kind of agency whose record showed the move",
            [(label, now.by_kind.get(kind, 0), before.by_kind.get(kind, 0)) for kind, label in KIND_LABELS.items()],
        ),
        Table(
            "First found by agency system",
            ["System whose record showed the move", "Kind of agency", "This period", "Year before"],
            [
                [
                    name,
                    KIND_LABELS.get(kind, kind),
                    cell(sources_now.get((name, kind), none_now)),
                    cell(sources_before.get((name, kind), none_before)),
                ]
                for name, kind in sources
            ],
        ),
        _pairs(
            "Moves found late",
            "Moves",
            [
                (
                    f"Found late (more than {FOUND_LATE_AFTER_WORKING_DAYS} working days after the address changed)",
                    now.found_late,
                    before.found_late,
                ),
                (
                    "Of those, found only through health records",
                    now.found_late_health_only,
                    before.found_late_health_only,
                ),
            ],
        ),
        Table(
            "Time taken to find and act",
            ["Measure", "This period", "Year before"],
            [
                [
                    "Days from the address change to the alert, median",
                    _average(nd.to_alert_median_days, nd.to_alert_from),
                    _average(bd.to_alert_median_days, bd.to_alert_from),
                ],
                [
                    "Days from the address change to the alert, 90th percentile",
                    _average(nd.to_alert_p90_days, nd.to_alert_from),
                    _average(bd.to_alert_p90_days, bd.to_alert_from),
                ],
                [
                    "Working days from the alert to acknowledgement, median",
                    _average(nd.acknowledge_median_working_days, nd.acknowledged),
                    _average(bd.acknowledge_median_working_days, bd.acknowledged),
                ],
                ["Alerts acknowledged", cell(nd.acknowledged), cell(bd.acknowledged)],
                ["Alerts not yet acknowledged", cell(nd.not_acknowledged), cell(bd.not_acknowledged)],
            ],
        ),
        _pairs(
            "Transfer-in conferences",
            "Conference",
            [
                (
                    f"Held within {TRANSFER_IN_CONFERENCE_WORKING_DAYS} working days",
                    nc.within_time,
                    bc.within_time,
                ),
                ("Held late", nc.held_late, bc.held_late),
                ("Not yet held and overdue", nc.overdue, bc.overdue),
                ("Not yet held, not yet due", nc.not_yet_due, bc.not_yet_due),
                ("Alert closed without a conference", nc.closed_without, bc.closed_without),
                ("All moves of children on a plan", nc.total, bc.total),
            ],
        ),
    ]


def notes(now: MoveFigures, before: MoveFigures, *, hidden: bool, threshold: int) -> list[str]:
    """What the reader needs to read the tables: the windows, and what "[c]" means."""
    lines = [
        f"This period: alerts raised from {_period(now)}. Year before: {_period(before)}.",
        f"Conferences overdue as of {now.today:%-d %B %Y}.",
    ]
    if hidden:
        lines.append(
            f"{HIDDEN}: a count from 1 to {threshold - 1}, or a figure hidden so that one cannot be worked out "
            f"from the others; medians and percentiles from fewer than {threshold} moves are hidden too."
        )
    else:
        lines.append("Contains small numbers: for internal use, not for publication.")
    return lines


def download_tables(now: MoveFigures, before: MoveFigures, *, hidden: bool, threshold: int) -> list[Table]:
    return tables(now, before) + [
        Table("Notes", ["note"], [[line] for line in notes(now, before, hidden=hidden, threshold=threshold)])
    ]
