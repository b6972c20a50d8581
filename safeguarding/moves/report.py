"""Children's chapter of the annual report (children who moved across area boundaries)
and the committee's question 10, from ``move_figures`` as the "Children who moved" page
computes them, always as published: the report is public, so small numbers are hidden
whoever builds it (``presentation.published``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from safeguarding.children.models import IdentityChange, LinkageRun, MatchReview
from safeguarding.core.charts import horizontal_bars
from safeguarding.core.report_sections import (
    ORDER,
    QUESTIONS,
    SUPPRESSED,
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
from safeguarding.moves import presentation
from safeguarding.moves.figures import MoveFigures, move_figures
from safeguarding.moves.rules import FOUND_LATE_AFTER_WORKING_DAYS, TRANSFER_IN_CONFERENCE_WORKING_DAYS

MOVED = "children with an open involvement (child in need or on a child protection plan) found in another area"


def _published(window: Window) -> MoveFigures:
    threshold = settings.SUPPRESSION_THRESHOLD
    return presentation.published(move_figures(start=window.start, end=window.end), threshold)


def _shown(value):
    """A count or average as the report stores it: hidden ones "[c]"."""
    return SUPPRESSED if value is None else presentation.cell(value)


def _average(value, moves):
    """A median: hidden ("[c]"), or nothing to work it out from (None)."""
    return None if value is None and moves == 0 else _shown(value)


def _share(part, whole):
    """Worked out only from counts both published, so it gives nothing hidden away."""
    return None if part is None or not whole else part / whole


def _figures(now: MoveFigures, before: MoveFigures, source: str) -> list[Figure]:
    alerts = f"move alerts raised in the year for {MOVED}"
    cp = "move alerts raised in the year for children on a child protection plan"
    c, b = now.conferences, before.conferences

    def figure(key, label, value, previous, explanation, unit="count") -> Figure:
        return Figure(key, label, value, previous, unit=unit, source=source, explanation=explanation)

    late = f"more than {FOUND_LATE_AFTER_WORKING_DAYS} working days after the address changed"
    return [
        figure("moves", "Children who moved", _shown(now.moves), _shown(before.moves), f"The {alerts}."),
        figure("cp_plan", "Of those, on a child protection plan", _shown(now.cp_plan), _shown(before.cp_plan),
               f"The {cp}."),
        figure("found_late", "Moves found late", _shown(now.found_late), _shown(before.found_late),
               f"Of the {alerts}, those raised {late}."),
        figure("found_late_health_only", "Moves found late, only through health records",
               _shown(now.found_late_health_only), _shown(before.found_late_health_only),
               f"Of the moves found late, those first shown by a health record ({late})."),
        figure("conferences_within_time",
               f"Transfer-in conferences held within {TRANSFER_IN_CONFERENCE_WORKING_DAYS} working days",
               _shown(c.within_time), _shown(b.within_time),
               f"Of the {cp}, those whose receiving area held its transfer-in conference on or before the day it "
               f"was due ({TRANSFER_IN_CONFERENCE_WORKING_DAYS} working days after the alert)."),
        figure("conferences_within_time_share", "Share of transfer-in conferences held in time",
               _share(c.within_time, c.total), _share(b.within_time, b.total),
               f"Conferences held in time as a share of the {cp} (only where both counts are published).",
               unit="percent"),
        figure("conferences_overdue", "Transfer-in conferences not yet held and overdue", _shown(c.overdue),
               _shown(b.overdue), f"Of the {cp}, those still open with no conference held by its due date, as of "
               f"{now.today:%-d %B %Y}."),
        figure("days_to_alert_median", "Days from the address change to the alert (median)",
               _average(now.delays.to_alert_median_days, now.moves),
               _average(before.delays.to_alert_median_days, before.moves),
               f"The median of the calendar days from the address change to the alert, over the {alerts}; "
               f"hidden when worked out from fewer than {settings.SUPPRESSION_THRESHOLD} moves.", unit="days"),
    ]  # fmt: skip


def _chart(now: MoveFigures):
    """Moves by the kind of agency that first found them, when none of them is hidden."""
    kinds = [(presentation.KIND_LABELS[kind], count) for kind, count in now.by_kind.items()]
    if not now.moves or any(count is None for _, count in kinds):
        return []
    chart = horizontal_bars(
        title="Moves by the kind of agency whose record first showed them",
        rows=[{"Agency": label, "Moves": count} for label, count in kinds],
        category="Agency",
        value="Moves",
        category_title="Kind of agency",
        value_title="Moves",
        alt_text="Bar chart of the moves first shown by each kind of agency: "
        + ", ".join(f"{label.lower()} {count}" for label, count in kinds)
        + ".",
    )
    return [chart_data(chart)]


def moves(window: Window) -> SectionContent:
    now, before = _published(window), _published(window.year_before())
    source = f"{reverse('moves:figures')}?{window.query}"
    tables = [
        Table(t.caption, list(t.columns), [list(row) for row in t.rows]) for t in presentation.tables(now, before)
    ] + [
        Table(
            "Notes",
            ["Note"],
            [[line] for line in presentation.notes(now, before, hidden=True, threshold=settings.SUPPRESSION_THRESHOLD)],
        )
    ]
    return SectionContent(figures=_figures(now, before, source), tables=tables, charts=_chart(now))


register_section(
    ReportSection(
        "moves",
        "Children who moved across area boundaries",
        ORDER["moves"],
        "Children open to social care or on a child protection plan who moved into or out of the area: how many, "
        "how quickly the move was found (and by whom), and whether transfer-in conferences were held in time. "
        "No child may be identifiable.",
        moves,
    )
)
register_question(ScrutinyQuestion(10, QUESTIONS[10][0], moves))


def linkage_changed_since(when) -> list[str]:
    """Linkage after the report's figures were built: runs that finished, and records
    linked or kept apart by a practitioner's decision, either of which can change who
    counts as a child who moved."""
    lines = []
    runs = LinkageRun.objects.filter(status=LinkageRun.Status.FINISHED, finished_at__gt=when).count()
    if runs:
        lines.append(f"{_times(runs, 'linkage run')} finished since the figures were built.")
    decided = MatchReview.objects.filter(decided_at__gt=when).exclude(status=MatchReview.Status.PENDING).count()
    manual = IdentityChange.objects.filter(at__gt=when, run__isnull=True).exclude(kind="created").count()
    if decided or manual:
        lines.append(f"{_times(decided + manual, 'record link')} decided by hand since the figures were built.")
    return lines


def _times(count: int, noun: str) -> str:
    return f"1 {noun}" if count == 1 else f"{count:,} {noun}s"


register_change_feed("children", linkage_changed_since)
