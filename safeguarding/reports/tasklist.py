"""The report as a task list: each chapter with where it stands (``rules.chapter_status``)
and a line saying why, for the report's front page and each chapter's own page."""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.reports import rules
from safeguarding.reports.models import Report

TAG_CLASSES = {
    rules.NOT_STARTED: "govuk-tag--grey",
    rules.IN_PROGRESS: "govuk-tag--light-blue",
    rules.READY: "govuk-tag--blue",
    rules.SIGNED_OFF: "govuk-tag--green",
}


@dataclass(frozen=True)
class ChapterRow:
    number: int
    key: str
    title: str
    status: str
    hint: str

    @property
    def label(self) -> str:
        return rules.CHAPTER_STATUS_LABELS[self.status]

    @property
    def tag_classes(self) -> str:
        return TAG_CLASSES[self.status]


def chapter_rows(report: Report, content: dict) -> list[ChapterRow]:
    """One row per chapter of ``content`` (``assembly.report_content``), in order."""
    open_comments: dict[str, int] = {}
    for key in report.comments.filter(resolved_at__isnull=True).values_list("section_key", flat=True):
        open_comments[key] = open_comments.get(key, 0) + 1
    signed_off = report.status in (Report.Status.SIGNED_OFF, Report.Status.PUBLISHED)
    built = report.build_status == Report.BuildStatus.FINISHED
    rows = []
    for number, chapter in enumerate(content["sections"], start=1):
        has_words = bool((chapter.get("narrative") or "").strip())
        comments = open_comments.get(chapter["key"], 0)
        status = rules.chapter_status(
            has_words=has_words,
            needs_figures=bool(chapter.get("has_figures")),
            figures_built=built,
            open_comments=comments,
            report_signed_off=signed_off,
        )
        hint = _hint(chapter, has_words, built, comments)
        rows.append(ChapterRow(number, chapter["key"], chapter["title"], status, hint))
    return rows


def _hint(chapter: dict, has_words: bool, built: bool, comments: int) -> str:
    parts = ["Words written" if has_words else "No words yet"]
    if chapter.get("has_figures"):
        parts.append("figures built" if built else "figures not built")
    if comments:
        parts.append("1 open comment" if comments == 1 else f"{comments} open comments")
    return "; ".join(parts)
