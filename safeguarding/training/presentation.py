"""The training summary as tables and charts, shared by the page and downloads."""

from __future__ import annotations

from safeguarding.core.charts import Chart, horizontal_bars
from safeguarding.core.tables import Table
from safeguarding.training.selectors import TrainingSummary


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.0%}"


def number(value: float | None) -> str:
    return "no data" if value is None else f"{value:+.1f}" if isinstance(value, float) else str(value)


COUNT_COLUMNS = [
    "Places offered",
    "Booked",
    "Attended",
    "Did not attend",
    "Late cancellations",
    "Waiting list",
    "No-show rate",
]


def _count_row(c) -> list:
    return [
        c.label,
        c.places_offered,
        c.booked,
        c.attended,
        c.no_shows,
        c.late_cancellations,
        c.waiting_list,
        percent(c.no_show_rate),
    ]


IMPACT_COLUMNS = [
    "Evaluations",
    "Confidence before",
    "Confidence after",
    "Change",
    "Follow-ups",
    "Practice changed (yes or partly)",
]


def _impact_table(caption: str, first: str, impacts) -> Table:
    rows = [
        [
            i.label,
            i.evaluations,
            i.confidence_before,
            i.confidence_after,
            number(i.confidence_change),
            i.follow_ups,
            percent(i.practice_changed_share),
        ]
        for i in impacts
    ]
    return Table(caption, [first, *IMPACT_COLUMNS], rows)


def tables(summary: TrainingSummary) -> list[Table]:
    return [
        Table(
            "Totals",
            ["Period", *COUNT_COLUMNS],
            [
                ["This window", *_count_row(summary.total)[1:]],
                [summary.previous_year.label, *_count_row(summary.previous_year)[1:]],
            ],
        ),
        Table("By organisation", ["Organisation", *COUNT_COLUMNS], [_count_row(c) for c in summary.by_organisation]),
        Table("By course", ["Course", *COUNT_COLUMNS], [_count_row(c) for c in summary.by_course]),
        Table("By topic", ["Topic", *COUNT_COLUMNS], [_count_row(c) for c in summary.by_topic]),
        Table(
            "Reach",
            ["Organisation", "People reached", "Workforce", "Share of workforce", "E-learning completions"],
            [
                [
                    r.organisation,
                    r.people_reached,
                    r.workforce or "not recorded",
                    percent(r.share),
                    r.elearning_completions,
                ]
                for r in summary.reach
            ],
        ),
        _impact_table("Impact by course", "Course", summary.impact_by_course),
        _impact_table("Impact by organisation", "Organisation", summary.impact_by_organisation),
    ]


def charts(summary: TrainingSummary) -> list[Chart]:
    result = []
    reach = [r for r in summary.reach if r.share is not None]
    if reach:
        result.append(
            horizontal_bars(
                title="Share of each organisation's workforce reached",
                rows=[{"Organisation": r.organisation, "Share": r.share} for r in reach],
                category="Organisation",
                value="Share",
                category_title="Organisation",
                value_title="Share of workforce reached",
                percent=True,
                alt_text="Bar chart of the share of each organisation's workforce reached: "
                + ", ".join(f"{r.organisation} {percent(r.share)}" for r in reach)
                + ".",
            )
        )
    rated = [c for c in summary.by_organisation if c.booked]
    if rated:
        result.append(
            horizontal_bars(
                title="No-show rate by organisation",
                rows=[{"Organisation": c.label, "No-show rate": c.no_show_rate or 0} for c in rated],
                category="Organisation",
                value="No-show rate",
                category_title="Organisation",
                value_title="Booked places not attended",
                percent=True,
                alt_text="Bar chart of no-show rates by organisation: "
                + ", ".join(f"{c.label} {percent(c.no_show_rate)}" for c in rated)
                + ".",
            )
        )
    return result
