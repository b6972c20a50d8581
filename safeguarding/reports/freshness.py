"""Whether the report's figures still match the data: each area says what changed in
its data after the build began (``report_sections.data_changes_since``). Publication
warns of any change and goes ahead only when the person publishing says they understand
(or after a rebuild)."""

from __future__ import annotations

from safeguarding.core import report_sections
from safeguarding.reports.models import Report


def figures_as_of(report: Report):
    """The moment the figures describe: when their build began (a return that arrived
    during the build may or may not be in them, so it counts as after). Reports built
    before this was recorded fall back to when the build finished."""
    return report.figures_as_of or report.built_at


def changes_since_build(report: Report) -> list[str]:
    """What changed in the data the figures use since they were built, in plain
    sentences; empty when the figures are up to date (or were never built)."""
    as_of = figures_as_of(report)
    if as_of is None:
        return []
    return report_sections.data_changes_since(as_of)
