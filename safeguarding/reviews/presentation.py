"""How the reviews pages and downloads count what the selectors return."""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.reviews.models import LearningRecommendation
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
