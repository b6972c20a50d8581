"""How the reviews pages and downloads count what the selectors return: the
recommendations tracker's tallies, and questions 2 and 3 as tables, one set for the
figures page, its CSV and XLSX downloads and the annual report alike. A hidden count of
children reads "[c]" (the statistical convention), with a note saying why."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from safeguarding.core.tables import Table
from safeguarding.reviews import rules
from safeguarding.reviews.figures import Count, Pause, PracticeReviewRow, RecommendationCounts, ReviewsSummary
from safeguarding.reviews.models import LearningRecommendation, RapidReview
from safeguarding.reviews.selectors import RecommendationRow


@dataclass(frozen=True)
class Tally:
    label: str
    open: int = 0
    overdue: int = 0
    closed: int = 0


def recommendation_tallies(rows: list[RecommendationRow], key: str) -> list[Tally]:
    """Open, overdue (open past due) and closed counts by ``key``: "source",
    "organisation" or "theme" (a recommendation counts under each of its themes)."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        recommendation = row.recommendation
        if key == "source":
            labels = [recommendation.get_source_display()]
        elif key == "organisation":
            labels = [recommendation.owner_organisation.name]
        else:
            labels = row.themes or ["No theme"]
        closed = recommendation.status == LearningRecommendation.Status.CLOSED
        for label in labels:
            tally = counts.setdefault(label, [0, 0, 0])
            tally[0] += not closed
            tally[1] += row.overdue
            tally[2] += closed
    return [Tally(label, *counts[label]) for label in sorted(counts)]


# Questions 2 and 3 ---------------------------------------------------------------------------

HIDDEN = "[c]"
OUTCOMES = dict(RapidReview.Outcome.choices)
REPLIES = dict(RapidReview.PanelReply.choices)
N, R, M = rules.NOTIFICATION_WORKING_DAYS, rules.RAPID_REVIEW_WORKING_DAYS, rules.CSPR_MONTHS


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.0%}"


def children(value: Count) -> int | str:
    return HIDDEN if value is None else value


def day(value: datetime.date | None, otherwise: str = "") -> str:
    return otherwise if value is None else f"{value:%-d %B %Y}"


def pause_in_words(pause: Pause) -> str:
    end = day(pause.resumed_on, "still paused")
    return f"{day(pause.paused_on)} to {end}, {pause.days} days ({pause.because.lower()})"


def pauses_in_words(row: PracticeReviewRow) -> str:
    if not row.pauses:
        return "Not paused"
    return "; ".join(pause_in_words(p) for p in row.pauses)


def on_time_in_words(row: PracticeReviewRow) -> str:
    if row.published_on is not None:
        return "Yes" if row.on_time else "No: published late"
    return "Not yet due" if row.on_time is None else "No: overdue, not yet published"


# Question 2 ----------------------------------------------------------------------------------


def notifications_table(summary: ReviewsSummary) -> Table:
    n, r = summary.notifications, summary.referrals
    return Table(
        "Serious incident notifications",
        ["Measure", "Count"],
        [
            ["Notifications to the National Panel", n.notified],
            [f"Made within {N} working days of becoming aware", n.within_time],
            [f"Share made within {N} working days", percent(n.share_within_time)],
            ["Made late", n.late],
            ["Made late, with the reason recorded", n.late_with_reason],
            ["Children the notifications were about", children(n.children)],
            ["Of those children, looked after", children(n.looked_after)],
            ["Of those children, care leavers", children(n.care_leavers)],
            ["Referrals for consideration decided", r.decided],
            ["Referrals for consideration not notified", r.not_notified],
        ],
    )


def rapid_reviews_table(summary: ReviewsSummary) -> Table:
    r = summary.rapid_reviews
    return Table(
        "Rapid reviews",
        ["Measure", "Count"],
        [
            ["Rapid reviews opened", r.opened],
            ["Not required (the criteria were not met)", r.not_required],
            ["Completed: sent to the Panel", r.completed],
            [f"Sent within {R} working days", r.completed_within_time],
            [f"Share sent within {R} working days", percent(r.share_within_time)],
            ["Still in progress", r.in_progress],
            ["Still in progress and overdue", r.overdue],
            ["Decided on a local CSPR", r.led_to_cspr],
            ["Decided on a local CSPR, and the CSPR opened", r.csprs_opened],
            ["CSPRs opened in the window (from any rapid review, or at the Panel's request)", summary.csprs_opened],
        ],
    )


def decisions_table(summary: ReviewsSummary) -> Table:
    return Table(
        "Rapid reviews' decisions",
        ["Decision", "Rapid reviews"],
        [[OUTCOMES[outcome], count] for outcome, count in summary.rapid_reviews.outcomes.items()],
    )


def replies_table(summary: ReviewsSummary) -> Table:
    r = summary.rapid_reviews
    return Table(
        "The Panel's replies",
        ["Reply", "Rapid reviews"],
        [[REPLIES[reply], count] for reply, count in r.panel_replies.items()] + [["No reply yet", r.awaiting_reply]],
    )


def question_2(summary: ReviewsSummary) -> list[Table]:
    return [
        notifications_table(summary),
        rapid_reviews_table(summary),
        decisions_table(summary),
        replies_table(summary),
    ]


# Question 3 ----------------------------------------------------------------------------------

RECOMMENDATION_COLUMNS = ["Recommendations", "Open", "Overdue", "Closed with evidence of impact"]


def practice_reviews_table(summary: ReviewsSummary) -> Table:
    return Table(
        "Practice reviews (CSPRs)",
        ["Reference", "Review", "Started (decided)", "Due", "Published", f"Months taken (against {M})",
         "Days paused", "Months paused", "Pauses", "Published on time"],
        [
            [row.reference, row.title, day(row.decided_on), day(row.due_on), day(row.published_on, "Not yet"),
             row.months_taken, row.days_paused, row.months_paused, pauses_in_words(row), on_time_in_words(row)]
            for row in summary.practice_reviews
        ],
    )  # fmt: skip


def _counts_row(c: RecommendationCounts) -> list[int]:
    return [c.made, c.open, c.overdue, c.closed_with_impact]


def practice_review_recommendations_table(summary: ReviewsSummary) -> Table:
    return Table(
        "Each CSPR's recommendations",
        ["Reference", "Review", *RECOMMENDATION_COLUMNS],
        [[row.reference, row.title, *_counts_row(row.recommendations)] for row in summary.practice_reviews],
    )


def recommendations_table(caption: str, first: str, counts: list[RecommendationCounts]) -> Table:
    return Table(caption, [first, *RECOMMENDATION_COLUMNS], [[c.label, *_counts_row(c)] for c in counts])


def question_3(summary: ReviewsSummary) -> list[Table]:
    return [
        practice_reviews_table(summary),
        practice_review_recommendations_table(summary),
        recommendations_table("Recommendations by source", "Source", [*summary.by_source, summary.recommendations]),
        recommendations_table("Recommendations by organisation", "Organisation", summary.by_organisation),
        recommendations_table("Recommendations by theme", "Theme", summary.by_theme),
    ]


def notes(summary: ReviewsSummary) -> list[str]:
    """What the reader needs to read the tables: the window, the day they are as at, and
    what "[c]" means."""
    lines = [
        f"Question 2: the notifications made to the National Panel from {day(summary.date_from)} to "
        f"{day(summary.date_to)}, and what has happened to each and its rapid review since.",
        f"Question 3: the CSPRs decided by {day(summary.date_to)} and not published before "
        f"{day(summary.date_from)}, and the recommendations open at some time in the window, as at "
        f"{day(summary.as_of)}. A recommendation is overdue when it is still open after its due date.",
        "Pauses are shown beside the statutory clock, never taken off it.",
    ]
    if summary.suppressed:
        lines.append(
            f"{HIDDEN}: a count of children from 1 to {settings.SUPPRESSION_THRESHOLD - 1}, kept back so that no "
            "child can be identified."
        )
    else:
        lines.append("Contains small numbers of children: for internal use, not for publication.")
    return lines


def tables(summary: ReviewsSummary) -> list[Table]:
    return question_2(summary) + question_3(summary)


def download_tables(summary: ReviewsSummary) -> list[Table]:
    return tables(summary) + [Table("Notes", ["Note"], [[line] for line in notes(summary)])]
