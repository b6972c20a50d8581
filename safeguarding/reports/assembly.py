"""Putting the report together: each chapter's figures from its area (a build, run as a
task with progress), then the narrative written in the application. The same content,
as a plain dict, feeds the HTML page, the PDF, the Word document and the open data, and
is frozen into the published edition."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from safeguarding.core import report_sections
from safeguarding.core.report_sections import SectionContent, Window
from safeguarding.reports.models import Report


def window_for(report: Report) -> Window:
    return Window.reporting_year(report.year_start)


def build_figures(report: Report, *, progress: Callable[[str, float], None] | None = None) -> dict:
    """Every chapter's figures, tables and charts for the report's year (the year before
    beside them), as stored in ``Report.content``."""
    window = window_for(report)
    chapters = report_sections.sections()
    built = {}
    for done, chapter in enumerate(chapters):
        if progress:
            progress(f"Figures for {chapter.title.lower()}", done / max(len(chapters), 1))
        built[chapter.key] = (chapter.build(window) if chapter.build else SectionContent()).to_dict()
    if progress:
        progress("Figures built", 1.0)
    return {
        "window": {"start": window.start.isoformat(), "end": window.end.isoformat(), "label": window.label},
        "built_at": timezone.now().isoformat(),
        "sections": built,
    }


def report_content(report: Report) -> dict:
    """The whole report as one dict: partnership, year, chapters in order with their
    narrative and figures, and the sign-offs so far."""
    narratives = {n.section_key: n.text for n in report.narratives.all()}
    figures = (report.content or {}).get("sections", {})
    chapters = [
        {
            "key": chapter.key,
            "title": chapter.title,
            "guidance": chapter.guidance,
            "narrative": narratives.get(chapter.key, ""),
            "content": figures.get(chapter.key, SectionContent().to_dict()),
            "has_figures": chapter.build is not None,
        }
        for chapter in report_sections.sections()
    ]
    return {
        "partnership": settings.PARTNERSHIP_NAME,
        "year": report.year_label,
        "window": (report.content or {}).get("window") or _window_dict(window_for(report)),
        "built_at": (report.content or {}).get("built_at"),
        "sections": chapters,
        "sign_offs": [
            {
                "organisation": s.organisation.name,
                "name": s.person.full_name,
                "signed_on": s.signed_on.isoformat(),
            }
            for s in report.sign_offs.select_related("organisation", "person")
        ],
    }


def _window_dict(window: Window) -> dict:
    return {"start": window.start.isoformat(), "end": window.end.isoformat(), "label": window.label}


def section_contents(content: dict) -> list[tuple[dict, SectionContent]]:
    """The chapters of a content dict with their figures as objects, for templates."""
    return [(chapter, SectionContent.from_dict(chapter["content"])) for chapter in content["sections"]]
